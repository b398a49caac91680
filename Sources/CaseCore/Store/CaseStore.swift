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
    /// The admin acting on someone's behalf in this process, if any (see `actOnBehalf`).
    let via = ViaBox()
    let writers: WriterQueue?
    /// This store's entry in `openHere`, let go when the store closes.
    private let openEntry = PathSet.Entry()

    /// Opens an existing database (migrating an older schema), or creates one when `create` is set.
    public init(path: String, create: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.now = now
        let fm = FileManager.default
        let creating = !fm.fileExists(atPath: path)
        if creating {
            guard create else {
                throw CaseError.invalid("no database at \(path) (create one with: casedesk init --db \(path) --demo)")
            }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        } else if !Self.openHere.contains(path), !Self.looksLikeSQLite(path) {
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
        let via = self.via
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try checkpointer.prepare(db)
            // Every event appended names the admin acting on the actor's behalf, if any.
            db.add(function: DatabaseFunction("casedesk_via", argumentCount: 0, pure: false) { _ in via.userId })
            SearchRank.register(db)
            // Deleted and rewritten text is zeroed, freed pages included, so purged cases and an
            // erased customer's details do not linger in free space (docs/admin-guide.md, "Personal data").
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try pool.writeWithoutTransaction { db in
                // The writer's statement journals (every UPDATE under foreign keys keeps one) stay in
                // memory: past 64 KB SQLite spills them to a temporary file, which a take-next did
                // about once in three claims (open, write, close and unlink each time).
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if found > Schema.version { throw CaseError.schemaTooNew(found: found, supported: Schema.version) }
                if found == 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0 > 0 {
                    throw CaseError.notADatabase(path)
                }
            }
            try Schema.migrator.migrate(pool)
            // Every migration is applied now: the file is at this program's version, even when an
            // earlier one was applied late (a restored older backup).
            try pool.writeWithoutTransaction { db in
                if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < Schema.version {
                    try db.execute(sql: "PRAGMA user_version = \(Schema.version)")
                }
            }
            openEntry.key = Self.openHere.insert(path)
            // SQLite makes new files 0644 less the umask; ours are 0666 less the umask (0660 under
            // casedesk's 007), and the WAL and shm files SQLite adds later copy this mode.
            if creating { let mask = umask(0); umask(mask); chmod(path, 0o666 & ~mask) }
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.notADatabase(path)
        }
    }

    deinit {
        checkpointer.close()
        Self.openHere.remove(openEntry)
    }

    /// Folds the WAL into the file and closes every connection, so the file alone is the
    /// database (before a rename into place). The background checkpointer is stopped first:
    /// a checkpoint of its own still running would make the TRUNCATE one fail as busy.
    public func checkpointAndClose() throws {
        checkpointer.close()
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try pool.close()
        Self.openHere.remove(openEntry)
    }

    /// Files this process has open through SQLite now. Their header is not read
    /// again: closing any descriptor of a file drops every POSIX lock the process holds
    /// on it, SQLite's included, and another process closing its last connection could
    /// then take this process for gone and reset the WAL under it ("database disk
    /// image is malformed" until this process reopens). A store lets go of its entry when
    /// it closes: files are known by inode, and a deleted file's inode is given to the next
    /// new file, which must not be taken for one already open (and skip the check).
    static let openHere = PathSet()

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

/// Who acts on someone's behalf in this process: read by `casedesk_via()` on every
/// connection, set once after the identity is resolved.
final class ViaBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64?
    var userId: Int64? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

/// A thread-safe count of open stores per file, keyed by the file's identity (device and
/// inode): several stores in one process may have the same file open.
final class PathSet: @unchecked Sendable {
    /// One store's hold on its file's count, given back once.
    final class Entry: @unchecked Sendable { var key: [UInt64]? }
    private let lock = NSLock()
    private var files: [[UInt64]: Int] = [:]
    func contains(_ path: String) -> Bool {
        guard let k = CaseStore.fileIdentity(path) else { return false }
        return lock.withLock { files[k] != nil }
    }
    func insert(_ path: String) -> [UInt64]? {
        guard let k = CaseStore.fileIdentity(path) else { return nil }
        lock.withLock { files[k, default: 0] += 1 }
        return k
    }
    func remove(_ entry: Entry) {
        lock.withLock {
            guard let k = entry.key else { return }
            entry.key = nil
            if let n = files[k], n > 1 { files[k] = n - 1 } else { files[k] = nil }
        }
    }
}
