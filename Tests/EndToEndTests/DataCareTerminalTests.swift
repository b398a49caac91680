import Foundation
import GRDB
import Testing

/// Backups, restores and the data commands with the real binary: many writing processes,
/// a real desk in tmux, and bad input answered with one line and nothing changed.
@Suite(.serialized) struct DataCareTerminalTests {
    static func oneLine(_ r: Casedesk.Result) -> Bool {
        r.status != 0 && r.stderr.hasPrefix("casedesk: ") && r.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1
    }

    @Test func backupTakenWhileEightProcessesWriteIsWholeAndConsistent() throws {
        let db = try Casedesk.freshDatabase()
        let dir = (db as NSString).deletingLastPathComponent
        for i in 0..<8 { try #require(Casedesk.run(["user", "add", "agent\(i)", "--role", "agent", "--db", db]).status == 0) }
        // Each writer creates a case and notes on it, over and over, until told to stop.
        let script = """
            n=0; while [ ! -f "$3/stop" ]; do
              id=$("$0" case new --db "$1" --customer "Writer $2 customer $n" --channel phone --call-type billing.dispute --subject "Case $n" --as "agent$2") || exit 1
              "$0" case note "$id" "first note $n" --db "$1" --as "agent$2" || exit 1
              "$0" case note "$id" "second note $n" --db "$1" --as "agent$2" || exit 1
              n=$((n+1)); done
            """
        let writers = try (0..<8).map { i -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, Casedesk.binary, db, String(i), dir]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        defer { FileManager.default.createFile(atPath: dir + "/stop", contents: nil); for p in writers { p.waitUntilExit() } }
        func cases() throws -> Int {
            try DatabaseQueue(path: db, configuration: { var c = Configuration(); c.readonly = true; c.busyMode = .timeout(10); return c }())
                .read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? 0 }
        }
        let deadline = Date().addingTimeInterval(60)
        while try cases() < 16, Date() < deadline { usleep(50_000) }

        var reports: [String] = []
        for _ in 0..<3 {
            let r = try Casedesk.run(["backup", "--to", dir + "/backup.sqlite", "--keep", "3", "--db", db])
            #expect(r.status == 0, "\(r.stderr)")
            reports.append(r.stdout)
            usleep(300_000)
        }
        // The writers keep writing after the last copy: wait for a case it does not hold
        // (on a loaded machine 300 ms may pass without one), then stop them.
        let lastCopied = try #require(reports.last?.firstMatch(of: /cases (\d+)/).flatMap { Int($0.1) }, "\(reports)")
        let more = Date().addingTimeInterval(60)
        while try cases() <= lastCopied, Date() < more { usleep(50_000) }
        FileManager.default.createFile(atPath: dir + "/stop", contents: nil)
        for p in writers { p.waitUntilExit(); #expect(p.terminationStatus == 0) }

        var seen: [Int] = []
        for (n, file) in ["backup.sqlite.2", "backup.sqlite.1", "backup.sqlite"].enumerated() {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(10)
            let copy = try DatabaseQueue(path: dir + "/" + file, configuration: config)
            let (integrity, cases, events, orphans, bare) = try copy.read { db in
                (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE case_id NOT IN (SELECT id FROM cases)") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.kind = 'created')") ?? -1)
            }
            #expect(integrity == ["ok"])
            #expect(orphans == 0 && bare == 0)
            // The counts the backup printed are the counts of the file: one instant.
            #expect(reports[n].contains("cases \(cases), events \(events)"), "\(reports[n])")
            seen.append(cases)
        }
        // The writers really were writing while the backups ran.
        #expect(seen[0] < seen[2])
        #expect(try cases() > seen[2])
    }

    @Test func restoreIsRefusedWhileADeskIsOpenThenBringsBackTheSameQueue() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let dir = (db as NSString).deletingLastPathComponent
        try #require(Casedesk.run(["backup", "--to", dir + "/nightly.sqlite", "--db", db]).status == 0)

