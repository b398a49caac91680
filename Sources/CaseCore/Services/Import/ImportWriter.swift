import Foundation
import GRDB

extension CaseStore {
    /// Writes checked import rows in one IMMEDIATE transaction: all of them or, on the first
    /// problem (an id already taken, a login or resolution code the database does not know),
    /// none, with the problem's line. Each case gets its `created` event (and its `assign`
    /// and `resolve` events when the row carries an assignee or a resolution).
    @discardableResult
    public func importCases(_ parsed: CaseImport.Parsed, file: String, by actorLogin: String?) throws -> [Int64] {
        let name = (file as NSString).lastPathComponent
        return try write { db in
            let actor = try actorLogin.map { try Self.user(db, login: $0) }
            let calendar = BusinessCalendar(try Self.businessHours(db))
            let callTypes = Dictionary(uniqueKeysWithValues: try Self.callTypes(db).map { ($0.code, $0) })
            let logins = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT login, id FROM users")
                .map { ($0["login"] as String, $0["id"] as Int64) })
            let codes = Set(try String.fetchAll(db, sql: "SELECT code FROM resolution_codes WHERE \(PackRetireSchema.liveResolutionCodes)"))
            let taken = try db.cachedStatement(sql: "SELECT 1 FROM cases WHERE id = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, created_at,
                                  first_response_at, due_at, resolved_at, resolution_code, csat, self_service, updated_at, updated_by)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            var customers: [String: Int64] = [:]
            var ids: [Int64] = []
            ids.reserveCapacity(parsed.rows.count)
            let importedAt = now()
            for row in parsed.rows {
                func refuse(_ problem: String, _ column: String) -> ImportError {
                    ImportError(file: name, line: row.line, problem: problem, column: column)
                }
                let new = row.new
                if let id = row.id, try Bool.fetchOne(taken, arguments: [id]) == true {
                    throw refuse("case #\(id) already exists in this database", "id")
                }
                var assigneeId: Int64?
                if let login = row.assignee {
                    guard let id = logins[login] else { throw refuse(CaseError.noSuchUser(login).description, "assignee") }
                    assigneeId = id
                }
                if let code = row.resolutionCode, !codes.contains(code) {
                    throw refuse(CaseError.noSuchResolutionCode(code).description, "resolution_code")
                }
                let type = try new.callType.map { code in
                    guard let t = callTypes[code] else { throw refuse(CaseError.noSuchCallType(code).description, "call_type") }
                    return t
                }
                let created = new.createdAt ?? importedAt
                let due = row.dueAt ?? calendar.add(minutes: type?.resolutionMinutes ?? 24 * 60, to: created)
                let customerKey = new.customerEmail.map { "e:" + $0 } ?? "n:" + new.customer
                let customerId: Int64
                if let known = customers[customerKey] { customerId = known } else {
                    customerId = try Self.findOrCreateCustomer(db, name: new.customer, email: new.customerEmail, phone: new.customerPhone)
                    customers[customerKey] = customerId
                }
                let updated = row.resolvedAt ?? created
                try insert.execute(arguments: [
                    row.id, customerId, new.channel.rawValue, new.callType, new.subject, row.status.rawValue,
                    (new.priority ?? type?.defaultPriority ?? .p3).rawValue, assigneeId, created.timeIntervalSince1970,
                    row.firstResponseAt?.timeIntervalSince1970, due.timeIntervalSince1970, row.resolvedAt?.timeIntervalSince1970,
                    row.resolutionCode, row.csat, new.selfService, updated.timeIntervalSince1970, actor?.id,
                ])
                let id = db.lastInsertedRowID
                try Self.append(db, caseId: id, actor: actor?.id, at: created,
                                EventDraft(kind: .created, new: new.channel.rawValue, body: new.body ?? new.subject, channel: new.channel.rawValue))
                if let login = row.assignee {
                    try Self.append(db, caseId: id, actor: actor?.id, at: created,
                                    EventDraft(kind: .assign, field: "assignee", new: login, body: "imported"))
                }
                if let code = row.resolutionCode {
                    try Self.append(db, caseId: id, actor: assigneeId ?? actor?.id, at: row.resolvedAt ?? created,
                                    EventDraft(kind: .resolve, field: "status", old: CaseStatus.open.rawValue, new: row.status.rawValue, body: code))
                }
                ids.append(id)
            }
            return ids
        }
    }
}
