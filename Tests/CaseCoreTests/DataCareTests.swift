import Foundation
import GRDB
import Logging
import Testing
@testable import CaseCore

/// Backups, restores, retention and the operations log, in one process.
@Suite struct DataCareTests {
    /// What these tests do is logged under the temporary directory, not the tester's home.
    init() { setenv("CASEDESK_LOG_DIR", NSTemporaryDirectory() + "casedesk-test-logs", 1) }

    static func utc(_ y: Int, _ m: Int, _ d: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: y, month: m, day: d, hour: 12))!
    }

    // MARK: retention

    @Test func retentionOnAFixedClockRemovesExactlyTheExpectedCases() throws {
        let clock = TestClock(Self.utc(2020, 1, 10))
        let (store, path) = try Fixtures.store(now: { clock.now })
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try store.addUser(login: "root2", role: .admin)
        func make(_ customer: String, created: Date) throws -> Int64 {
            try store.createCase(NewCase(customer: customer, customerEmail: "\(customer.lowercased())@example.com", channel: .email,
                                         callType: "billing", subject: "About my bill", createdAt: created), by: "alice")
        }
        // Resolved in January 2020 (customer Old has no other case): goes, with its customer.
        let old = try make("Old", created: Self.utc(2020, 1, 5))
        try store.addNote(old, text: "note", by: "alice")
        let interval = try store.startWork(old, by: "alice"); try store.stopWork(interval)
        try store.flagRule(old, rule: "no refunds after 30 days", by: "alice")
        try store.resolve(old, code: "fixed", csat: 4, by: "alice")
        // Resolved in May 2022, its customer has an open case: the case goes, the customer stays.
        clock.advance(0)
        let keepCustomer = try make("Kept", created: Self.utc(2022, 4, 20))
        let stillOpen = try make("Kept", created: Self.utc(2019, 3, 1))
        clock.advance(Self.utc(2022, 5, 2).timeIntervalSince(clock.now))
        try store.resolve(keepCustomer, code: "fixed", by: "alice")
        // Closed in 2023: younger than three years on 2025-07-01, stays.
        let recent = try make("Recent", created: Self.utc(2022, 12, 1))
        clock.advance(Self.utc(2023, 1, 15).timeIntervalSince(clock.now))
        try store.resolve(recent, code: "fixed", by: "alice")
        try store.setStatus(recent, to: .closed, by: "alice")

        clock.advance(Self.utc(2025, 7, 1).timeIntervalSince(clock.now))
        let period = try #require(RetentionPeriod("3y"))
        let dry = try store.runRetention(period: period, dryRun: true, by: "alice")
        #expect(dry.cases == 2)
        #expect(dry.byMonth == ["2020-01": 1, "2022-04": 1])
        #expect(try store.listCases().count == 4)

        #expect(throws: CaseError.self) { try store.runRetention(period: period, dryRun: false, by: "alice") }
        // A batch of 3 for 2 due cases: the prepared statements' id list is padded.
        let report = try store.runRetention(period: period, dryRun: false, by: "root2", batchSize: 3)
        #expect(report.cases == 2)
        #expect(report.customers == 1)
        #expect(report.byMonth == ["2020-01": 1, "2022-04": 1])
        // The typical batch's hold beside the longest (2 cases in batches of 3: one batch).
        #expect(report.batches == 1 && report.medianBatchMs == report.longestBatchMs && report.longestBatchMs > 0)
        #expect(report.description.contains("in 1 batch(es), each holding the write lock"))
        #expect(Set(try store.listCases().map(\.id)) == [stillOpen, recent])
        let left = try store.read { db in
            try ["events", "work_intervals", "rule_flags"].map { table in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE case_id IN (?, ?)", arguments: [old, keepCustomer]) ?? -1
            }
        }
        #expect(left == [0, 0, 0])
        #expect(try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM customers ORDER BY name") } == ["Kept", "Recent"])
        #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        // Their search documents went with them; the customer who stays is still found.
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_search WHERE rowid IN (?, ?)", arguments: [old, keepCustomer]) } == 0)
        #expect(try store.findCustomers("Old").isEmpty)
        #expect(try store.findCustomers("Kept").map(\.name) == ["Kept"])
        #expect(Set(try store.search("bill", limit: 10).hits.map(\.id)) == [stillOpen, recent])
        // Logged with counts, never content.
        let logged = try #require(try store.dataOperations().first)
        #expect(logged.kind == "retention" && logged.actor == "root2")
        #expect(logged.summary.contains("purged 2 case(s)") && !logged.summary.contains("About my bill"))
        // Nothing more to do a second time.
        #expect(try store.runRetention(period: period, dryRun: false, by: "root2").cases == 0)
    }

    @Test func retentionPeriodsParseOrSayWhy() throws {
        #expect(RetentionPeriod("3y")?.years == 3)
        #expect(RetentionPeriod("1y6m").map { [$0.years, $0.months] } == [1, 6])
        #expect(RetentionPeriod("90d")?.days == 90)
        #expect(RetentionPeriod("26w")?.weeks == 26)
        for bad in ["", "3", "y", "3x", "-3y", "0y", "3y3y", "three years", "3 y"] {
            #expect(RetentionPeriod(bad) == nil, "\(bad)")
        }
        let (store, path) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(throws: CaseError.self) { try store.runRetention(dryRun: true, by: "dana") }   // no period set
        try store.setSetting(RetentionPeriod.settingKey, "soon")
        #expect(throws: CaseError.self) { try store.runRetention(dryRun: true, by: "dana") }
    }

    @Test func thePackCarriesTheRetentionSettingAndLintsABadOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var pack = Fixtures.pack
        pack.retentionResolvedAfter = "3y"
        try PackWriter.write(pack, to: dir)
        let loaded = try PackLoader.load(directory: dir)
        #expect(loaded.retentionResolvedAfter == "3y")
        let (store, path) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try store.install(loaded)
        #expect(try store.retentionPeriod()?.years == 3)
        #expect(try store.currentPack().retentionResolvedAfter == "3y")

        let file = dir.appendingPathComponent("calltypes.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "resolved_after: 3y", with: "resolved_after: 3 years")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let problems = PackLoader.lint(directory: dir)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("bad retention period '3 years'") == true)
    }

    // MARK: backup and restore

    /// The copy's check (read-only, memory-mapped) finds a damaged page of a table or an
    /// index, and a count that differs from the database's.
    @Test func theCopysCheckFindsADamagedTableOrIndexAndAWrongCount() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<300 { try store.createCase(Fixtures.newCase("Case \(i) " + String(repeating: "x", count: 200)), by: "alice") }
        let good = dir + "/good.sqlite"
        let report = try store.backup(to: good, by: "root2")
        try CaseStore.verifyCopy(good, expected: report)
        let (pageSize, roots) = try DatabaseQueue(path: good).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096,
             try Row.fetchAll(db, sql: "SELECT name, rootpage FROM sqlite_schema WHERE name IN ('events', 'cases_by_customer')")
                .map { ($0["name"] as String, $0["rootpage"] as Int) })
        }
        #expect(roots.count == 2)
        for (name, root) in roots {
            let damaged = dir + "/damaged-\(name).sqlite"
            try FileManager.default.copyItem(atPath: good, toPath: damaged)
            let handle = try #require(FileHandle(forUpdatingAtPath: damaged))
            try handle.seek(toOffset: UInt64((root - 1) * pageSize))
            try handle.write(contentsOf: Data(repeating: 0xA5, count: pageSize))
            try handle.close()
            #expect(throws: (any Error).self, "a damaged \(name) page") { try CaseStore.verifyCopy(damaged, expected: report) }
        }
        var wrong = report
        wrong.counts = report.counts.map { ($0.table, $0.table == "events" ? $0.rows + 1 : $0.rows) }
        #expect(throws: CaseError.self) { try CaseStore.verifyCopy(good, expected: wrong) }
    }

    @Test func backupIsCheckedAndRotatesAndRestoreSwapsItBack() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)   // backups are the admins' (Policy: manageData)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<20 { try store.createCase(Fixtures.newCase("Case \(i)"), by: "alice") }
        let target = dir + "/nightly.sqlite"
        let report = try store.backup(to: target, keep: 3, by: "root2")
        #expect(report.counts.first { $0.table == "cases" }?.rows == 20)
        #expect(throws: CaseError.self) { try store.backup(to: target, by: "root2") }          // exists, no --keep
        #expect(throws: CaseError.self) { try store.backup(to: dir + "/missing/x.sqlite", by: "root2") }
        try store.createCase(Fixtures.newCase("After the first backup"), by: "alice")
        try store.backup(to: target, keep: 3, by: "root2")
        try store.backup(to: target, keep: 3, by: "root2")
        try store.backup(to: target, keep: 3, by: "root2")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("nightly") }.sorted()
        #expect(files == ["nightly.sqlite", "nightly.sqlite.1", "nightly.sqlite.2"])
        #expect(!FileManager.default.fileExists(atPath: target + "-wal"))

        // Restore the oldest kept one (20 cases) over the live database (21).
        try store.pool.close()
        let restored = try DatabaseRestore.run(backup: target + ".2", into: path, by: "dana")
        #expect(restored.counts.first { $0.0 == "cases" }?.1 == 21)
        let kept = try #require(restored.keptAs)
        #expect(FileManager.default.fileExists(atPath: kept))
        let reopened = try CaseStore(path: path)
        #expect(try reopened.listCases().count == 21)
        #expect(try reopened.dataOperations().first?.kind == "restore")
        // Nothing of the restore's own is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("restoring") }.isEmpty)
    }

    @Test func aBackupNeverReplacesOrMovesTheDatabaseItsSideFilesOrADirectory() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try store.createCase(Fixtures.newCase("Still here"), by: "alice")
        // The same file by other names: a symlink, a hard link, a roundabout path, and a
        // symlink where rotation would move TARGET.1.
        try fm.createSymbolicLink(atPath: dir + "/link.sqlite", withDestinationPath: path)
        #expect(link(path, dir + "/hard.sqlite") == 0)
        try fm.createSymbolicLink(atPath: dir + "/night.sqlite.1", withDestinationPath: path)
        try fm.createDirectory(atPath: dir + "/backups", withIntermediateDirectories: false)
        try Data("kept".utf8).write(to: URL(fileURLWithPath: dir + "/backups/old"))
        let listing = { try fm.contentsOfDirectory(atPath: dir).sorted() }
        let before = try listing()
        #expect(before.contains("test.sqlite-wal") && before.contains("test.sqlite-shm") && before.contains("test.sqlite-writers"))
        let targets: [(String, Int)] = [(path, 3), (path, 1), (path + "-wal", 2), (path + "-shm", 2), (path + "-writers", 2),
                                        (dir + "/link.sqlite", 2), (dir + "/hard.sqlite", 2), (dir + "/../" + (dir as NSString).lastPathComponent + "/test.sqlite", 2),
                                        (dir + "/night.sqlite", 3), (dir + "/backups", 2), (dir + "/backups", 1)]
        for (target, keep) in targets {
            #expect(throws: CaseError.self, "\(target) --keep \(keep)") { try store.backup(to: target, keep: keep, by: "root2") }
        }
        #expect(throws: CaseError.invalid("--keep 0 is not a number of backups to keep (1 to 1000); nothing was written")) {
            try store.backup(to: dir + "/fresh.sqlite", keep: 0, by: "root2")
        }
        // Nothing moved: the same files, the database still itself, the directory still one.
        #expect(try listing() == before)
        #expect(try store.listCases().map(\.subject) == ["Still here"])
        var isDir: ObjCBool = false
        #expect(fm.fileExists(atPath: dir + "/backups/old", isDirectory: &isDir) && !isDir.boolValue)
        #expect(try store.dataOperations().isEmpty)
    }

    @Test func restoreIsRefusedWhileADeskIsOpenAndForFilesThatAreNotBackups() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)   // backups are the admins' (Policy: manageData)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.backup(to: dir + "/b.sqlite", by: "root2")
        try store.heartbeat(login: "alice", session: "desk-1", caseId: nil, typing: false)
        #expect(throws: CaseError.notAllowed("\(path) is open on 1 desk(s) (alice); ask them to quit, then restore again; nothing was changed")) {
            try DatabaseRestore.run(backup: dir + "/b.sqlite", into: path, by: "dana")
        }
        try store.endPresence(session: "desk-1")
        try "not a database".write(toFile: dir + "/text.sqlite", atomically: true, encoding: .utf8)
        #expect(throws: CaseError.self) { try DatabaseRestore.run(backup: dir + "/text.sqlite", into: path, by: "dana") }
        // A newer schema is refused.
        let newer = dir + "/newer.sqlite"
        try FileManager.default.copyItem(atPath: dir + "/b.sqlite", toPath: newer)
        try DatabaseQueue(path: newer).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 99") }
        #expect(throws: CaseError.invalid("\(newer) is from a newer casedesk (schema version 99; this one reads up to \(Schema.version)); restore it with that casedesk; nothing was changed")) {
            try DatabaseRestore.run(backup: newer, into: path, by: "dana")
        }
        #expect(try store.listCases().count == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("before-restore") || $0.contains("restoring") }.isEmpty)
    }

    /// A crash's leftovers: a file that no longer opens and a WAL still full of its pages.
    /// The restore goes ahead, and that WAL stays beside the kept file, not beside the new one.
    @Test func restoringOverADamagedDatabaseKeepsItsWalWithIt() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try store.createCase(Fixtures.newCase("Before the crash"), by: "alice")
        try store.backup(to: dir + "/b.sqlite", by: "root2")
        let damaged = dir + "/damaged.sqlite"
        try fm.copyItem(atPath: path, toPath: damaged)
        try fm.copyItem(atPath: path + "-wal", toPath: damaged + "-wal")
        let wal = try Data(contentsOf: URL(fileURLWithPath: damaged + "-wal"))
        try #require(wal.count > 32)
        let handle = try #require(FileHandle(forUpdatingAtPath: damaged))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try handle.close()

        let report = try DatabaseRestore.run(backup: dir + "/b.sqlite", into: damaged, by: "root2")
        let kept = try #require(report.keptAs)
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept + "-wal")) == wal)
        #expect(!fm.fileExists(atPath: damaged + "-wal"))
        #expect(try CaseStore(path: damaged).listCases().map(\.subject) == ["Before the crash"])
    }

    @Test func restoringAnOlderSchemaMigratesIt() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)   // backups are the admins' (Policy: manageData)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.createCase(Fixtures.newCase(), by: "alice")
        try store.backup(to: dir + "/b.sqlite", by: "root2")
        // Make the backup look like it came from before this version: no data-care tables.
        try DatabaseQueue(path: dir + "/b.sqlite").writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TABLE event_rewrite_permits; DROP TABLE data_operations; DROP TABLE training_copies;
                DROP INDEX rule_flags_by_case;
                DELETE FROM grdb_migrations WHERE identifier = 'v6-data-care'; PRAGMA user_version = 5;
                """)
        }
        try store.pool.close()
        let report = try DatabaseRestore.run(backup: dir + "/b.sqlite", into: path, by: "dana")
        #expect(report.fromVersion == 5 && report.toVersion == Schema.version)
        #expect(try CaseStore(path: path).listCases().count == 1)
    }

    @Test func onASharedInstallBackupsAndTheLogTakeTheDatabasesMode() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "root2", role: .admin)   // backups are the admins' (Policy: manageData)
        let dir = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(chmod(path, 0o660) == 0 && chmod(dir, 0o2770) == 0)   // as init --shared makes them
        try store.backup(to: dir + "/b.sqlite", by: "root2")
        var st = stat()
        #expect(stat(dir + "/b.sqlite", &st) == 0 && st.st_mode & 0o777 == 0o660)
        #expect(OperationsLog.location(forDatabase: path, environment: [:]) == path + ".operations.log")
        let log = Logging.Logger(label: "t") { _ in RotatingFileLogHandler(label: "t", path: path + ".operations.log", mode: 0o660) }
        log.info("shared")
        #expect(stat(path + ".operations.log", &st) == 0 && st.st_mode & 0o777 == 0o660)
        #expect(chmod(path, 0o600) == 0)
        #expect(OperationsLog.location(forDatabase: path, environment: ["XDG_STATE_HOME": "/s"]) == "/s/casedesk/operations.log")
    }

    // MARK: the operations log

    @Test func theOperationsLogIsOneLinePerEntryAndRotates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(OperationsLog.location(forDatabase: nil, environment: ["HOME": "/home/ed"]) == "/home/ed/.local/state/casedesk/operations.log")
        #expect(OperationsLog.location(forDatabase: nil, environment: ["XDG_STATE_HOME": "/s"]) == "/s/casedesk/operations.log")
        let logPath = dir + "/ops.log"
        let handler = RotatingFileLogHandler(label: "t", path: logPath, mode: 0o600)
        let log = Logging.Logger(label: "t") { _ in handler }
        log.info("hostile \u{1B}[2J text\nsecond line\u{0}")
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(!text.contains("\u{1B}") && text.contains("\\u{1b}[2J") && text.contains("\\u{a}second line"))
        let big = String(repeating: "x", count: 4000)
        for _ in 0..<(OperationsLog.maxBytes / 4000 + 2) { log.info("\(big)") }
        #expect(FileManager.default.fileExists(atPath: logPath + ".1"))
    }
}
