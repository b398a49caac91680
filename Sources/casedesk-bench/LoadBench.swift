import CaseCore
import Foundation
import GRDB
import GRDBSQLite

// Bulk load and import, each beside bare SQLite doing the same writes in the same run.

/// Bulk load at the run's size and import of 50,000 rows, each beside its bare figure.
func runLoadBenches(cases: Int, note: (String, String) -> Void) throws {
    try runBulkBench(count: cases, report: note)
    try runImportBench(count: min(50_000, max(1000, cases / 20)), report: note)
}

/// A fresh database with the shipped pack and the bench's agents, as the main run has.
func freshBenchStore(_ label: String) throws -> (CaseStore, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-bench-\(label)-\(getpid()).sqlite").path
    guard let packDir = PackLocator.defaultPackDirectory() else { fail("cannot find the content pack (Resources/pack)") }
    let store = try CaseStore(path: path, create: true)
    try store.install(try PackLoader.load(directory: packDir))
    for login in ["alice", "bob"] + (1...32).map({ String(format: "agent%02d", $0) }) { try store.addUser(login: login, role: .agent) }
    return (store, path)
}

func removeDatabase(_ path: String) {
    for s in ["", "-wal", "-shm", "-writers"] { try? FileManager.default.removeItem(atPath: path + s) }
}

