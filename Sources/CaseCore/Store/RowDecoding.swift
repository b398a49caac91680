import Foundation
import GRDB

/// Rows to model values. Columns are read by name, so queries may select more.
extension User {
    static let selectSQL = """
        SELECT u.id, u.login, u.name, u.role, u.team_id, t.name AS team, u.department, u.skills, u.active
        FROM users u LEFT JOIN teams t ON t.id = u.team_id
        """
    init(row: Row) {
        id = row["id"]; login = row["login"]; name = row["name"]
        role = Role(rawValue: row["role"]) ?? .agent
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
    init(row: Row) {
        id = row["id"]; customerId = row["customer_id"]
        channel = Channel(rawValue: row["channel"]) ?? .phone
        callType = row["call_type"]; subject = row["subject"]
        status = CaseStatus(rawValue: row["status"]) ?? .new
        priority = Priority(rawValue: row["priority"]) ?? .p3
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
    init(row: Row) {
        id = row["id"]; caseId = row["case_id"]; at = Date(timeIntervalSince1970: row["at"])
        actor = row["actor"]; via = row["via"]; kind = Kind(rawValue: row["kind"]) ?? .note
        channel = row["channel"]; field = row["field"]; oldValue = row["old_value"]; newValue = row["new_value"]; body = row["body"]
    }
}

extension QueueRow {
    init(row: Row) {
        id = row["id"]; priority = Priority(rawValue: row["priority"]) ?? .p3
        dueAt = Date(timeIntervalSince1970: row["due_at"]); createdAt = Date(timeIntervalSince1970: row["created_at"])
        status = CaseStatus(rawValue: row["status"]) ?? .new
        customer = row["customer"]; callType = row["call_type"]
        channel = Channel(rawValue: row["channel"]) ?? .phone; subject = row["subject"]; assignee = row["assignee"]
        slaPausedAt = (row["sla_paused_at"] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}

extension CallType {
    init(row: Row) {
        self.init(code: row["code"], name: row["name"], defaultPriority: Priority(rawValue: row["default_priority"]) ?? .p3,
                  firstResponseMinutes: row["first_response_minutes"], resolutionMinutes: row["resolution_minutes"],
                  pauseWhenPending: row["pause_when_pending"] ?? false)
    }
}

/// Decoding where the row lies in SQLite's statement. A copied row (what `fetchAll` and
/// `fetchOne` return) finds a column by name by lowercasing every column's name in turn, which
/// for a case record or a queue page costs more than the query; a statement's row looks the
/// name up in a table.
extension Row {
    static func decodeAll<T>(_ statement: Statement, _ arguments: StatementArguments = StatementArguments(),
                             _ decode: (Row) throws -> T) throws -> [T] {
        // The cursor lives until every row is read: ending it resets the statement under the row.
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) {
            var out: [T] = []
            while let row = try rows.next() { out.append(try decode(row)) }
            return out
        }
    }

    static func decodeOne<T>(_ statement: Statement, _ arguments: StatementArguments = StatementArguments(),
                             _ decode: (Row) throws -> T) throws -> T? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) { try rows.next().map(decode) }
    }
}
