import CaseCore
import Foundation
import GRDB
import Testing

/// What the desk and the command line survive: desks killed outright, hostile
/// customer text, a database lock held by someone else. Real binary, real tmux.
@Suite(.serialized) struct HardeningTerminalTests {
    static let env = DeskTerminalTests.env

    /// The desk process in the tmux pane (the pane's shell's child).
    static func deskPid(_ tmux: Tmux) throws -> Int32 {
        let shell = try #require(Int32(tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
    }

    static func paneTitle(_ tmux: Tmux) throws -> String {
        try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Desks killed with -9 a moment after opening a case: each interval must end
    /// when the work stopped, not run on until someone resolves the case.
    @Test func desksKilledRightAfterOpeningACaseAreNotChargedUntilResolved() throws {
        let db = try DeskTerminalTests.demoDatabase()
        var taken: [(Int64, String)] = []
        for login in ["alice", "bob"] {
            let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as \(login)", env: Self.env)
            try tmux.waitFor("Queue · mine (\(login)")
            try tmux.send("n")
            let screen = try tmux.waitFor("took case #")
            let id = try #require(screen.firstMatch(of: /took case #(\d+)/).flatMap { Int64($0.1) })
            // The case is on screen before the desk's worker has committed the interval
            // that opening it starts; kill only once that interval is stored.
            let store = try CaseStore(path: db)
            try tmux.waitFor("the work interval on case #\(id)") { _ in
                ((try? store.pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM work_intervals WHERE case_id = ?", arguments: [id]) }) ?? 0) > 0
            }
            kill(try Self.deskPid(tmux), SIGKILL)
            try tmux.waitFor("EXITED 137")
            taken.append((id, login))
        }
        // Resolved later from the command line: no interval may stretch to it.
        for (id, login) in taken {
            let r = try Casedesk.run(["case", "resolve", String(id), "--code", "fixed", "--db", db, "--as", login])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let store = try CaseStore(path: db)
        for (id, _) in taken {
            let rows = try store.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT w.started_at, w.ended_at, c.resolved_at FROM work_intervals w JOIN cases c ON c.id = w.case_id
                    WHERE w.case_id = ?
                    """, arguments: [id])
            }
            #expect(!rows.isEmpty)
            for row in rows {
                let started: Double = row["started_at"]
                let ended: Double? = row["ended_at"]
                #expect(ended != nil, "case #\(id): the interval of a killed desk is still open")
                // What the AHT report charges: up to the end, or else up to the resolution.
                let charged = (ended ?? row["resolved_at"] ?? started) - started
                #expect(charged <= 10, "case #\(id) charged \(charged) s for a desk killed within seconds")
            }
        }
    }

    /// SIGINT, SIGTERM, SIGHUP, SIGQUIT: the handler only notes the signal; the desk
    /// then finishes like `q` — interval closed at the signal, presence gone at once,
    /// terminal restored — and exits 128+signo.
    @Test(arguments: [(SIGTERM, "143"), (SIGHUP, "129"), (SIGINT, "130"), (SIGQUIT, "131")])
    func quitSignalsFinishTheDesk(signal: Int32, status: String) throws {
        let db = try DeskTerminalTests.demoDatabase()
        let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: Self.env)
        try tmux.waitFor("Queue · mine (alice")
        try tmux.send("Enter")
        try tmux.waitFor("Case #")
        let store = try CaseStore(path: db)
        let present = { try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM presence p JOIN users u ON u.id = p.user_id WHERE u.login = 'alice'") ?? 0 } }
        try tmux.waitFor("alice's presence") { _ in (try? present()) == 1 }
        let newest = { try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT started_at, ended_at FROM work_intervals ORDER BY id DESC LIMIT 1") } }
        let before = try #require(try newest())
        let signalledAt = Date().timeIntervalSince1970
        kill(try Self.deskPid(tmux), signal)
        try tmux.waitFor("EXITED \(status)")
        #expect(try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try present() == 0, "presence left behind")
        let after = try #require(try newest())
        #expect((after["started_at"] as Double) == (before["started_at"] as Double))
        let ended: Double = try #require(after["ended_at"])
        #expect(ended >= signalledAt - 0.5, "the interval was not closed when the desk finished")
        let doctor = try Casedesk.run(["doctor", "--db", db])
        #expect(doctor.status == 0 && doctor.stdout.contains("integrity: ok"))
    }

    static func databaseWithAgent() throws -> String {
        let db = try Casedesk.freshDatabase()
        let added = try Casedesk.run(["user", "add", "agentx", "--name", "Agent X", "--role", "agent", "--db", db])
        precondition(added.status == 0, added.stderr)
        return db
    }

    static let hostile = "Mallory \u{1B}]0;PWNED\u{07}\u{1B}[2J\u{1B}[HSmith"

    /// A customer whose name carries an OSC window title and a CSI clear screen:
    /// `case show` and `case list` print it as visible text; the pane keeps its
    /// title and what was on screen.
    @Test func escapeSequencesInCustomerTextDoNotReachTheTerminalFromTheCommandLine() throws {
        let db = try Self.databaseWithAgent()
        let made = try Casedesk.run(["case", "new", "--customer", Self.hostile, "--channel", "email", "--subject",
                                     "Refund \u{1B}[31mnow\u{1B}[0m \u{202E}gnp.exe", "--db", db, "--as", "agentx"])
        let id = try #require(Int64(made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(made.stderr)")
        let script = try Casedesk.tempDir() + "/show.sh"
        try """
            printf '\\033]0;before\\007'
            echo KEEP-THIS-LINE
            \(Casedesk.binary) case show \(id) --db \(db) --as agentx
            \(Casedesk.binary) case list --db \(db) --as agentx
            echo DONE-PRINTING
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let tmux = try Tmux(width: 160, height: 40, command: "sh \(script)", env: Self.env)
        let screen = try tmux.waitFor("EXITED 0")
        #expect(screen.contains("KEEP-THIS-LINE"), "the screen was cleared:\n\(screen)")
        #expect(screen.contains("Mallory ␛]0;PWNED␇␛[2J␛[HSmith"))
        #expect(screen.contains("Refund ␛[31mnow␛[0m gnp.exe"))   // the bidi override is gone
        #expect(try Self.paneTitle(tmux) == "before")
        // JSON stays data: the escape is escaped, not rewritten.
        let json = try Casedesk.run(["case", "show", String(id), "--format", "json", "--db", db, "--as", "agentx"]).stdout
        #expect(json.contains("Mallory \\u001b]0;PWNED\\u0007"))
        #expect(json.contains("\\u202e"))
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    /// The same customer on the desk: shown as text, title and screen intact.
    @Test func escapeSequencesInCustomerTextDoNotReachTheTerminalFromTheDesk() throws {
        let db = try Self.databaseWithAgent()
        let made = try Casedesk.run(["case", "new", "--customer", Self.hostile, "--channel", "chat", "--subject", "Help",
                                     "--body", "line one\u{1B}P1$r\u{1B}\\ \u{9B}2J end", "--db", db, "--as", "agentx"])
        let id = try #require(Int64(made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(made.stderr)")
        #expect(try Casedesk.run(["case", "take-next", "--db", db, "--as", "agentx"]).status == 0)
        let tmux = try Tmux(width: 160, height: 45, command: "sh -c \"printf '\\033]0;before\\007'; \(Casedesk.binary) --db \(db) --as agentx\"",
                            env: Self.env)
        try tmux.waitFor("Queue · mine (agentx")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("Case #\(id)")
        #expect(screen.contains("Mallory ␛]0;PWNED␇␛[2J␛[HSmith"))
        #expect(screen.contains("line one␛P1$r␛\\ �2J end"))
        #expect(try Self.paneTitle(tmux) == "before")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}

/// What tmux really shows for text that is not one code point per cell.
@Suite(.serialized) struct ClusterTerminalTests {
    @Test func indicThaiVietnameseAndEmojiShowWholeAndKeepTheColumns() throws {
        let db = try HardeningTerminalTests.databaseWithAgent()
        let names = ["अनीता पटेल", "สมชาย ใจดี", "Nguye\u{302}\u{303}n Thi\u{323} Ha\u{306}\u{300}ng"]
        for name in names {
            let r = try Casedesk.run(["case", "new", "--customer", name, "--channel", "chat", "--subject", "Question 👍🏽👩🏾‍💻🇬🇧",
                                      "--db", db, "--as", "agentx"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try Casedesk.run(["case", "take-next", "--db", db, "--as", "agentx"]).status == 0)
        }
        let tmux = try Tmux(width: 120, height: 24, command: "\(Casedesk.binary) --db \(db) --as agentx", env: HardeningTerminalTests.env)
        try tmux.waitFor("Queue · mine (agentx")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("Question 👍🏽👩🏾💻🇬🇧")
        let lines = screen.split(separator: "\n").map(String.init)
        for name in names {
            // Vowel signs, tone marks and all: nothing dropped, and the panes' borders
            // still close each row (a width the terminal disagreed with would shift them).
            let row = try #require(lines.first { $0.contains(name) && $0.hasPrefix("│") }, "\(name) missing:\n\(screen)")
            #expect(row.hasSuffix("│"))
            #expect(row.filter { $0 == "│" }.count == 4)
        }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}

/// A process that opens the same database twice must stay visible to the others:
/// reading the file's header with open()/close() dropped this process's SQLite
/// locks, and another process closing its last connection then reset the WAL under
/// it (every read here: "database disk image is malformed").
@Suite(.serialized) struct SharedFileLockTests {
    @Test func openingTheDatabaseTwiceKeepsItsLocks() throws {
        let db = try HardeningTerminalTests.databaseWithAgent()
        let first = try CaseStore(path: db)
        _ = try first.user(login: "agentx")
        let second = try CaseStore(path: db)
        _ = try second.user(login: "agentx")
        for i in 1...3 {
            // Another process writes, then closes its last connection as it exits.
            let r = try Casedesk.run(["case", "new", "--customer", "Customer \(i)", "--channel", "web", "--subject", "Hello",
                                      "--db", db, "--as", "agentx"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try first.listCases(limit: 10).count == i)
            #expect(try second.listCases(limit: 10).count == i)
        }
    }
}
