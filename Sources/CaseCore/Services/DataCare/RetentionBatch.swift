import Foundation
import GRDB

/// One retention batch, the only part of a purge that holds the write lock. Its statements
/// are prepared once for a fixed number of case ids (a short batch repeats its first id),
/// so a batch spends its few milliseconds deleting rows found through indexes, not
/// compiling SQL.
struct RetentionBatch {
    /// Resolved or closed before the cutoff (the one `?`).
    static let due = "\(CaseStatus.doneSQL()) AND coalesce(resolved_at, updated_at) < ?"

    let size: Int
    let recheck: String
    /// DELETE statements on the batch's ids, leaves first, the cases last.
    let deletes: [(table: String, sql: String)]

    init(_ db: Database, size: Int) throws {
        self.size = size
        let ids = "(" + Array(repeating: "?", count: size).joined(separator: ",") + ")"
        recheck = "SELECT id, customer_id, strftime('%Y-%m', created_at, 'unixepoch') AS month FROM cases WHERE id IN \(ids) AND \(Self.due)"
        deletes = try Self.caseDependents(db).map { ($0.0, "DELETE FROM \"\($0.0)\" WHERE " + $0.1(ids)) }
            // The search documents (rowid = case id) go in the same transaction as their case.
            + [("case_search", "DELETE FROM case_search WHERE rowid IN \(ids)"), ("cases", "DELETE FROM cases WHERE id IN \(ids)")]
    }

    static let permit = "INSERT INTO event_rewrite_permits(operation) VALUES ('retention')"
    static let unpermit = "DELETE FROM event_rewrite_permits"
    static let customer = "DELETE FROM customers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM cases WHERE customer_id = ?)"
    static let customerSearch = "DELETE FROM customer_search WHERE rowid = ?"

    /// Compiles every statement on the writer's connection before the first batch takes
    /// the lock (compiling needs no lock), so no batch compiles SQL.
    func prepare(_ db: Database) throws {
        for sql in [Self.permit, Self.unpermit, recheck, Self.customer, Self.customerSearch] + deletes.map(\.sql) {
            _ = try db.cachedStatement(sql: sql)
        }
    }

    /// Deletes those of `ids` still due, with everything that hangs off them, and the
    /// customers left with no case. Runs inside the caller's IMMEDIATE transaction.
    func purge(_ ids: [Int64], cutoff: Double, db: Database, into report: inout RetentionReport) throws {
        try db.cachedStatement(sql: Self.permit).execute()
        defer { _ = try? db.cachedStatement(sql: Self.unpermit).execute() }
        let rows = try Row.fetchAll(db.cachedStatement(sql: recheck), arguments: arguments(ids) + [cutoff])
        guard !rows.isEmpty else { return }
        let due = arguments(rows.map { $0["id"] as Int64 })
        for (table, sql) in deletes {
            try db.cachedStatement(sql: sql).execute(arguments: due)
            switch table {
            case "events": report.events += db.changesCount
            case "cases", "case_search": break
            default: report.otherRows += db.changesCount
            }
        }
        report.cases += rows.count
        for row in rows { report.byMonth[row["month"], default: 0] += 1 }
        for customer in Set(rows.map { $0["customer_id"] as Int64 }).sorted() {
            try db.cachedStatement(sql: Self.customer).execute(arguments: [customer, customer])
            guard db.changesCount > 0 else { continue }
            report.customers += 1
            try db.cachedStatement(sql: Self.customerSearch).execute(arguments: [customer])
        }
    }

    /// `ids` padded to the batch size with its first id.
    func arguments(_ ids: [Int64]) -> StatementArguments {
        StatementArguments(ids + Array(repeating: ids[0], count: size - ids.count))
    }

    /// Every table holding a case id, as (table, condition on a parenthesized list of case
    /// ids), leaves first: rows pointing at an event of the purged cases, then rows pointing
    /// at the cases, then the events themselves. Found from the schema's foreign keys, so a
    /// table added later is purged too.
    static func caseDependents(_ db: Database) throws -> [(String, (String) -> String)] {
        var direct: [(String, (String) -> String)] = []
        var viaEvents: [(String, (String) -> String)] = []
        var viaDirect: [(String, (String) -> String)] = []
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        func keys(_ table: String) throws -> [(target: String, column: String, to: String)] {
            try Row.fetchAll(db, sql: "SELECT \"table\" AS target, \"from\" AS col, \"to\" AS dest FROM pragma_foreign_key_list(?)", arguments: [table])
                .map { ($0["target"], $0["col"], ($0["dest"] as String?) ?? "rowid") }
        }
        var caseColumn: [String: String] = [:]   // a table that points at cases → its column
        for table in tables where table != "cases" && table != "events" {
            for fk in try keys(table) {
                let column = fk.column
                if fk.target == "cases" { direct.append((table, { "\"\(column)\" IN \($0)" })); caseColumn[table] = column }
                if fk.target == "events" { viaEvents.append((table, { "\"\(column)\" IN (SELECT id FROM events WHERE case_id IN \($0))" })) }
            }
        }
        // One level further: rows pointing at a row that points at a case (a review's scores).
        for table in tables where table != "cases" && table != "events" {
            for fk in try keys(table) {
                guard let parentColumn = caseColumn[fk.target] else { continue }
                let (column, parent, key) = (fk.column, fk.target, fk.to)
                viaDirect.append((table, { "\"\(column)\" IN (SELECT \"\(key)\" FROM \"\(parent)\" WHERE \"\(parentColumn)\" IN \($0))" }))
            }
        }
        if tables.contains("training_copies") { direct.append(("training_copies", { "case_id IN \($0)" })) }
        return viaDirect + viaEvents + direct + [("events", { "case_id IN \($0)" })]
    }
}

/// Folds the WAL back into the file between batches (PASSIVE: it takes no write lock and
/// never makes a writer wait), so the WAL stays small and no batch's commit reaches the
/// size where the committing connection checkpoints itself (`Checkpointer.hardLimit`).
final class RetentionCheckpoints {
    static let every = 8
    private let path: String
    private var connection: DatabaseQueue?
    private var batches = 0

    init(path: String) { self.path = path }

    func afterBatch() {
        batches += 1
        guard batches % Self.every == 0 else { return }
        do {
            try Checkpointer.passive(&connection, path: path, label: "casedesk.retention.checkpoint")
        } catch {
            // Busy (another checkpoint is running): the next one, or the background checkpointer, catches up.
        }
    }
}
