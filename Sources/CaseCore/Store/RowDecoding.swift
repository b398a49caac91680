import Foundation
import GRDB

/// Rows to model values. Columns are read by name, so queries may select more.
/// Enum columns are read strictly: a value this casedesk does not know (written by hand, by a
/// newer version, or damaged) is an error naming the table, the row and the value, never a default
/// that would quietly change what the row means (an unknown role read as `agent`).
extension Row {
    func value<E: RawRepresentable>(_ column: String, of table: String, key: String = "id") throws -> E
    where E.RawValue: DatabaseValueConvertible {
        let stored: DatabaseValue = self[column]
        if let raw = E.RawValue.fromDatabaseValue(stored), let value = E(rawValue: raw) { return value }
        var message = "\(table) row \(Self.shown(self[key] as DatabaseValue? ?? .null, quoted: false)): unknown \(column) \(Self.shown(stored, quoted: true))"
        if let all = E.self as? any CaseIterable.Type {
            message += " (expected " + (all.allCases as any Collection).map { "\(($0 as! E).rawValue)" }.joined(separator: ", ") + ")"
        }
        throw CaseError.invalid(message)
    }

    private static func shown(_ value: DatabaseValue, quoted: Bool) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let n): quoted ? "'\(n)'" : "\(n)"
        case .double(let d): quoted ? "'\(d)'" : "\(d)"
        case .string(let s): quoted ? "'\(s)'" : s
        case .blob: "(a blob)"
        }
    }
}

extension User {
    static let selectSQL = """
        SELECT u.id, u.login, u.name, u.role, u.team_id, t.name AS team, u.department, u.skills, u.active
        FROM users u LEFT JOIN teams t ON t.id = u.team_id
        """
    init(row: Row) throws {
        id = row["id"]; login = row["login"]; name = row["name"]
        role = try row.value("role", of: "users")
        teamId = row["team_id"]; team = row["team"]; department = row["department"]
        skills = (row["skills"] as String? ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        active = (row["active"] as Bool?) ?? true
    }
}

extension Customer {
    init(row: Row) {
        id = row["id"]; name = row["name"]; email = row["email"]; phone = row["phone"]
        account = row["account"]; language = row["language"]
    }
}

extension CaseRecord {
    static let selectSQL = """
        SELECT c.*, a.login AS assignee, b.login AS updated_by_login
        FROM cases c LEFT JOIN users a ON a.id = c.assignee_id LEFT JOIN users b ON b.id = c.updated_by
        """
    init(row: Row) throws {
        id = row["id"]; customerId = row["customer_id"]
        channel = try row.value("channel", of: "cases")
        callType = row["call_type"]; subject = row["subject"]
        status = try row.value("status", of: "cases")
        priority = try row.value("priority", of: "cases")
        assigneeId = row["assignee_id"]; assignee = row["assignee"]; teamId = row["team_id"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        firstResponseAt = (row["first_response_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        dueAt = Date(timeIntervalSince1970: row["due_at"])
        slaPausedAt = (row["sla_paused_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        slaPausedSeconds = row["sla_paused_seconds"] ?? 0
        resolvedAt = (row["resolved_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        resolutionCode = row["resolution_code"]; csat = row["csat"]
        selfService = row["self_service"]; version = row["version"]
        updatedAt = Date(timeIntervalSince1970: row["updated_at"]); updatedBy = row["updated_by_login"]
        followUpAt = (row["follow_up_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        priorityManual = (row["priority_manual"] as Bool?) ?? false
    }
}

extension CaseEvent {
    static let selectSQL = """
        SELECT e.*, u.login AS actor, v.login AS via FROM events e LEFT JOIN users u ON u.id = e.actor_id
        LEFT JOIN users v ON v.id = e.via_id
        """
    init(row: Row) throws {
        id = row["id"]; caseId = row["case_id"]; at = Date(timeIntervalSince1970: row["at"])
        actor = row["actor"]; via = row["via"]; kind = try row.value("kind", of: "events")
        channel = row["channel"]; field = row["field"]; oldValue = row["old_value"]; newValue = row["new_value"]; body = row["body"]
    }
}

extension QueueRow {
    init(row: Row) throws {
        id = row["id"]; priority = try row.value("priority", of: "cases")
        dueAt = Date(timeIntervalSince1970: row["due_at"]); createdAt = Date(timeIntervalSince1970: row["created_at"])
        status = try row.value("status", of: "cases")
        customer = row["customer"]; callType = row["call_type"]
        channel = try row.value("channel", of: "cases"); subject = row["subject"]; assignee = row["assignee"]
        slaPausedAt = (row["sla_paused_at"] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}

extension CallType {
    init(row: Row) throws {
        self.init(code: row["code"], name: row["name"], defaultPriority: try row.value("default_priority", of: "call_types", key: "code"),
                  firstResponseMinutes: row["first_response_minutes"], resolutionMinutes: row["resolution_minutes"],
                  pauseWhenPending: row["pause_when_pending"] ?? false)
    }
}

/// Decoding where the row lies in SQLite's statement. A copied row (what `fetchAll` and
/// `fetchOne` return) finds a column by name by lowercasing every column's name in turn, which
/// for a case record or a queue page costs more than the query; a statement's row looks the
/// name up in a table. No `arguments`: those the statement holds (one made from an `SQL` literal).
extension Row {
    static func decodeAll<T>(_ statement: Statement, _ arguments: StatementArguments? = nil,
                             _ decode: (Row) throws -> T) throws -> [T] {
        // The cursor lives until every row is read: ending it resets the statement under the row.
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) {
            var out: [T] = []
            while let row = try rows.next() { out.append(try decode(row)) }
            return out
        }
    }

    static func decodeOne<T>(_ statement: Statement, _ arguments: StatementArguments? = nil,
                             _ decode: (Row) throws -> T) throws -> T? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) { try rows.next().map(decode) }
    }
}
