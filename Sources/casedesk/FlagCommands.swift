import ArgumentParser
import CaseCore
import Foundation

/// Leads' side of "kill the stupid rule": flags grouped by rule, and the answer.
struct FlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flags", abstract: "Rule flags grouped by rule; answer them.",
                                                    subcommands: [List.self, Answer.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open rule flags grouped by rule, most flagged first.")
        @Flag(help: "Include answered rules.") var all = false
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let groups = try store.open().ruleFlagGroups(includeAnswered: all)
            switch format {
            case .json: print(try jsonString(groups))
            case .csv:
                print("flag_id,rule,count,open,agents,cases,answer")
                for g in groups {
                    print([String(g.flagId), g.rule, String(g.count), String(g.open), g.agents.joined(separator: ";"),
                           g.caseIds.map(String.init).joined(separator: ";"), g.answer ?? ""].map(CaseExport.csvField).joined(separator: ","))
                }
            case .table:
                if groups.isEmpty { print("no open rule flags"); return }
                print(table(["FLAG", "TIMES", "OPEN", "RULE", "AGENTS", "ANSWER"],
                            groups.map { [String($0.flagId), String($0.count), String($0.open), $0.rule, $0.agents.joined(separator: ","), $0.answer ?? "-"] }))
                print("\nanswer a rule (all its open flags) with: casedesk flags answer FLAG \"text\" --as LEAD")
            }
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer a rule: every open flag of it, on every case (leads, admins).")
        @Argument var flag: Int64
        @Argument var text: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            let n = try store.open().answerRuleFlag(flag, answer: text, by: store.login)
            print("answered \(n) flag(s)")
        }
    }
}
