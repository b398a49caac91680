import Foundation
import Testing

/// What `casedesk export` writes, `casedesk import` reads back into a new database.
@Suite struct ExportImportRoundTripTests {
    @Test func exportThenImportGivesTheSameCases() throws {
        let source = try Casedesk.freshDatabase()
        for login in ["alice", "dana"] {
            #expect(try Casedesk.run(["user", "add", login, "--role", login == "dana" ? "lead" : "agent", "--db", source]).status == 0)
        }
        let first = try Casedesk.run(["case", "new", "--db", source, "--as", "alice", "--customer", "María Núñez", "--channel", "phone",
                                      "--call-type", "billing.dispute", "--subject", "Charged twice, \"October\"", "--email", "maria@example.com"])
        let id = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Casedesk.run(["case", "take-next", "--db", source, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["case", "resolve", id, "--code", "refund_issued", "--csat", "4", "--db", source, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["case", "new", "--db", source, "--as", "alice", "--customer", "李娜", "--channel", "chat",
                                  "--subject", "Line one\nline two", "--self-service"]).status == 0)
        for format in ["csv", "jsonl"] {
            let exported = try Casedesk.run(["export", "--format", format, "--db", source])
            #expect(exported.status == 0)
            let file = try Casedesk.tempDir() + "/cases.\(format)"
            try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let target = try Casedesk.freshDatabase()
            #expect(try Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", target]).status == 0)
            let imported = try Casedesk.run(["import", file, "--db", target])
            #expect(imported.status == 0, "\(imported.stderr)")
            let again = try Casedesk.run(["export", "--format", format, "--db", target])
            // The same cases: every exported column but the version (an imported case starts at 1).
            func withoutVersion(_ text: String) -> [String] {
                text.split(separator: "\n").map { line in
                    format == "csv" ? line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
                                    : line.replacingOccurrences(of: #","version":\d+"#, with: "", options: .regularExpression)
                }
            }
            #expect(withoutVersion(again.stdout) == withoutVersion(exported.stdout))
            let twice = try Casedesk.run(["import", file, "--db", target])
            #expect(twice.status == 1 && twice.stderr.contains("case #\(id) already exists in this database (column 'id')"))
        }
    }
}
