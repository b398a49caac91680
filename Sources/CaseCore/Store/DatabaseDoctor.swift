import Foundation
import GRDB

/// `casedesk doctor`: opens the file read-only so a check can never make things worse.
public enum DatabaseDoctor {
    public struct Report: Sendable {
        public var lines: [String]
        public var healthy: Bool
    }

    /// `now`: the moment no CSAT answer may be dated after.
    public static func check(path: String, now: Date = Date()) throws -> Report {
        guard FileManager.default.fileExists(atPath: path) else { throw CaseError.invalid("no database at \(path)") }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        var lines: [String] = []
        var healthy = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > Schema.version {
                    throw CaseError.schemaTooNew(found: version, supported: Schema.version)
                }
                lines.append("schema: version \(version) of \(Schema.version)\(version < Schema.version ? " (will be migrated when opened)" : "")")
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                if integrity == ["ok"] { lines.append("integrity: ok") } else {
                    healthy = false
                    lines += integrity.prefix(20).map { "integrity: \($0)" }
                }
                let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                if fk.isEmpty { lines.append("foreign keys: ok") } else {
                    healthy = false
                    lines.append("foreign keys: \(fk.count) broken reference(s), first in table \(fk[0]["table"] as String? ?? "?")")
                }
                guard version > 0 else { healthy = false; lines.append("not a CaseDesk database"); return }
                for table in ["users", "customers", "call_types", "scripts", "cases", "events"] {
                    lines.append("\(table): \(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0)")
                }
                let triggers = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'events_refuse_%'") ?? 0
                if triggers != 2 { healthy = false; lines.append("events: append-only guard missing") }
                if version == Schema.version {
                    let missing = try SchemaIndexes.missing(in: db)
                    if missing.isEmpty {
                        lines.append("indexes: all \(try SchemaIndexes.expected().count) present")
                    } else {
                        healthy = false
                        lines.append("indexes: missing \(missing.map(\.name).joined(separator: ", ")) (queries that name them fail; rebuild them with: casedesk doctor --repair)")
                    }
                }
                lines.append("journal: \(try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?")")
                // Consistency needs the current schema's columns; an older file is checked once migrated.
                if version == Schema.version {
                    for f in try ConsistencyChecks.run(db, now: now) {
                        lines.append("consistency: \(f.name): \(f.count == 0 ? "none" : String(f.count))")
                        if f.count > 0 { healthy = false }
                    }
                }
            }
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.notADatabase(path)
        }
        return Report(lines: lines, healthy: healthy)
    }
}
