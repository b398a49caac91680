import Foundation
import GRDB

/// What a backup wrote and what it checked.
public struct BackupReport: Sendable, CustomStringConvertible {
    public var path: String
    public var bytes: Int64
    public var copySeconds: Double
    public var checkSeconds: Double
    public var schemaVersion: Int
    public var counts: [(table: String, rows: Int)]
    public var rotated: [String]

    public var description: String {
        var lines = ["backup written to \(path): \(String(format: "%.1f", Double(bytes) / 1_048_576)) MB in \(String(format: "%.2f", copySeconds)) s"
                     + ", checked in \(String(format: "%.2f", checkSeconds)) s"]
        lines.append("checked: every page ok (quick_check), schema version \(schemaVersion), "
                     + counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", ") + " (equal to the database at the moment of the copy)")
        if !rotated.isEmpty { lines.append("rotated: " + rotated.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}

/// Live backups: SQLite's online backup API, reading one snapshot of the database while
/// desks and imports keep writing (WAL: readers never block writers), never a file copy.
extension CaseStore {
    /// The tables whose row counts a backup compares with its source.
    public static let countedTables = ["users", "customers", "cases", "events", "work_intervals"]

    /// Copies the database to `target`, checks the copy, then puts it in place: written under a
    /// temporary name, renamed only once checked, so a failed backup leaves nothing behind.
    /// `keep` rotates: TARGET → TARGET.1 → … → TARGET.(keep-1); without it an existing
    /// TARGET is refused.
    @discardableResult
    public func backup(to target: String, keep: Int? = nil, by actor: String) throws -> BackupReport {
        _ = try read { db in try Self.requireAdmin(db, login: actor) }   // a copy of every customer's data
        let fm = FileManager.default
        let dir = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CaseError.invalid("the backup directory \(dir) does not exist; nothing was written")
        }
        if let keep, !(1...1000).contains(keep) {
            throw CaseError.invalid("--keep \(keep) is not a number of backups to keep (1 to 1000); nothing was written")
        }
        try Self.refuseUnsafeTarget(target, keep: keep, database: path)
        if keep == nil, fm.fileExists(atPath: target) {
            throw CaseError.invalid("\(target) already exists; name a new file, or rotate numbered backups with --keep N; nothing was written")
        }
        let needed = try read { db in
            (try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0) * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
        }
        if let free = Self.freeBytes(dir), free < needed {
            throw CaseError.invalid("not enough space in \(dir) for the backup: it needs \(needed / 1_048_576 + 1) MB, \(free / 1_048_576) MB free; nothing was written")
        }

        let temp = target + ".partial-\(getpid())"
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { try? fm.removeItem(atPath: temp + suffix) } }
        var report = BackupReport(path: target, bytes: 0, copySeconds: 0, checkSeconds: 0, schemaVersion: 0, counts: [], rotated: [])
        do {
            let started = Date()
            // One read transaction: the counts and the copied pages are the same snapshot.
            try pool.read { src in
                report.schemaVersion = try Int.fetchOne(src, sql: "PRAGMA user_version") ?? 0
                report.counts = try Self.countedTables.map { ($0, try Int.fetchOne(src, sql: "SELECT count(*) FROM \($0)") ?? 0) }
                var config = Configuration()
                config.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA journal_mode = OFF")
                    try db.execute(sql: "PRAGMA synchronous = OFF")
                }
                let dest = try DatabaseQueue(path: temp, configuration: config)
                try dest.writeWithoutTransaction { d in try src.backup(to: d) }
                try dest.close()
            }
            report.copySeconds = Date().timeIntervalSince(started)
            let checking = Date()
            try Self.verifyCopy(temp, expected: report)
            report.checkSeconds = Date().timeIntervalSince(checking)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw CaseError.invalid("the disk holding \(dir) is full; the backup was not written and nothing was changed")
        } catch let error as DatabaseError where [.SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM].contains(error.resultCode) {
            throw CaseError.invalid("cannot write the backup in \(dir) (\(error.message ?? "\(error.resultCode)")); nothing was written")
        }
        Self.syncFile(temp)
        report.bytes = (try? fm.attributesOfItem(atPath: temp)[.size] as? NSNumber)?.int64Value ?? 0
        if let keep { report.rotated = Self.rotate(target, keep: keep) }
        guard rename(temp, target) == 0 else {
            throw CaseError.invalid("cannot put the backup at \(target): \(String(cString: strerror(errno)))")
        }
        Self.syncFile(dir, directory: true)
        SharedInstall.inherit(target, from: path)
        let summary = "backup to \(target): \(report.bytes) bytes, " + report.counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", ")
        try? write { db in try Self.recordOperation(db, kind: "backup", actor: actor, summary: summary, at: now()) }
        operationsLog.info("backup by \(actor): \(summary)")
        return report
    }

    /// The copy passes quick_check, has the source's schema version and row counts, and
    /// becomes a single self-contained file (rollback journal, no -wal beside it).
    /// quick_check, not integrity_check: it reads every page and checks every b-tree, record
    /// and constraint but not that each index matches its table, which costs several times
    /// as long and could only fail if the live database already did (the copy is its
    /// pages): `doctor` checks that, and `restore` runs the full integrity_check on a
    /// backup before putting it in place. The check reads through a read-only connection:
    /// SQLite then reads the memory-mapped pages in place, and at a million cases the
    /// check takes about 1.3 s instead of 4 s through a read-write one.
    static func verifyCopy(_ path: String, expected: BackupReport) throws {
        var config = Configuration()
        config.readonly = true
        config.prepareDatabase { db in
            // The check reads every page many times: let it keep them in memory.
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        }
        let copy = try DatabaseQueue(path: path, configuration: config)
        try copy.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA quick_check")
            guard integrity == ["ok"] else {
                throw CaseError.invalid("the backup copy failed its check (quick_check: \(integrity.first ?? "?")); nothing was written")
            }
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            guard version == expected.schemaVersion else {
                throw CaseError.invalid("the backup copy has schema version \(version), the database \(expected.schemaVersion); nothing was written")
            }
            for (table, rows) in expected.counts {
                let found = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
                guard found == rows else {
                    throw CaseError.invalid("the backup copy has \(found) \(table), the database had \(rows); nothing was written")
                }
            }
        }
        try copy.close()
        let file = try DatabaseQueue(path: path)
        try file.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try file.close()
    }

    /// A backup never replaces or moves the database or its side files: the target, or a
    /// name rotation would move, that is one of them — by path once symlinks are resolved,
    /// or by device and inode (a hard link) — is refused, and only regular files are moved
    /// (a directory or a symlink named like a backup is someone else's).
    static func refuseUnsafeTarget(_ target: String, keep: Int?, database: String) throws {
        let sides = ["", "-wal", "-shm", "-writers"].map { database + $0 }
        let paths = Set(sides.map(resolvedPath))
        let inodes = Set(sides.compactMap(fileIdentity))
        for n in 0..<max(keep ?? 1, 1) {
            let name = n == 0 ? target : "\(target).\(n)"
            if paths.contains(resolvedPath(name)) || fileIdentity(name).map(inodes.contains) == true {
                throw CaseError.invalid("\(name) is the database \(database) or one of its -wal, -shm, -writers files; back up to another file; nothing was written")
            }
            var st = stat()
            if lstat(name, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
                throw CaseError.invalid("\(name) is not a regular file (a directory or a link); back up to a file name; nothing was written")
            }
        }
    }

    /// The absolute path with every symlink resolved; for a file not there yet, its
    /// directory's resolved path and its name.
    static func resolvedPath(_ path: String) -> String {
        if let real = realpath(path, nil) { defer { free(real) }; return String(cString: real) }
        let ns = path as NSString
        guard let dir = realpath(ns.deletingLastPathComponent.isEmpty ? "." : ns.deletingLastPathComponent, nil) else { return path }
        defer { free(dir) }
        return (String(cString: dir) as NSString).appendingPathComponent(ns.lastPathComponent)
    }

    /// Device and inode of the file a path names (following symlinks), nil when there is none.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }

    /// TARGET.(keep-2) → TARGET.(keep-1) … TARGET → TARGET.1; the oldest beyond `keep` goes.
    static func rotate(_ target: String, keep: Int) -> [String] {
        let fm = FileManager.default
        var moved: [String] = []
        func name(_ n: Int) -> String { n == 0 ? target : "\(target).\(n)" }
        if keep == 1 {
            if fm.fileExists(atPath: target) { moved.append("\(target) replaced") }
            return moved
        }
        if fm.fileExists(atPath: name(keep - 1)) { try? fm.removeItem(atPath: name(keep - 1)); moved.append("\(name(keep - 1)) removed") }
        for n in stride(from: keep - 2, through: 0, by: -1) where fm.fileExists(atPath: name(n)) {
            if rename(name(n), name(n + 1)) == 0 { moved.append("\(name(n)) → \(name(n + 1))") }
        }
        return moved
    }

    static func freeBytes(_ dir: String) -> Int64? {
        var s = statvfs()
        guard statvfs(dir, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    /// fsync, so a renamed backup is really on disk before it replaces anything.
    @discardableResult
    static func syncFile(_ path: String, directory: Bool = false) -> Bool {
        let fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }
}
