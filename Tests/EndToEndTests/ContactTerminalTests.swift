import Foundation
import Testing

/// An inbound call from nothing, in a real terminal: N, part of a name, pick, call type,
/// subject, Enter; then F finds the case again, m records the callback, P raises the
/// priority with a reason and T moves the case to another team's queue.
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

        try tmux.send("P")
        try tmux.waitFor("Priority of case #\(id)")
        try tmux.send("Up")                     // P2 → P1
        try tmux.send("Enter")                  // no reason yet: refused, the form stays
        try tmux.waitFor("say why the priority changes")
        try tmux.type("Card blocked while abroad")
        try tmux.send("Enter")
        try tmux.waitFor("case #\(id) is now P1 · Card blocked while abroad")
        try tmux.waitFor("Case #\(id) · billing.dispute · P1 · open")

        try tmux.send("T")
        try tmux.waitFor("Move case #\(id) to which team's queue?")
        try tmux.type("tier 2")
        try tmux.send("Enter")
        try tmux.waitFor("case #\(id) moved to the Tier 2 queue")

        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(json["assignee"] as? String != "alice")   // moved to Tier 2's queue (its policy may give it to one of them)
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.first?["body"] as? String == "I see two charges for one bicycle")
        #expect(events.contains { $0["kind"] as? String == "message" && $0["channel"] as? String == "phone" })
        #expect(events.contains { $0["kind"] as? String == "priority" && $0["old_value"] as? String == "P2" && $0["new_value"] as? String == "P1"
            && $0["body"] as? String == "Card blocked while abroad" })
        #expect(events.contains { $0["kind"] as? String == "assign" && $0["field"] as? String == "team" && $0["new_value"] as? String == "Tier 2" })
        let found = try Casedesk.run(["search", "tandem", "--db", db, "--format", "json"])
        #expect(found.status == 0 && found.stdout.contains("\"id\" : \(id)"))
    }
}
