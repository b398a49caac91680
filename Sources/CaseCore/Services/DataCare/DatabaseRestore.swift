import Foundation
import GRDB

/// What a restore did.
public struct RestoreReport: Sendable, CustomStringConvertible {
    public var path: String
    public var backup: String
    public var fromVersion: Int
    public var toVersion: Int
    public var counts: [(table: String, rows: Int)]
    public var keptAs: String?

    public var description: String {
        var lines = ["restored \(backup) into \(path)"
                     + (fromVersion < toVersion ? " (schema migrated from version \(fromVersion) to \(toVersion))" : "")]
        lines.append("checked: integrity ok, " + counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", "))
        if let keptAs { lines.append("the previous database is kept as \(keptAs)") }
        return lines.joined(separator: "\n")
    }
}

/// Restores a backup over a database: refused while desks have it open, the backup checked
/// first, built beside the target under a temporary name (an older schema migrated there),
/// then swapped in with one rename, the old file kept beside it.
public enum DatabaseRestore {
    public static func run(backup: String, into path: String, by actor: String, now: Date = Date()) throws -> RestoreReport {
        let fm = FileManager.default
        guard fm.fileExists(atPath: backup) else { throw CaseError.invalid("no backup at \(backup); nothing was changed") }
        let dir = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CaseError.invalid("the directory \(dir) does not exist; nothing was changed")
        }
        let fromVersion = try check(backup: backup)

        // Nobody may be working in the database about to be replaced.
        let exists = fm.fileExists(atPath: path)
        let quiesced = exists ? try quiesce(path, now: now) : false

        let temp = path + ".restoring-\(getpid())"
        defer { for suffix in ["", "-wal", "-shm", "-journal", "-writers"] { try? fm.removeItem(atPath: temp + suffix) } }
        try copy(backup, to: temp)
        let restored = try CaseStore(path: temp, now: { now })          // migrates an older schema
        let counts = try restored.read { db in
            try CaseStore.countedTables.map { ($0, try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0) }
        }
        let summary = "restore from \(backup): " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        try restored.write { db in try CaseStore.recordOperation(db, kind: "restore", actor: actor, summary: summary, at: now) }
        try restored.checkpointAndClose()
        CaseStore.syncFile(temp)

        var keptAs: String?
        // Held until the swap is done: nobody else has the old database open, nor can open it.
        let sole = try exists ? SoleUse(path, walFolded: quiesced) : nil
        defer { sole?.release() }
        if exists {
            let stamp = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(identifier: "UTC")!,
                                                    formatOptions: [.withYear, .withMonth, .withDay, .withTime])
            let kept = path + ".before-restore-" + stamp
            guard link(path, kept) == 0 || (try? fm.copyItem(atPath: path, toPath: kept)) != nil else {
                throw CaseError.invalid("cannot keep the old database as \(kept): \(String(cString: strerror(errno))); nothing was changed")
            }
            keptAs = kept
            SharedInstall.inherit(temp, from: path)
        }
        guard rename(temp, path) == 0 else {
            throw CaseError.invalid("cannot put the restored database at \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        // The old WAL and its index belong to the old file: both go before anyone may open the
        // new one. The WAL is empty (checked by SoleUse) unless the old file would not open;
        // then it stays beside the kept file, the rest of what that database held.
        if !quiesced, let keptAs, (try? fm.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 > 0 {
            _ = rename(path + "-wal", keptAs + "-wal")
        }
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
        CaseStore.syncFile(dir, directory: true)
        OperationsLog.logger(forDatabase: path).info("restore by \(actor) into \(path): \(summary)\(keptAs.map { "; old database kept as \($0)" } ?? "")")
        return RestoreReport(path: path, backup: backup, fromVersion: fromVersion, toVersion: Schema.version,
                             counts: counts, keptAs: keptAs)
    }

    /// Refuses while desks have the database open, then folds its WAL into the file so the
    /// file alone is the whole old database. A damaged database (not openable) can still be
    /// replaced: that is when a restore is needed most. Returns whether the WAL was folded.
    static func quiesce(_ path: String, now: Date) throws -> Bool {
        let current: CaseStore
        do { current = try CaseStore(path: path, now: { now }) } catch CaseError.notADatabase { return false }
        let desks = try current.liveDeskLogins()
        if !desks.isEmpty {
            throw CaseError.notAllowed("\(path) is open on \(desks.count) desk(s) (\(desks.joined(separator: ", "))); ask them to quit, then restore again; nothing was changed")
        }
        try current.checkpointAndClose()
        return true
    }

    /// A backup is a CaseDesk database (not another program's, not corrupt, not newer).
    /// Returns its schema version.
    @discardableResult
    public static func check(backup: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: backup) else {
            throw CaseError.invalid("cannot read \(backup); nothing was changed")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw CaseError.invalid("\(backup) is not a CaseDesk backup (not an SQLite database); nothing was changed")
        }
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: backup, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > Schema.version {
                    throw CaseError.invalid("\(backup) is from a newer casedesk (schema version \(version); this one reads up to \(Schema.version)); restore it with that casedesk; nothing was changed")
                }
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                guard version > 0, tables.isSuperset(of: ["cases", "events", "customers", "users"]) else {
                    throw CaseError.invalid("\(backup) is not a CaseDesk backup (an SQLite database of another kind); nothing was changed")
                }
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard integrity == ["ok"] else {
                    throw CaseError.invalid("\(backup) is corrupt (integrity check: \(integrity.first ?? "?")); nothing was changed")
                }
                return version
            }
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.invalid("\(backup) is corrupt (\(error.message ?? "not a database")); nothing was changed")
        }
    }

    /// The backup API again (never a file copy: the backup may itself be a live WAL database).
    static func copy(_ backup: String, to temp: String) throws {
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: config)
        defer { try? source.close() }
        let dest = try DatabaseQueue(path: temp)
        try source.backup(to: dest)
        try dest.close()
    }
}

extension CaseStore {
    /// Logins with a live desk on this database now (heartbeat younger than the expiry).
    public func liveDeskLogins() throws -> [String] {
        let since = now().timeIntervalSince1970 - Self.presenceExpiry
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT u.login FROM presence p JOIN users u ON u.id = p.user_id
                WHERE p.seen_at >= ? ORDER BY u.login
                """, arguments: [since])
        }
    }
}