/// Bulk load beside bare SQLite doing the same work: the same rows (read back from the
/// loaded database, untimed) into the same tables, indexes and FTS5 indexes of a fresh
/// database, on a raw connection with `BulkLoad`'s pragmas, in one transaction that drops
/// and rebuilds the same secondary indexes, then the same TRUNCATE checkpoint.
func bareBulkLoad(from store: CaseStore, scratch: String) throws -> Double {
    try CaseStore(path: scratch, create: true).pool.close()
    let raw = RawSQLite(scratch)
    let ins = (customer: raw.prepare("INSERT INTO customers(id, name, email, phone, account, language) VALUES (?,?,?,?,?,?)"),
               person: raw.prepare("INSERT INTO customer_search(rowid, name, contact) VALUES (?,?,?)"),
               kase: raw.prepare("""
                   INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, created_at,
                                     first_response_at, due_at, resolved_at, resolution_code, csat, self_service, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   """),
               event: raw.prepare("INSERT INTO events(case_id, at, kind, channel, new_value, body) VALUES (?,?,?,?,?,?)"),
               document: raw.prepare("INSERT INTO case_search(rowid, customer, subject, body) VALUES (?,?,?,?)"))
    func insert(_ stmt: OpaquePointer, _ values: ArraySlice<DatabaseValue>) {
        for (i, v) in values.enumerated() { raw.bind(stmt, Int32(i + 1), v) }
        raw.run(stmt)
    }
    let people = try store.pool.read { db in
        try GRDB.Row.fetchAll(db, sql: """
            SELECT c.id, c.name, c.email, c.phone, c.account, c.language, s.name AS sname, s.contact
            FROM customers c JOIN customer_search s ON s.rowid = c.id ORDER BY c.id
            """).map { Array($0.databaseValues) }
    }
    var seconds = timed {
        raw.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF")
        raw.exec("BEGIN IMMEDIATE")
        for v in people {
            insert(ins.customer, v[0..<6])
            insert(ins.person, [v[0], v[6], v[7]])
        }
    } / 1000
    let indexes = try store.pool.read { db in
        try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL ORDER BY name")
    }
    let names = try store.pool.read { db in
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL")
    }
    seconds += timed { for name in names { raw.exec("DROP INDEX \(name)") } } / 1000
    let maxId = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM cases") ?? 0 }
    var from: Int64 = 1
    while from <= maxId {
        let to = from + 50_000 - 1   // read back a slice at a time, untimed
        let rows = try store.pool.read { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT c.id, c.customer_id, c.channel, c.call_type, c.subject, c.status, c.priority, c.assignee_id, c.created_at,
                       c.first_response_at, c.due_at, c.resolved_at, c.resolution_code, c.csat, c.self_service, c.updated_at,
                       c.id, e.at, e.kind, e.channel AS echannel, e.new_value, e.body,
                       c.id, s.customer AS scustomer, s.subject AS ssubject, s.body AS sbody
                FROM cases c JOIN events e ON e.case_id = c.id AND e.kind = 'created' JOIN case_search s ON s.rowid = c.id
                WHERE c.id BETWEEN ? AND ? ORDER BY c.id
                """, arguments: [from, to]).map { Array($0.databaseValues) }
        }
        seconds += timed {
            for v in rows {
                insert(ins.kase, v[0..<16])
                insert(ins.event, v[16..<22])
                insert(ins.document, v[22..<26])
            }
        } / 1000
        from = to + 1
    }
    seconds += timed {
        for sql in indexes { raw.exec(sql) }
        raw.exec("COMMIT")
        raw.exec("PRAGMA wal_checkpoint(TRUNCATE)")
    } / 1000
    for stmt in [ins.customer, ins.person, ins.kase, ins.event, ins.document] { sqlite3_finalize(stmt) }
    return seconds
}

/// Bulk load at `count` into a fresh database, then the bare load of the same count.
func runBulkBench(count: Int, report: (String, String) -> Void) throws {
    let (store, path) = try freshBenchStore("load")
    defer { removeDatabase(path); removeDatabase(path + ".bare") }
    let ours = try BulkLoad.loadCases(store, count: count, seed: 7)
    let bare = try bareBulkLoad(from: store, scratch: path + ".bare")
    try store.pool.close()
    report("bulk load · CaseDesk (one transaction)", "\(grouped(Int(Double(count) / ours))) cases/s (\(String(format: "%.1f", ours)) s)")
    report("bulk load · bare SQLite, same rows and indexes", "\(grouped(Int(Double(count) / bare))) cases/s (\(String(format: "%.1f", bare)) s); "
           + String(format: "CaseDesk takes %.2f× the bare time", ours / bare))
}

/// Import of `count` CSV rows through every check, beside bare SQLite inserting the same
/// rows (customers found or added by email, cases, `created` events, and both search
/// documents, as the import writes them) with prepared statements.
func runImportBench(count: Int, report: (String, String) -> Void) throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-bench-import-\(getpid()).csv").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let types = ["billing", "billing.dispute", "device.setup", "orders.late", "account.access"]
    let channels = ["phone", "email", "chat", "web"]
    var text = "customer,email,channel,call_type,subject,priority,self_service,created_at\n"
    let iso = ISO8601DateFormatter()
    let base = Date().timeIntervalSince1970 - 30 * 86400
    for i in 0..<count {
        let c = i % (count / 5 + 1)
        text += "Import Customer \(c),import\(c)@bench.example,\(channels[i % 4]),\(types[i % 5]),\"Subject \(i), about \(types[i % 5])\","
            + "P\(1 + i % 4),\(i % 3 == 0),\(iso.string(from: Date(timeIntervalSince1970: base + Double(i) * 10)))\n"
    }
    try text.write(toFile: file, atomically: true, encoding: .utf8)

    let (store, path) = try freshBenchStore("import")
    defer { removeDatabase(path) }
    let known = CaseImport.Known(callTypes: Set(try store.callTypes().map(\.code)))
    let started = now()
    let parsed = try CaseImport.parse(file: file, known: known)
    try store.importCases(parsed, file: file, by: nil)
    let ours = now() - started

    // Bare: the same rows, already parsed, into another fresh database.
    let calendar = try store.businessCalendar()
    let minutes = Dictionary(uniqueKeysWithValues: try store.callTypes().map { ($0.code, $0) })
    let rows = parsed.rows.map { r -> (String, String, String, String, String, Int, Bool, Double, Double) in
        let n = r.new, t = minutes[n.callType!]!
        let created = n.createdAt!
        return (n.customer, n.customerEmail!, n.channel.rawValue, n.callType!, n.subject, (n.priority ?? t.defaultPriority).rawValue,
                n.selfService, created.timeIntervalSince1970, calendar.add(minutes: t.resolutionMinutes, to: created).timeIntervalSince1970)
    }
    let (bareStore, barePath) = try freshBenchStore("import-bare")
    try bareStore.pool.close()
    defer { removeDatabase(barePath) }
    let db = try BareSQLite(path: barePath)
    try db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
    let find = try db.prepare("SELECT id FROM customers WHERE email = ?")
    let addCustomer = try db.prepare("INSERT INTO customers(name, email) VALUES (?, ?)")
    let addCase = try db.prepare("""
        INSERT INTO cases(customer_id, channel, call_type, subject, status, priority, created_at, due_at, self_service, updated_at)
        VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?)
        """)
    let addEvent = try db.prepare("INSERT INTO events(case_id, at, kind, channel, new_value, body) VALUES (?, ?, 'created', ?, ?, ?)")
    let addPerson = try db.prepare("INSERT INTO customer_search(rowid, name, contact) VALUES (?, ?, ?)")
    let addDocument = try db.prepare("INSERT INTO case_search(rowid, customer, subject, body) VALUES (?, ?, ?, '')")
    let bareStarted = now()
    try db.exec("BEGIN IMMEDIATE")
    for row in rows {
        db.bind(find, [row.1])
        var customer: Int64
        if sqlite3_step(find) == SQLITE_ROW { customer = sqlite3_column_int64(find, 0); sqlite3_reset(find) } else {
            sqlite3_reset(find)
            db.bind(addCustomer, [row.0, row.1]); try db.step(addCustomer)
            customer = sqlite3_last_insert_rowid(db.handle)
            db.bind(addPerson, [customer, row.0, row.1 + "  "]); try db.step(addPerson)
        }
        db.bind(addCase, [customer, row.2, row.3, row.4, Int64(row.5), row.7, row.8, Int64(row.6 ? 1 : 0), row.7]); try db.step(addCase)
        let id = sqlite3_last_insert_rowid(db.handle)
        db.bind(addEvent, [id, row.7, row.2, row.2, row.4]); try db.step(addEvent)
        db.bind(addDocument, [id, row.0, row.4]); try db.step(addDocument)
    }
    try db.exec("COMMIT")
    let bare = now() - bareStarted
    report("import CSV → cases (parse, check, write)", "\(grouped(Int(Double(count) / ours))) rows/s (\(grouped(count)) rows, \(String(format: "%.2f", ours)) s)")
    report("import · bare SQLite inserting the same rows", "\(grouped(Int(Double(count) / bare))) rows/s (\(String(format: "%.2f", bare)) s); "
           + String(format: "CaseDesk takes %.2f× the bare time", ours / bare))
}

/// The SQLite C API with the little the bare figures need.
final class BareSQLite {
    var handle: OpaquePointer?
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BareError(handle) }
        sqlite3_busy_timeout(handle, 15_000)
    }

    deinit {
        // Statements are finalized by sqlite3_close_v2 once the connection is let go.
        sqlite3_close_v2(handle)
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw BareError(handle) }
    }

    func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw BareError(handle) }
        return statement
    }

    /// Runs a statement to its end and resets it for the next use.
    func step(_ statement: OpaquePointer?) throws {
        defer { sqlite3_reset(statement) }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw BareError(handle) }
    }

    func bind(_ statement: OpaquePointer?, _ values: [Any?]) {
        for (i, value) in values.enumerated() {
            let at = Int32(i + 1)
            switch value {
            case let v as Int64: sqlite3_bind_int64(statement, at, v)
            case let v as Double: sqlite3_bind_double(statement, at, v)
            case let v as String: sqlite3_bind_text(statement, at, v, -1, Self.transient)
            default: sqlite3_bind_null(statement, at)
            }
        }
    }

    func strings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var out: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW { out.append(String(cString: sqlite3_column_text(statement, 0))) }
        return out
    }
}
