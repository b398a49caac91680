import CaseCore
import CaseDesk
import Foundation
import GRDB

/// Looking after the data at scale: a live backup and a retention purge of 100,000 cases,
/// each while a desk takes keystrokes, beside bare SQLite doing the same work.
func runDataCareBench(store: CaseStore, path: String, report table: (String, [Double], String) -> Void, note tableNote: (String, String) -> Void) throws {
    // Each figure also goes out as it is measured, so a long run shows progress.
    func report(_ name: String, _ values: [Double], _ text: String) {
        table(name, values, text)
        let sorted = values.sorted()
        print("  \(name): p50 \(ms(percentile(sorted, 0.5))), p99 \(ms(percentile(sorted, 0.99))), max \(ms(sorted.last ?? .nan)) (\(grouped(values.count)) samples; \(text))")
        FileHandle.standardOutput.synchronizeFile()
    }
    func note(_ name: String, _ text: String) {
        tableNote(name, text)
        print("  \(name): \(text)")
        FileHandle.standardOutput.synchronizeFile()
    }
    print("data care (backup, retention purge):")
    _ = try? store.addUser(login: "ria", name: "Ria Admin", role: .admin)   // there already on a kept database
    let dir = (path as NSString).deletingLastPathComponent
    let backupPath = dir + "/casedesk-bench-\(getpid())-backup.sqlite"
    let barePath = dir + "/casedesk-bench-\(getpid())-bare.sqlite"
    defer { for file in [backupPath, barePath] { for s in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + s) } } }

    let desk = try Desk(store: store, login: "alice", screen: VirtualScreen(cols: 160, rows: 45))
    desk.start()
    for k in "/all" { desk.send(.key(.char(k))) }
    desk.send(.key(.enter))
    /// Keystrokes (down, and a page down every 20th) until `done` says stop.
    func keysWhile(_ done: () -> Bool) -> [Double] {
        var latencies: [Double] = []
        var i = 0
        while !done() || latencies.count < 200 {
            i += 1
            latencies.append(timed { desk.send(.key(i % 20 == 0 ? .pageDown : .char("j"))) })
            if desk.state.queue.selected > 5000 { desk.send(.key(.char("g"))) }
            usleep(1000)   // a fast typist: about a key a millisecond
        }
        return latencies
    }
    let idle = keysWhile { true }
    report("desk key, idle (for comparison)", idle, "move down / page down on all open cases")

    // Backup, in a thread, while the desk takes keys.
    let running = Background { try store.backup(to: backupPath, by: "ria") }
    let duringBackup = keysWhile { running.isDone }
    let backup = try running.get()
    let mbps = Double(backup.bytes) / 1_048_576 / backup.copySeconds
    note("backup: copy (online backup API)", String(format: "%.0f MB/s (%.1f MB in %.2f s)", mbps, Double(backup.bytes) / 1_048_576, backup.copySeconds))
    note("backup: check (quick_check, schema, counts)", String(format: "%.2f s; whole backup %.0f MB/s", backup.checkSeconds,
                                                               Double(backup.bytes) / 1_048_576 / (backup.copySeconds + backup.checkSeconds)))
    // What the backup leaves out: the full integrity_check (restore and doctor run it).
    let full = try timed {
        let copy = try DatabaseQueue(path: backupPath)
        _ = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        try copy.close()
    }
    note("backup: integrity_check of the copy (for comparison)", String(format: "%.2f s; a backup checked with it %.0f MB/s", full / 1000,
                                                                         Double(backup.bytes) / 1_048_576 / (backup.copySeconds + full / 1000)))
    report("desk key during backup", duringBackup, "same keys while the backup copies and checks")

    // Bare SQLite, same work: the backup API with default settings, no check.
    let bare = try timed {
        let dest = try DatabaseQueue(path: barePath)
        try store.pool.backup(to: dest)
        try dest.close()
    }
    note("backup: bare SQLite backup API", String(format: "%.0f MB/s (%.2f s, default journal and sync, no check)",
                                                   Double(backup.bytes) / 1_048_576 / (bare / 1000), bare / 1000))
    try? FileManager.default.removeItem(atPath: barePath)

    // Retention: a period that makes about 100,000 cases due.
    let nowSeconds = Date().timeIntervalSince1970
    let boundary = try store.pool.read { db in
        try Double.fetchOne(db, sql: """
            SELECT coalesce(resolved_at, updated_at) AS t FROM cases WHERE status IN ('resolved','closed') ORDER BY t LIMIT 1 OFFSET 99999
            """)
    }
    guard let boundary else { note("retention purge", "skipped: fewer than 100,000 resolved cases"); return }
    let days = Int(((nowSeconds - boundary) / 86_400).rounded(.down))
    let period = RetentionPeriod("\(days)d")!
    let dueIds = try store.pool.read { db in
        try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE status IN ('resolved','closed') AND coalesce(resolved_at, updated_at) < ? ORDER BY id",
                           arguments: [period.cutoff(before: Date()).timeIntervalSince1970])
    }
    let batches = Samples()
    let locks = Samples()
    let started = now()
    let purge = Background {
        try store.runRetention(period: period, dryRun: false, by: "ria", afterBatch: { batches.lap(); locks.add($0.lastBatchMs) })
    }
    let duringPurge = keysWhile { purge.isDone }
    let seconds = now() - started
    let retention = try purge.get()
    let batchMs = batches.values
    report("desk key during a retention purge", duringPurge, "\(grouped(retention.cases)) cases purged meanwhile")
    report("retention batch (\(CaseStore.retentionBatchSize) cases): write lock held", locks.values,
           String(format: "longest %.1f ms; %@ cases/s", retention.longestBatchMs, grouped(Int(Double(retention.cases) / seconds))))
    report("retention batch: whole cycle", batchMs, "the batch, then its files, a WAL checkpoint now and then, a pause for waiting writers")

    // Bare SQLite, same work on the backup copy: the same deletes in the same batches, no checks.
    let copy = try DatabaseQueue(path: backupPath)
    try copy.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(sql: "DROP TRIGGER events_refuse_delete")
    }
    let bareSeconds = try timed {
        try copy.writeWithoutTransaction { db in
            var start = 0
            let size = CaseStore.retentionBatchSize
            while start < dueIds.count {
                let ids = dueIds[start..<min(start + size, dueIds.count)].map(String.init).joined(separator: ",")
                try db.inTransaction(.immediate) {
                    for table in ["work_intervals", "rule_flags", "consults", "events"] {
                        try db.execute(sql: "DELETE FROM \(table) WHERE case_id IN (\(ids))")
                    }
                    try db.execute(sql: "DELETE FROM cases WHERE id IN (\(ids))")
                    return .commit
                }
                start += size
            }
        }
    } / 1000
    try copy.close()
    note("retention: bare SQLite, same deletes", String(format: "%@ cases/s (%.1f s; CaseDesk: %.1f s incl. re-checks, customers, pauses)",
                                                         grouped(Int(Double(dueIds.count) / bareSeconds)), bareSeconds, seconds))
}

/// Work on a thread of its own; the caller polls `isDone`, then takes the result.
final class Background<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, Error>?
    init(_ body: @escaping @Sendable () throws -> T) {
        Thread {
            let r = Result { try body() }
            self.lock.lock(); self.result = r; self.lock.unlock()
        }.start()
    }
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return result != nil }
    func get() throws -> T { lock.lock(); defer { lock.unlock() }; return try result!.get() }
}

/// Times between calls to `lap` (or given to `add`), in milliseconds: retention batches.
final class Samples: @unchecked Sendable {
    private let lock = NSLock()
    private var last = now()
    private var laps: [Double] = []
    func lap() { lock.lock(); let t = now(); laps.append((t - last) * 1000); last = t; lock.unlock() }
    func add(_ ms: Double) { lock.lock(); laps.append(ms); lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return laps }
}
