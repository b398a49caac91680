import Foundation
import GRDB
import GRDBSQLite

/// Moves WAL checkpoints off the committing connection.
///
/// With SQLite's automatic checkpoint, whichever commit pushes the WAL past 1,000 pages
/// pays for copying it back into the database: a take-next or a note that normally takes
/// a millisecond then takes ten. Here every connection runs with
/// `wal_autocheckpoint = 0`; a WAL hook (called after each commit with the WAL's size in
/// pages) only notes that the WAL is large, and a PASSIVE checkpoint then runs on this
/// process's own background connection, which takes no write lock and never makes a writer
/// wait. If the WAL grows far past the threshold anyway (no process lived long enough to
/// checkpoint), the committing connection does one PASSIVE checkpoint itself, as SQLite
/// would have done.
final class Checkpointer: @unchecked Sendable {
    /// WAL pages after which a background checkpoint is started (SQLite's own default).
    static let threshold: Int32 = 1000
    /// WAL pages after which the committing connection checkpoints itself.
    static let hardLimit: Int32 = 20_000

    let path: String
    private let queue = DispatchQueue(label: "casedesk.checkpoint", qos: .utility)
    private let lock = NSLock()
    private var scheduled = false
    private var connection: DatabaseQueue?
    private var closed = false
    private var checkpoints = 0
    /// Checkpoints this process has run in the background.
    var completed: Int { lock.lock(); defer { lock.unlock() }; return checkpoints }

    init(path: String) { self.path = path }

    /// Installs the hook on a newly opened connection.
    func prepare(_ db: Database) throws {
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        // Retained: the hook may fire until the connection closes, whatever order objects go in.
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, handle, _, pages in
            guard let context else { return SQLITE_OK }
            let me = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= Checkpointer.hardLimit {
                sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= Checkpointer.threshold {
                me.schedule()
            }
            return SQLITE_OK
        }, context)
    }

    func schedule() {
        lock.lock()
        defer { lock.unlock() }
        guard !scheduled, !closed else { return }
        scheduled = true
        queue.async { [self] in run() }
    }

    /// One PASSIVE checkpoint now, on this process's checkpoint connection.
    func run() {
        lock.lock()
        scheduled = false
        let isClosed = closed
        lock.unlock()
        guard !isClosed else { return }
        do {
            try Self.passive(&connection, path: path, label: "casedesk.checkpoint")
            lock.lock(); checkpoints += 1; lock.unlock()
        } catch {
            // A checkpoint that cannot run now (busy, closing) is retried after the next large commit.
        }
    }

    /// One PASSIVE checkpoint on `connection`, opened on first use: a connection of its own
    /// that never waits for a lock (busy is an error the caller lets pass).
    static func passive(_ connection: inout DatabaseQueue?, path: String, label: String) throws {
        if connection == nil {
            var config = Configuration()
            config.label = label
            config.busyMode = .immediateError
            connection = try DatabaseQueue(path: path, configuration: config)
        }
        try connection?.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// Waits for a running checkpoint and stops scheduling new ones.
    func close() {
        lock.lock(); closed = true; lock.unlock()
        queue.sync { try? connection?.close(); connection = nil }
    }
}
