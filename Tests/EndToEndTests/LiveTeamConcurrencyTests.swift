import CaseCore
import Foundation
import GRDB
import Testing

/// The live team across processes: take-next racing a lead's reassignments, and the
/// change notification a desk sleeps on.
@Suite(.serialized) struct LiveTeamConcurrencyTests {
    /// Lines a process printed on stdout, after it exits.
    static func output(_ p: Process) -> [String] {
        let data = (p.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func shell(_ script: String, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script] + args
        p.standardOutput = Pipe()
        p.standardError = Pipe()
        try p.run()
        return p
    }

    @Test func sixteenTakersAndALeadReassigningNeverLoseOrDoubleACase() throws {
        let db = try Casedesk.freshDatabase()
        let dir = (db as NSString).deletingLastPathComponent
        try #require(Casedesk.run(["user", "add", "dana", "--role", "lead", "--db", db]).status == 0)
        let agents = (0..<16).map { "agent\($0)" }
        for a in agents { try #require(Casedesk.run(["user", "add", a, "--role", "agent", "--db", db]).status == 0) }
        let total = 300
        let csv = (["customer,channel,call_type,subject"] + (0..<total).map { "Customer \($0),phone,billing.dispute,Charge \($0)" })
            .joined(separator: "\n")
        try csv.write(toFile: dir + "/cases.csv", atomically: true, encoding: .utf8)
        try #require(Casedesk.run(["import", dir + "/cases.csv", "--db", db]).status == 0)

        // The lead's 200 moves, decided up front: random cases to random agents.
        var rng = SystemRandomNumberGenerator()
        let moves = (0..<200).map { _ in (Int64.random(in: 1...Int64(total), using: &rng), agents.randomElement(using: &rng)!) }
        try moves.map { "\($0.0) \($0.1)" }.joined(separator: "\n").appending("\n")
            .write(toFile: dir + "/moves.txt", atomically: true, encoding: .utf8)

        let take = "while \"$0\" case take-next --db \"$1\" --as \"$2\"; do :; done 2>/dev/null"
        let lead = "while read id who; do \"$0\" case assign \"$id\" \"$who\" --reason \"balancing\" --db \"$1\" --as dana || echo \"FAILED $id $who\"; done < \"$2\""
        let takers = try agents.map { try Self.shell(take, [Casedesk.binary, db, $0]) }
        let leader = try Self.shell(lead, [Casedesk.binary, db, dir + "/moves.txt"])
        var taken: [String] = []
        for p in takers { taken += Self.output(p) }
        let leadLines = Self.output(leader)

        // Every lead command succeeded, in order.
        #expect(leadLines.count == moves.count)
        #expect(!leadLines.contains { $0.hasPrefix("FAILED") })
        // take-next never handed a case out twice.
        #expect(Set(taken).count == taken.count)

        let store = try CaseStore(path: db)
        let cases = try store.listCases(limit: total + 10, ascending: true)
        #expect(cases.count == total)
        // Every case has exactly one owner (a single assignee column, so: not none), an agent.
        #expect(cases.allSatisfy { $0.assignee.map(agents.contains) == true })
        let events = try store.events(after: 0, limit: 100_000).filter { $0.kind == .assign }
        // Each take-next is one audited claim, each case claimed at most once.
        let claims = events.filter { $0.body == "taken from the queue" }
        #expect(claims.count == taken.count)
        #expect(Set(claims.map(\.caseId)).count == claims.count)
        #expect(Set(claims.map { String($0.caseId) }) == Set(taken))
        // Every reassignment is in the audit trail, in the order the lead made them.
        let byLead = events.filter { $0.actor == "dana" }
        #expect(byLead.map(\.caseId) == moves.map(\.0))
        #expect(byLead.map(\.newValue) == moves.map(\.1))
        #expect(byLead.allSatisfy { $0.body == "balancing" && $0.field == "assignee" })
        // The trail and the rows agree: each case's last assign event names its owner.
        var last: [Int64: String?] = [:]
        for e in events { last[e.caseId] = e.newValue }
        #expect(cases.allSatisfy { last[$0.id] == .some($0.assignee) })
        // Each move recorded who had the case before it: the previous event's owner.
        var owner: [Int64: String] = [:]
        for e in events {
            #expect(e.oldValue == owner[e.caseId], "case #\(e.caseId) event #\(e.id)")
            owner[e.caseId] = e.newValue
        }
    }

    @Test func multiCaseAssignFromTheCommandLineIsAllOrNothingAndRoleChecked() throws {
        let db = try Casedesk.freshDatabase()
        for (login, role) in [("dana", "lead"), ("alice", "agent"), ("bob", "agent")] {
            try #require(Casedesk.run(["user", "add", login, "--role", role, "--team", "Tier 1", "--db", db]).status == 0)
        }
        for i in 0..<3 {
            try #require(Casedesk.run(["case", "new", "--db", db, "--customer", "C\(i)", "--channel", "chat", "--subject", "S\(i)"]).status == 0)
        }
        try #require(Casedesk.run(["case", "assign", "3", "alice", "--db", db, "--as", "dana"]).status == 0)
        let refused = try Casedesk.run(["case", "assign", "1,2,3", "bob", "--db", db, "--as", "bob"])
        #expect(refused.status != 0 && refused.stderr.contains("may not reassign case #3"))
        let moved = try Casedesk.run(["case", "assign", "1,2,3", "bob", "--reason", "alice is out", "--db", db, "--as", "dana"])
        #expect(moved.status == 0)
        #expect(moved.stdout.split(separator: "\n").count == 3)
        let store = try CaseStore(path: db)
        #expect(try (1...3).map { try store.record(Int64($0)).assignee } == ["bob", "bob", "bob"])
        #expect(try store.detail(3).events.last?.body == "alice is out")

        // Policies and the board from the command line obey roles too.
        #expect(try Casedesk.run(["team", "policy", "Tier 1", "round_robin", "--db", db, "--as", "alice"]).status != 0)
        #expect(try Casedesk.run(["team", "policy", "Tier 1", "round_robin", "--db", db, "--as", "dana"]).status == 0)
        #expect(try Casedesk.run(["team", "list", "--db", db]).stdout.contains("round_robin"))
        let created = try Casedesk.run(["case", "new", "--db", db, "--customer", "D", "--channel", "ivr", "--subject", "S",
                                        "--team", "Tier 1"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let auto = try store.detail(try #require(Int64(created)))
        #expect(auto.record.assignee == "alice")
        #expect(auto.events.last?.body == "auto: round robin (team Tier 1)")
        #expect(try Casedesk.run(["team", "board", "--db", db, "--as", "alice"]).status != 0)
        let board = try Casedesk.run(["team", "board", "--db", db, "--as", "dana", "--format", "json"])
        #expect(board.status == 0 && board.stdout.contains("\"team\" : \"Tier 1\""))
    }

    @Test func aWriteByAnotherProcessWakesTheWatcherWithinASecond() throws {
        let db = try Casedesk.freshDatabase()
        try #require(Casedesk.run(["user", "add", "dana", "--role", "lead", "--db", db]).status == 0)
        try #require(Casedesk.run(["case", "new", "--db", db, "--customer", "Ana", "--channel", "web", "--subject", "Hi"]).status == 0)
        let watcher = try ChangeWatcher(path: db)
        let wakes = WakeCounter()
        try watcher.notify { wakes.bump() }
        defer { watcher.stop() }
        #expect(wakes.count == 0)       // nothing written since: the thread sleeps in read()

        for round in 1...3 {
            let before = wakes.count
            let note = try Casedesk.run(["case", "note", "1", "note \(round)", "--db", db, "--as", "dana"])
            try #require(note.status == 0)
            // Poll for the wake with a deadline; it normally arrives before the writer exits.
            let deadline = Date().addingTimeInterval(1)
            while wakes.count == before, Date() < deadline { usleep(5_000) }
            #expect(wakes.count > before, "round \(round): no wake within 1 s of the commit")
            #expect(watcher.changed())
        }
    }
}

final class WakeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func bump() { lock.lock(); n += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return n }
}
