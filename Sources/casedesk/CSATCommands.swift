import ArgumentParser
import CaseCore
import Foundation

/// CSAT as it arrives from a survey, after resolution: one score per case.
struct CSATCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csat", abstract: "Customer satisfaction from surveys: record one score, import a file.",
                                                    subcommands: [Record.self, ImportFile.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the survey score (1–5) of a resolved case; a low one alerts the lead board.")
        @Argument(help: "The case number.") var id: Int64
        @Argument(help: "The score, 1 (very unhappy) to 5 (very happy).") var score: Int
        @Option(help: "The customer's comment.") var comment: String?
        @Flag(help: "Replace a score the case already has.") var replace = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard (1...5).contains(score) else { throw ValidationError("CSAT is 1 to 5, not \(score)") }
        }

        func run() throws {
            try store.open().recordCSAT(id, score: score, comment: comment, replace: replace, by: store.login)
            print("case #\(id): CSAT \(score) recorded")
        }
    }

    struct ImportFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import survey scores from CSV (case,score,comment,at) or JSON Lines: all of them, or none.")
        @Argument(help: "A .csv file with a header row, or a .jsonl file with one object per line.") var file: String
        @Flag(help: "Replace scores cases already have.") var replace = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        }

        func run() throws {
            let n = try store.open().importCSAT(file: file, replace: replace, by: store.login)
            print("imported \(n) CSAT score(s) from \((file as NSString).lastPathComponent)")
        }
    }
}
