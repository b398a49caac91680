import CaseCore
import Foundation
import Testing

/// Two or three people in their own terminals on one database: a lead's board and
/// agents' desks, each seeing the others' changes live.
@Suite(.serialized) struct LiveDeskTerminalTests {
    static let env = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "UTC"]

    func desk(_ db: String, as login: String, board: Bool = false) throws -> Tmux {
        try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as \(login)\(board ? " --board" : "")", env: Self.env)
    }

    func firstAtRiskCase(_ screen: String) -> String? {
        guard let section = screen.components(separatedBy: "At SLA risk").last else { return nil }
        return section.components(separatedBy: "#").dropFirst().first.map { String($0.prefix { $0.isNumber }) }
    }

    @Test func leadReassignsAndTheAgentSeesItLive() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let lead = try desk(db, as: "dana", board: true)
        let agent = try desk(db, as: "alice")
        let board = try lead.waitFor("At SLA risk")
        try agent.waitFor("Queue · mine (alice")
        let id = try #require(firstAtRiskCase(board))

        try lead.send("a")
        try lead.waitFor("Move case #\(id) to")
        try lead.type("alice")
        try lead.send("Enter")
        try lead.waitFor("Why move case #\(id)")
        try lead.type("knows this customer")
        try lead.send("Enter")
        try lead.waitFor("moved case #\(id) to alice")
        // The agent's queue shows the case, with a notice naming who and why, within 2 s.
        try agent.waitFor("case #\(id) and the notice", timeout: 2) {
            $0.contains("#\(id) ") && $0.contains("case #\(id) moved to you by dana: knows this customer")
        }

        try agent.send(":")
        try agent.type(id)
        try agent.send("Enter")
        try agent.waitFor("Case #\(id) ·")

        try lead.send("a")
        try lead.waitFor("Move case #\(id) to")
        try lead.type("bob")
        try lead.send("Enter")
        try lead.waitFor("Why move case #\(id)")
        try lead.send("Enter")
        try lead.waitFor("moved case #\(id) to bob")
        try agent.waitFor("the agent told", timeout: 2) { $0.contains("case #\(id) was moved to bob by dana") || $0.contains("case #\(id) moved to bob by dana") }
        try agent.waitFor("Owner: bob")

        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let moves = (json["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "assign" && $0["actor"] as? String == "dana" }
        #expect(moves.compactMap { $0["new_value"] as? String }.suffix(2) == ["alice", "bob"])
        #expect(moves.compactMap { $0["body"] as? String }.contains("knows this customer"))
    }

    @Test func presenceShowsOthersAndExpiresWhenADeskQuitsOrDies() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let id = try Casedesk.run(["case", "list", "--db", db, "--assignee", "alice", "--status", "open", "--limit", "1", "--format", "csv"])
            .stdout.split(separator: "\n").dropFirst().first.map { String($0.prefix { $0.isNumber }) }
        let caseId = try #require(id)
        let alice = try desk(db, as: "alice")
        let dana = try desk(db, as: "dana")
        for t in [alice, dana] {
            try t.waitFor("Queue · mine")
            try t.send(":")
            try t.type(caseId)
            try t.send("Enter")
            try t.waitFor("Case #\(caseId) ·")
        }
        let expiry = CaseStore.presenceExpiry + 4
        try alice.waitFor("also here: dana", timeout: expiry)
        try dana.waitFor("also here: alice", timeout: expiry)
        try dana.send("i")   // typing a note shows as typing
        try alice.waitFor("also here: dana (typing)", timeout: expiry)
        try dana.send("Escape")
        try dana.send("q")
        try dana.waitFor("EXITED 0")
        try alice.waitFor("dana's mark to clear", timeout: expiry) { !$0.contains("also here: dana") }

        // A desk killed outright leaves its row behind; it expires on its own.
        let bob = try desk(db, as: "bob")
        try bob.waitFor("Queue · mine")
        try bob.send(":")
        try bob.type(caseId)
        try bob.send("Enter")
        try alice.waitFor("also here: bob", timeout: expiry)
        let shell = try #require(Int32(bob.run(["display-message", "-p", "-t", bob.session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let deskPid = try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
        kill(deskPid, SIGKILL)
        try bob.waitFor("EXITED 137")
        try alice.waitFor("bob's mark to clear", timeout: expiry) { !$0.contains("also here: bob") }
    }
}
