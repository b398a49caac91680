import Foundation
import Testing

/// Many processes on one database file, as on a shared contact-centre host.
@Suite(.serialized) struct ConcurrencyTests {
    @Test func sixteenProcessesTakingAtOnceNeverGetTheSameCase() throws {
        let db = try Casedesk.freshDatabase()
        for i in 0..<16 {
            try #require(Casedesk.run(["user", "add", "agent\(i)", "--role", "agent", "--db", db]).status == 0)
        }
        let csv = (["customer,channel,call_type,subject"] + (0..<100).map { "Customer \($0),phone,billing.dispute,Charge \($0)" })
            .joined(separator: "\n")
        let file = (db as NSString).deletingLastPathComponent + "/hundred.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        try #require(Casedesk.run(["import", file, "--db", db]).status == 0)

        // Each process keeps taking until the queue is empty.
        let script = "while \"$0\" case take-next --db \"$1\" --as \"$2\"; do :; done 2>/dev/null"
        let processes = try (0..<16).map { i -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, Casedesk.binary, db, "agent\(i)"]
            p.standardOutput = Pipe()
            try p.run()
            return p
        }
        var taken: [String] = []
        for p in processes {
            let data = (p.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            taken += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(taken.count == 100)
        #expect(Set(taken).count == 100)
        let open = try Casedesk.run(["case", "list", "--status", "new", "--db", db, "--format", "json"])
        #expect(open.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || open.stdout.contains("[]"))
    }

    @Test func twoWritersWithTheSameVersionOneWinsTheOtherHearsWho() throws {
        let db = try Casedesk.freshDatabase()
        try #require(Casedesk.run(["user", "add", "dana", "--role", "lead", "--db", db]).status == 0)
        try #require(Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", db]).status == 0)
        let id = try Casedesk.run(["case", "new", "--db", db, "--customer", "Søren Ås", "--channel", "email",
                                   "--call-type", "billing.dispute", "--subject", "Refund"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let writers = try ["dana", "alice"].map { who in
            try Casedesk.start(["case", "note", id, "note by \(who)", "--expect-version", "1", "--db", db, "--as", who])
        }
        var results: [(Int32, String)] = []
        for p in writers {
            let err = (p.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            results.append((p.terminationStatus, String(decoding: err, as: UTF8.self)))
        }
        #expect(results.filter { $0.0 == 0 }.count == 1)
        let loser = try #require(results.first { $0.0 != 0 })
        let winner = results[0].0 == 0 ? "dana" : "alice"
        #expect(loser.1.contains("was changed by \(winner)"))
    }
}
