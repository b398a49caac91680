import Yams
import GRDB

/// `retention:` in a pack's calltypes.yaml:
///
///     retention:
///       resolved_after: 3y     # resolved/closed cases older than this are purged by `casedesk retention run`
extension FileReader {
    mutating func parseRetention(_ node: Node) -> String? {
        guard let f = fields(node, "retention", allowed: ["resolved_after"]),
              let value = string(f, "resolved_after") else { return nil }
        guard RetentionPeriod(value.value) != nil else {
            error(value.line, "bad retention period '\(value.value)' (\(RetentionPeriod.help))"); return nil
        }
        return value.value
    }
}

extension CaseStore {
    /// A pack with a retention period sets it; a pack without one clears it (keep for ever).
    static func storeRetention(_ db: Database, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [RetentionPeriod.settingKey, value])
        } else {
            try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [RetentionPeriod.settingKey])
        }
    }
}
