import Foundation
import GRDB

/// The shared case database: one SQLite file in WAL mode that many desks and
/// commands open at once. Every write is an IMMEDIATE transaction, so writers
/// queue on SQLite's lock (with a busy timeout) instead of failing mid-way.
public final class CaseStore: Sendable {
    public let pool: DatabasePool
    public let path: String
    let now: @Sendable () -> Date

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
        } else if !Self.openHere.contains(path), !Self.looksLikeSQLite(path) {
            throw CaseError.notADatabase(path)
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(15)
        config.label = "casedesk"
        // WAL + synchronous=NORMAL: a killed process never loses a commit; a power cut
        // may roll back the last commits not yet synced, never corrupts (docs/admin-guide.md).
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
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
            Self.openHere.insert(path)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.notADatabase(path)
        }
    }

    /// Files this process already has open through SQLite. Their header is not read
    /// again: closing any descriptor of a file drops every POSIX lock the process holds
    /// on it, SQLite's included, and another process closing its last connection could
    /// then take this process for gone and reset the WAL under it ("database disk
    /// image is malformed" until this process reopens).
    private static let openHere = PathSet()

    private static func looksLikeSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header.isEmpty || header == Data("SQLite format 3\0".utf8)
    }

    /// One IMMEDIATE transaction: takes the write lock at BEGIN, so a read-then-write
    /// (take-next, a version check) cannot be interleaved with another process's write.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
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

/// A thread-safe set of file paths, keyed by the file's identity (device and inode).
final class PathSet: @unchecked Sendable {
    private let lock = NSLock()
    private var files: Set<[UInt64]> = []
    private func key(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }
    func contains(_ path: String) -> Bool { guard let k = key(path) else { return false }; return lock.withLock { files.contains(k) } }
    func insert(_ path: String) { guard let k = key(path) else { return }; lock.withLock { _ = files.insert(k) } }
}
