import Foundation
import Testing

/// Faults as users meet them: a database another process keeps locked, a full disk, a
/// bulk load killed half-way. Each gets one `casedesk:` line and loses nothing stored.
@Suite(.serialized) struct StoreFaultTests {
    /// A python3 process holding the write lock (`BEGIN IMMEDIATE`) until its stdin closes.
    final class LockHolder {
        let process = Process()
        let input = Pipe()
        init(_ db: String) throws {
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute('BEGIN IMMEDIATE')
                c.execute("INSERT INTO settings(key, value) VALUES ('lock-test', 'held')")
                print('locked', flush=True)
                sys.stdin.read()
                c.execute('COMMIT')
                """, db]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            precondition(line.hasPrefix("locked"), "the lock holder did not start")
        }
        func release() throws {
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func caseCount(_ db: String) throws -> Int {
        let list = try Casedesk.run(["case", "list", "--status", "new", "--format", "csv", "--db", db])
        return list.stdout.split(separator: "\n").count - 1
    }

    @Test func aLockedDatabaseGetsItsOwnLineAndExitStatus() throws {
        let db = try Casedesk.freshDatabase()
        #expect(try Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", db]).status == 0)
        let holder = try LockHolder(db)
        let refused = try Casedesk.run(["case", "new", "--db", db, "--as", "alice", "--customer", "Ann Lee", "--channel", "phone",
                                        "--subject", "Locked out"], env: ["CASEDESK_LOCK_WAIT": "1"])
        #expect(refused.status == 75)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("casedesk: the database \(db) is busy"))
        #expect(refused.stderr.contains("nothing of this command was saved"))
        // Released while a write waits: the write lands at once.
        let waiting = try Casedesk.start(["case", "new", "--db", db, "--as", "alice", "--customer", "Ann Lee", "--channel", "phone",
                                          "--subject", "After the lock"])
        usleep(300_000)
        try holder.release()
        let released = Date()
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        #expect(Date().timeIntervalSince(released) < 1.0)
        #expect(try Self.caseCount(db) == 1)
    }

    @Test func aFullDiskGetsItsOwnLineAndKeepsWhatWasStored() throws {
        let dir = try Casedesk.tempDir() + "/small"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mount = try Spawn.run("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", dir], capture: false)
        try #require(mount.status == 0, "needs root to mount a small tmpfs (CI runs as root)")
        defer { _ = try? Spawn.run("/bin/umount", ["-l", dir], capture: false) }
        let db = dir + "/desk.sqlite"
        #expect(try Casedesk.run(["init", "--db", db]).status == 0)
        let rows = (1...4000).map { "Customer \($0),phone,A subject long enough to fill pages quickly number \($0) \(String(repeating: "x", count: 200))" }
        let file = try Casedesk.tempDir() + "/many.csv"
        try ("customer,channel,subject\n" + rows.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        // Fill the disk, leaving room for the WAL index but not for the import.
        let filler = dir + "/filler"
        var free = try Self.freeBytes(dir)
        FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, Int(free) - 160 * 1024)))
        free = try Self.freeBytes(dir)
        #expect(free < 200 * 1024)
        let refused = try Casedesk.run(["import", file, "--db", db])
        #expect(refused.status == 74)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(refused.stderr)")
        #expect(lines.first?.hasPrefix("casedesk: the disk holding the database \(db) is full: nothing of this command was saved") == true)
        try FileManager.default.removeItem(atPath: filler)
        let doctor = try Casedesk.run(["doctor", "--db", db])
        #expect(doctor.status == 0 && doctor.stdout.contains("integrity: ok") && doctor.stdout.contains("cases: 0"))
        let retried = try Casedesk.run(["import", file, "--db", db])
        #expect(retried.status == 0, "\(retried.stderr)")
    }

    static func freeBytes(_ dir: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: dir)
        return (attributes[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
    }

    @Test func aBulkLoadKilledHalfWayLeavesTheDatabaseAsItWas() throws {
        let bench = URL(fileURLWithPath: Casedesk.binary).deletingLastPathComponent().appendingPathComponent("casedesk-bench").path
        try #require(FileManager.default.isExecutableFile(atPath: bench), "build casedesk-bench first (swift build)")
        let db = try Casedesk.tempDir() + "/load.sqlite"
        let load = Process()
        load.executableURL = URL(fileURLWithPath: bench)
        load.arguments = ["--cases", "400000", "--db", db, "--keep", "--idle-seconds", "0"]
        load.standardOutput = FileHandle.nullDevice
        try load.run()
        // Wait until the load has run for a while (CPU seconds of the process, polled), then kill it.
        let deadline = Date().addingTimeInterval(120)
        while load.isRunning, Self.cpuSeconds(load.processIdentifier) < 6, Date() < deadline { usleep(50_000) }
        #expect(load.isRunning, "the load finished before it could be killed")
        kill(load.processIdentifier, SIGKILL)
        load.waitUntilExit()
        let doctor = try Casedesk.run(["doctor", "--db", db])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(doctor.stdout.contains("integrity: ok") && doctor.stdout.contains("indexes: all "))
        #expect(doctor.stdout.contains("cases: 0"))
        let queue = try Casedesk.run(["case", "list", "--db", db, "--as", "dana"])
        #expect(queue.status == 0, "\(queue.stderr)")
    }

    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
