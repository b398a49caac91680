import Foundation
import Testing

/// An inbound call from nothing, in a real terminal: N, part of a name, pick, call type,
/// subject, Enter; then F finds the case again and m records the callback.
@Suite(.serialized) struct ContactTerminalTests {
    @Test func anInboundCallFromTheFirstWordToTheCallback() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: DeskTerminalTests.env)
        try tmux.waitFor("Queue · mine (alice")

        try tmux.send("N")
        try tmux.waitFor("New case")
        try tmux.type("müll")
        try tmux.waitFor("Jürgen Müller · juergen")
        try tmux.send("Enter")                  // the match
        try tmux.send("Enter")                  // channel: phone
        try tmux.type("disp")
        try tmux.waitFor("billing.dispute         Disputed")
        try tmux.send("Enter")
        try tmux.type("Charged twice for the tandem bicycle")
        try tmux.send("Enter")
        try tmux.type("I see two charges for one bicycle")
        try tmux.send("Enter")
        let opened = try tmux.waitFor("opened · existing customer")
        let id = String(try #require(opened.components(separatedBy: "case #").last?.prefix { $0.isNumber }))
        try tmux.waitFor("Case #\(id) · billing.dispute · P2 · open")
        try tmux.waitFor("Script · ")
        try tmux.waitFor("other open cases (C)")

        try tmux.send("F")
        try tmux.waitFor("Search · ")
        try tmux.type("tandem")
        try tmux.send("Enter")
        try tmux.waitFor("1 case, by relevance")
        try tmux.send("Enter")
        try tmux.waitFor("Case #\(id) · ")

        try tmux.send("m")
        try tmux.waitFor("How did Jürgen Müller get in touch?")
        try tmux.send("Enter")                  // phone: called back
        try tmux.waitFor("What did Jürgen Müller say?")
        try tmux.type("Calling back: the second charge is still there")
        try tmux.send("Enter")
        try tmux.waitFor("contact recorded on case #\(id) (phone)")
        try tmux.waitFor("customer · phone: Calling back")

        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(json["assignee"] as? String == "alice")
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.first?["body"] as? String == "I see two charges for one bicycle")
        #expect(events.contains { $0["kind"] as? String == "message" && $0["channel"] as? String == "phone" })
        let found = try Casedesk.run(["search", "tandem", "--db", db, "--format", "json"])
        #expect(found.status == 0 && found.stdout.contains("\"id\" : \(id)"))
    }
}