        let desk = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: DeskTerminalTests.env)
        let before = try desk.waitFor("Queue · mine (alice")
        let queue = Self.caseIds(before)
        #expect(!queue.isEmpty)
        // A change after the backup: alice takes another case; it shows on her desk.
        let taken = try Casedesk.run(["case", "take-next", "--db", db, "--as", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try desk.waitFor("#\(taken)")

        let refused = try Casedesk.run(["restore", dir + "/nightly.sqlite", "--db", db])
        #expect(Self.oneLine(refused))
        #expect(refused.stderr.contains("is open on 1 desk(s) (alice)"))
        try desk.send("q")
        try desk.waitFor("EXITED 0")

        let restored = try Casedesk.run(["restore", dir + "/nightly.sqlite", "--db", db])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("the previous database is kept as"))

        let again = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: DeskTerminalTests.env)
        let after = try again.waitFor("Queue · mine (alice")
        #expect(Self.caseIds(after) == queue)
        #expect(!after.contains("#\(taken) "))
        try again.send("q")
        try again.waitFor("EXITED 0")
    }

    /// A process with the database open but no desk (an import, a mail delivery, any SQLite
    /// client): it could write into the file about to be kept, or into the -wal about to be
    /// deleted, so the swap waits for it, then refuses; once it has gone, the restore runs.
    @Test func restoreIsRefusedWhileAnotherProcessHasTheDatabaseOpen() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let dir = (db as NSString).deletingLastPathComponent
        try #require(Casedesk.run(["backup", "--to", dir + "/nightly.sqlite", "--db", db]).status == 0)
        let cases = { try Casedesk.run(["case", "list", "--db", db, "--format", "csv"]).stdout }
        let before = try cases()

        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("SELECT count(*) FROM cases").fetchall()
            print("open", flush=True)
            sys.stdin.readline()
            """, db]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("open"))

        let refused = try Casedesk.run(["restore", dir + "/nightly.sqlite", "--db", db])
        #expect(Self.oneLine(refused), "\(refused.stderr)")
        #expect(refused.stderr.contains("is still open in another process"), "\(refused.stderr)")
        #expect(try cases() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("before-restore") || $0.contains("restoring") }.isEmpty)

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        let restored = try Casedesk.run(["restore", dir + "/nightly.sqlite", "--db", db])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try cases() == before)
    }

    /// Runs a program other than casedesk, capturing its output as `Casedesk.run` does.
    static func runProcess(_ path: String, _ args: [String]) throws -> Casedesk.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Casedesk.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Case ids in the queue pane (the left 40 columns), top to bottom.
    static func caseIds(_ screen: String) -> [String] {
        screen.split(separator: "\n").compactMap { line -> String? in
            let left = String(line.prefix(40))
            guard let hash = left.firstIndex(of: "#") else { return nil }
            let digits = left[left.index(after: hash)...].prefix { $0.isNumber }
            return digits.isEmpty ? nil : String(digits)
        }
    }

    @Test func badInputGetsOneLineAndChangesNothing() throws {
        let db = try DeskTerminalTests.demoDatabase()
        let dir = (db as NSString).deletingLastPathComponent
        try #require(Casedesk.run(["user", "add", "root2", "--role", "admin", "--db", db]).status == 0)
        let list = { try Casedesk.run(["case", "list", "--db", db, "--format", "csv"]).stdout }
        let snapshot = try list()

        // A backup into a missing directory, and onto a full disk (a 256 KiB tmpfs).
        let missing = try Casedesk.run(["backup", "--to", dir + "/nowhere/b.sqlite", "--db", db])
        #expect(Self.oneLine(missing) && missing.stderr.contains("does not exist"))
        let small = dir + "/small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        // A mount namespace of its own, so the tmpfs is private to this one command.
        let full = try Self.runProcess("/usr/bin/unshare", ["-rm", "/bin/sh", "-c",
            "mount -t tmpfs -o size=256k tmpfs \"$1\" && exec \"$0\" backup --to \"$1/b.sqlite\" --db \"$2\"",
            Casedesk.binary, small, db])
        #expect(Self.oneLine(full), "\(full.stderr)")
        #expect(full.stderr.contains("not enough space") || full.stderr.contains("is full"))

        // A backup onto the database itself, a negative --keep.
        let onto = try Casedesk.run(["backup", "--to", db, "--keep", "2", "--db", db])
        #expect(Self.oneLine(onto) && onto.stderr.contains("is the database"), "\(onto.stderr)")
        let negative = try Casedesk.run(["backup", "--to", dir + "/k.sqlite", "--keep", "-1", "--db", db])
        #expect(Self.oneLine(negative) && negative.stderr.contains("--keep -1 is not a number of backups to keep"), "\(negative.stderr)")

        // Restores of a file that is not a database, of another program's database, of a corrupt one.
        try "hello".write(toFile: dir + "/text.sqlite", atomically: true, encoding: .utf8)
        let other = try DatabaseQueue(path: dir + "/other.sqlite")
        try other.write { db in try db.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        try other.close()
        try #require(Casedesk.run(["backup", "--to", dir + "/good.sqlite", "--db", db]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/good.sqlite"))
        bytes.replaceSubrange(40_000..<60_000, with: Data(repeating: 0x5A, count: 20_000))
        try bytes.write(to: URL(fileURLWithPath: dir + "/corrupt.sqlite"))
        for (file, says) in [("text.sqlite", "not a CaseDesk backup"), ("other.sqlite", "not a CaseDesk backup"), ("corrupt.sqlite", "corrupt")] {
            let r = try Casedesk.run(["restore", dir + "/" + file, "--db", db])
            #expect(Self.oneLine(r), "\(file): \(r.stderr)")
            #expect(r.stderr.contains(says), "\(file): \(r.stderr)")
        }

        // Erasing a customer who does not exist; a retention period that does not parse.
        let state = ["CASEDESK_LOG_DIR": dir + "/logs"]
        let unknown = try Casedesk.run(["customer", "erase", "999999", "--reason", "asked", "--db", db, "--as", "root2"], env: state)
        #expect(Self.oneLine(unknown) && unknown.stderr.contains("no customer #999999"))
        let notAdmin = try Casedesk.run(["customer", "erase", "1", "--reason", "asked", "--db", db, "--as", "alice"], env: state)
        #expect(Self.oneLine(notAdmin) && notAdmin.stderr.contains("only an admin"))
        let period = try Casedesk.run(["retention", "run", "--resolved-after", "3 years", "--db", db, "--as", "root2"])
        #expect(Self.oneLine(period) && period.stderr.contains("The value '3 years' is invalid for '--resolved-after")
                && period.stderr.contains("a retention period is a number and a unit: 3y, 18m (months), 26w, 90d"))

        #expect(try list() == snapshot)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("partial") || $0.contains("restoring") || $0.contains("before-restore") }
        #expect(leftovers.isEmpty)
        // The refusals went to the operations log, one line each.
        let log = try String(contentsOfFile: dir + "/logs/operations.log", encoding: .utf8)
        #expect(log.contains("refused: casedesk customer erase by alice"))
    }
}
