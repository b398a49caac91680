import Foundation
import Testing

/// Commands that read many cases or customers ask the policy too: an expert sees the
/// cases put to them and nothing else (docs/admin-guide.md, "Who may do what").
struct ReadPolicyTests {
    @Test func anExpertCannotSearchFindCustomersListCasesOrRunReports() throws {
        let db = try DeskTerminalTests.demoDatabase()
        for args in [["search", "refund"], ["customer", "find", "a"], ["customer", "show", "1"], ["report", "volume"], ["case", "list"]] {
            let r = try Casedesk.run(args + ["--db", db, "--as", "ed"])
            #expect(r.status == 1 && r.stderr.hasPrefix("casedesk: ed may not list cases"), "\(args): \(r.stderr)")
        }
        #expect(try Casedesk.run(["search", "refund", "--db", db, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["report", "volume", "--db", db, "--as", "dana"]).status == 0)
    }
}
