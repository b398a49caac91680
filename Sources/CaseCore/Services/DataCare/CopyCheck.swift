import Foundation
import GRDB

/// One piece of a backup copy's check, run by `DatabaseBackup.verifyCopy` on two
/// connections at once.
enum CopyCheck: Sendable {
    /// quick_check of the schema table.
    case schema
    /// quick_check of one table and its indexes.
    case table(String)
    /// The table holds as many rows as the database did at the moment of the copy.
    case count(String, Int)

    func run(_ db: Database) throws {
        switch self {
        case .schema: try Self.quickCheck(db, "sqlite_schema")
        case .table(let name): try Self.quickCheck(db, name)
        case .count(let table, let rows):
            let found = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            guard found == rows else {
                throw CaseError.invalid("the backup copy has \(found) \(table), the database had \(rows); nothing was written")
            }
        }
    }

    static func quickCheck(_ db: Database, _ table: String) throws {
        let result = try String.fetchAll(db, sql: "PRAGMA quick_check(\(table.quotedDatabaseIdentifier))")
        guard result == ["ok"] else {
            throw CaseError.invalid("the backup copy failed its check (quick_check of \(table): \(result.first ?? "?")); nothing was written")
        }
    }

    /// Runs every check, in order, on two read-only connections taking the next one as
    /// each finishes; the first failure is thrown (the others still finish).
    static func run(_ checks: [CopyCheck], on path: String) throws {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var failure: Error?
        }
        let shared = Shared()
        var config = Configuration()
        config.readonly = true
        config.prepareDatabase { db in
            // The check reads every page many times: let it keep them in memory.
            try db.execute(sql: "PRAGMA cache_size = -131072")
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        }
        let connections = try (0..<2).map { _ in try DatabaseQueue(path: path, configuration: config) }
        defer { for c in connections { try? c.close() } }
        DispatchQueue.concurrentPerform(iterations: connections.count) { n in
            while true {
                let check: CopyCheck? = shared.lock.withLock {
                    guard shared.failure == nil, shared.next < checks.count else { return nil }
                    defer { shared.next += 1 }
                    return checks[shared.next]
                }
                guard let check else { return }
                do { try connections[n].read { db in try check.run(db) } } catch {
                    shared.lock.withLock { if shared.failure == nil { shared.failure = error } }
                }
            }
        }
        if let failure = shared.failure { throw failure }
    }
}
