import ArgumentParser
import CaseCore
import Foundation

/// For experts outside customer care: the consults put to them, and their answers.
struct ConsultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consult", abstract: "Consults put to an expert: list them, answer one.",
                                                    subcommands: [List.self, Answer.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The consults put to you (--as LOGIN), oldest first.")
        @Flag(help: "Include answered ones.") var all = false
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let consults = try store.open().consults(for: store.login, includeAnswered: all)
            switch format {
            case .json: print(try jsonString(consults))
            case .csv:
                print("id,case_id,from,question,answer")
                for c in consults { printData([String(c.id), String(c.caseId), c.from, c.question, c.answer ?? ""].map(CaseExport.csvField).joined(separator: ",")) }
            case .table:
                if consults.isEmpty { print("no consults waiting for \(store.login)"); return }
                print(table(["ID", "CASE", "FROM", "SUBJECT", "QUESTION", "ANSWER"],
                            consults.map { [String($0.id), "#\($0.caseId)", $0.from, $0.subject, $0.question, $0.answer ?? "-"] }))
                print("\nanswer with: casedesk consult answer ID \"text\"; the case itself: casedesk case show CASE")
            }
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer a consult; the answer appears in the case's timeline.")
        @Argument var id: Int64
        @Argument var text: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().answerConsult(id, answer: text, by: store.login)
            print("answered consult #\(id)")
        }
    }
}
