import Foundation
import GRDB

/// Reads for screens and commands. Queue pages walk an index in (priority, due, id)
/// order from a cursor: a page costs the same at a hundred cases as at a million.
extension CaseStore {
    public enum PageDirection: Sendable { case after(QueueCursor?), before(QueueCursor) }

    /// What a queue row shows (`QueueRow.init(row:)` reads these).
    static let queueColumns = """
        c.id, c.priority, c.due_at, c.created_at, c.status, c.call_type, c.channel, c.subject, c.sla_paused_at,
               cu.name AS customer, u.login AS assignee
        """

    static let queueSelect = """
        SELECT \(queueColumns)
        FROM cases c INDEXED BY %@
        JOIN customers cu ON cu.id = c.customer_id
        LEFT JOIN users u ON u.id = c.assignee_id
        WHERE \(CaseStatus.openSQL("c.status"))
        """

    public func queuePage(_ filter: QueueFilter, _ direction: PageDirection = .after(nil), limit: Int = 50) throws -> [QueueRow] {
        try read { db in
            let (sql, args, descending) = Self.queuePageQuery(filter, direction, limit: limit)
            let rows = try Row.decodeAll(db.cachedStatement(sql: sql), StatementArguments(args), QueueRow.init(row:))
            return descending ? rows.reversed() : rows
        }
    }

    /// The text and arguments of a queue page's query (public so the benchmark can time the
    /// same query on a bare connection); `descending` pages come back last row first.
    public static func queuePageQuery(_ filter: QueueFilter, _ direction: PageDirection, limit: Int)
        -> (sql: String, arguments: [DatabaseValue], descending: Bool) {
        let (index, scopeSQL, scopeArgs) = scope(filter.scope)
        var sql = String(format: queueSelect, index) + scopeSQL
        var args = scopeArgs
        if let due = filter.dueBefore { sql += SLAClock.atRiskSQL; args.append(due.timeIntervalSince1970) }
        var descending = false
        switch direction {
        case .after(let cursor?):
            sql += " AND (c.priority, c.due_at, c.id) > (?, ?, ?)"; args += [cursor.priority, cursor.dueAt, cursor.id]
        case .after(nil): break
        case .before(let cursor):
            sql += " AND (c.priority, c.due_at, c.id) < (?, ?, ?)"; args += [cursor.priority, cursor.dueAt, cursor.id]
            descending = true
        }
        sql += descending ? " ORDER BY c.priority DESC, c.due_at DESC, c.id DESC" : " ORDER BY c.priority, c.due_at, c.id"
        sql += " LIMIT ?"; args.append(limit)
        return (sql, args.map { $0?.databaseValue ?? .null }, descending)
    }

    /// Queue rows of cases already picked by an index walk, each read by its id.
    static func queueRows(_ db: Database, ids: [Int64], orderBy order: String) throws -> [QueueRow] {
        try Row.fetchAll(db, SQLRequest(literal: """
            SELECT \(sql: queueColumns)
            FROM cases c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN users u ON u.id = c.assignee_id
            WHERE c.id IN \(ids) ORDER BY \(sql: order)
            """)).map(QueueRow.init(row:))
    }

    /// The index that serves each scope, named so the plan can never drift to a scan.
    static func scope(_ scope: QueueScope) -> (String, String, [DatabaseValueConvertible?]) {
        switch scope {
        case .assignee(let id): ("cases_open_by_assignee", " AND c.assignee_id = ?", [id])
        case .unassigned: ("cases_open_by_assignee", " AND c.assignee_id IS NULL", [])
        case .team(let id): ("cases_open_by_team", " AND c.team_id = ?", [id])
        case .callType(let code): ("cases_open_by_call_type", " AND c.call_type = ?", [code])
        case .all: ("cases_open", "", [])
        }
    }

    /// Open cases at risk (SLAClock: due before `before`, not paused), soonest first.
    public func atRisk(before: Date, limit: Int = 50) throws -> [QueueRow] {
        try read { db in
            let sql = String(format: Self.queueSelect, "cases_open_by_due") + SLAClock.atRiskSQL + " ORDER BY c.due_at, c.id LIMIT ?"
            return try Row.decodeAll(db.cachedStatement(sql: sql), [before.timeIntervalSince1970, limit], QueueRow.init(row:))
        }
    }

    /// Open cases in a scope, and how many of them are at risk (SLAClock) with the cutoff `riskBefore`.
    /// Counts walk a partial index: cheap, and taken when data changes, not per keystroke.
    public func queueCounts(_ scope: QueueScope, riskBefore: Date) throws -> (open: Int, atRisk: Int) {
        try read { db in
            let (index, scopeSQL, args) = Self.scope(scope)
            let base = "SELECT count(*) FROM cases c INDEXED BY \(index) WHERE \(CaseStatus.openSQL("c.status"))" + scopeSQL
            let open = try Int.fetchOne(db, sql: base, arguments: StatementArguments(args)) ?? 0
            let risk = try Int.fetchOne(db, sql: base + SLAClock.atRiskSQL,
                                        arguments: StatementArguments(args + [riskBefore.timeIntervalSince1970])) ?? 0
            return (open, risk)
        }
    }

    public func record(_ id: Int64) throws -> CaseRecord {
        try read { db in try Self.record(db, id: id) }
    }

    /// A case with its customer, its whole timeline, and its script progress.
    public func detail(_ id: Int64) throws -> CaseDetail {
        try read { db in
            let record = try Self.record(db, id: id)
            let customer = Customer(row: try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [record.customerId])!)
            let events = try Row.decodeAll(db.cachedStatement(sql: CaseEvent.selectSQL + " WHERE e.case_id = ? ORDER BY e.id"), [id],
                                           CaseEvent.init(row:))
            let steps = events.filter { $0.kind == .step }.compactMap { e in e.field.map { StepProgress(stepId: $0, answer: e.newValue) } }
            var detail = CaseDetail(record: record, customer: customer, events: events, stepsDone: steps,
                                    deliveries: try Self.deliveries(db, caseId: id))
            detail.otherOpenCases = try Self.otherOpenCases(db, of: record)
            return detail
        }
    }

    /// Cases for `case list` and export, newest first unless `ascending`.
    public func listCases(status: CaseStatus? = nil, assignee: String? = nil, callType: String? = nil,
                          limit: Int? = nil, ascending: Bool = false) throws -> [CaseRecord] {
        try read { db in
            var query = SQL(sql: CaseRecord.selectSQL) + " WHERE 1"
            if let status { query += " AND c.status = \(status.rawValue)" }
            if let assignee { query += " AND c.assignee_id = \(try Self.user(db, login: assignee).id)" }
            if let callType { query += " AND (c.call_type = \(callType) OR c.call_type LIKE \(callType + ".%"))" }
            query += ascending ? " ORDER BY c.id" : " ORDER BY c.id DESC"
            if let limit { query += " LIMIT \(limit)" }
            return try Row.decodeAll(db.makeStatement(literal: query)) { try CaseRecord(row: $0) }
        }
    }

    public func customer(_ id: Int64) throws -> Customer {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id]) else {
                throw CaseError.invalid("no customer #\(id)")
            }
            return Customer(row: row)
        }
    }

    /// Every event in id order, for audits and the change feed.
    public func events(after id: Int64, limit: Int = 1000) throws -> [CaseEvent] {
        try read { db in
            try Row.decodeAll(db.cachedStatement(sql: CaseEvent.selectSQL + " WHERE e.id > ? ORDER BY e.id LIMIT ?"), [id, limit],
                              CaseEvent.init(row:))
        }
    }
}
