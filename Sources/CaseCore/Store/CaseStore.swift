import Foundation
import GRDB

/// The shared case database: one SQLite file in WAL mode that many desks and
/// commands open at once. Every write is an IMMEDIATE transaction, so writers
/// wait for SQLite's lock (short, jittered sleeps: `WriteLockWait`) instead of failing
/// mid-way, and WAL checkpoints run on a background connection (`Checkpointer`).
public final class CaseStore: Sendable {
    public let pool: DatabasePool
    public let path: String
    let now: @Sendable () -> Date
    let checkpointer: Checkpointer
    let writers: WriterQueue?

    /// Opens an existing database (migrating an older schema), or creates one when `create` is set.
    public init(path: String, create: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.now = now
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard create else {
                throw CaseError.invalid("no database at \(path) (create one with: casedesk init --db \(path) --demo)")
            }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        } else if !Self.looksLikeSQLite(path) {
            throw CaseError.notADatabase(path)
        }
        let checkpointer = Checkpointer(path: path)
        self.checkpointer = checkpointer
        writers = WriterQueue(databasePath: path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = WriteLockWait.busyMode()
        config.label = "casedesk"
        // WAL + synchronous=NORMAL: a killed process never loses a commit; a power cut
        // may roll back the last commits not yet synced, never corrupts (docs/admin-guide.md).
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try checkpointer.prepare(db)
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try pool.writeWithoutTransaction { db in
                let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if found > Schema.version { throw CaseError.schemaTooNew(found: found, supported: Schema.version) }
                if found == 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0 > 0 {
                    throw CaseError.notADatabase(path)
                }
            }
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.notADatabase(path)
        }
    }

    deinit { checkpointer.close() }

    private static func looksLikeSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header.isEmpty || header == Data("SQLite format 3\0".utf8)
    }

    /// One IMMEDIATE transaction: takes the write lock at BEGIN, so a read-then-write
    /// (take-next, a version check) cannot be interleaved with another process's write.
    /// Writers take their turn in `WriterQueue` first, in the order they came.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            let ticket = writers?.enter()
            defer { if let ticket { writers?.leave(ticket) } }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    // MARK: settings

    public func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    /// What `PRAGMA data_version` and the newest event id say now: a desk compares it
    /// with what it last saw to learn that another process committed something.
    public func latestEventId() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0 }
    }
}
