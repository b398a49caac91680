import CaseCore
import Foundation
import Testing

/// A survey score recorded from the command line reaches a lead's board in another
/// terminal live, with the comment shown as text (its escape sequence never acted on).
@Suite(.serialized) struct CSATAlertTerminalTests {
    @Test func lowScoreReachesTheLeadBoardLive() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let list = try Casedesk.run(["case", "list", "--status", "resolved", "--assignee", "alice", "--limit", "1", "--format", "json", "--db", db])
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let id = try #require(cases.first?["id"] as? Int)

        let lead = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as dana --board", env: LiveDeskTerminalTests.env)
        try lead.waitFor("At SLA risk")
        #expect(try !lead.screen().contains("Waited three days"))

        let r = try Casedesk.run(["csat", "record", String(id), "1", "--replace", "--comment", "Waited three days\u{1B}[2J for a reply",
                                  "--db", db, "--as", "dana"])
        #expect(r.status == 0, "\(r.stderr)")
        let board = try lead.waitFor("the alert", timeout: 5) { $0.contains("Low CSAT · ") && $0.contains("1/5 #\(id) alice") }
        #expect(board.contains("Waited three days␛[2J for a reply"), "the escape byte is shown as ␛, the rest as text")
        #expect(board.contains("At SLA risk"), "the rest of the board is still drawn")

        // Bad input from the same command line: one line each, nothing written.
        let bad = try Casedesk.run(["csat", "record", String(id), "9", "--db", db, "--as", "dana"])
        #expect(bad.status != 0 && bad.stderr == "casedesk: CSAT is 1 to 5, not 9\n")
        let again = try Casedesk.run(["csat", "record", String(id), "4", "--db", db, "--as", "dana"])
        #expect(again.status == 1 && again.stderr == "casedesk: case #\(id) already has CSAT 1; use --replace to change it\n")
    }
}
