import CaseCore
import Foundation
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

/// The bare bulk load: one transaction on a raw connection with the same pragmas as
/// `BulkLoad`; the secondary indexes of cases and events dropped, customers, cases and
/// `created` events written by `INSERT … SELECT` over a counter, the indexes rebuilt.
func bareBulkLoad(count: Int) throws -> Double {
    let (store, path) = try freshBenchStore("bare-load")
    try store.pool.close()
    defer { removeDatabase(path) }
    let db = try BareSQLite(path: path)
    let started = now()
    try db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF")
    try db.exec("BEGIN IMMEDIATE")
    let indexes = try db.strings("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL ORDER BY name")
    for name in try db.strings("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL") {
        try db.exec("DROP INDEX \(name)")
    }
    let customers = max(1000, count / 50)
    try db.exec("""
        CREATE TEMP TABLE ct AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, default_priority AS p, resolution_minutes AS m
          FROM call_types c WHERE NOT EXISTS (SELECT 1 FROM call_types k WHERE k.parent = c.code);
        CREATE TEMP TABLE rc AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM resolution_codes;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
        INSERT INTO customers(name, email, phone, account, language)
          SELECT 'Bare Customer ' || i, 'bare' || i || '@bench.example', '+44 7700 ' || (900000 + i % 100000), 'BN-' || (10000000 + i), 'en' FROM n;
        """)
    let types = try db.strings("SELECT count(*) FROM temp.ct")[0], codes = try db.strings("SELECT count(*) FROM temp.rc")[0]
    let anchor = Date().timeIntervalSince1970, span = 365.0 * 86400
    try db.exec("""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)),
        r AS (SELECT i, \(anchor - span) + \(span) * i / \(count) AS created, abs(random()) % 100 AS o, abs(random()) AS x FROM n)
        INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, created_at,
                          first_response_at, due_at, resolved_at, resolution_code, csat, self_service, updated_at)
        SELECT r.i, 1 + r.x % \(customers),
               CASE r.x % 8 WHEN 0 THEN 'phone' WHEN 1 THEN 'email' WHEN 2 THEN 'chat' WHEN 3 THEN 'web' WHEN 4 THEN 'mobile'
                            WHEN 5 THEN 'social' WHEN 6 THEN 'ivr' ELSE 'retail' END,
               ct.code, 'Bare load subject ' || (r.x % 8) || ' about ' || ct.code,
               CASE WHEN r.o < 5 THEN 'new' ELSE 'resolved' END, ct.p,
               CASE WHEN r.o < 5 THEN NULL ELSE 1 + r.x % 34 END, r.created,
               CASE WHEN r.o < 5 THEN NULL ELSE r.created + 300 END, r.created + ct.m * 60,
               CASE WHEN r.o < 5 THEN NULL ELSE r.created + ct.m * 30 END,
               CASE WHEN r.o < 5 THEN NULL ELSE rc.code END,
               CASE WHEN r.o < 5 OR r.x % 2 = 0 THEN NULL ELSE 3 + r.x % 3 END, r.x % 3 = 0, r.created
        FROM r JOIN temp.ct ct ON ct.k = r.i % \(types) JOIN temp.rc rc ON rc.k = r.i % \(codes);
        INSERT INTO events(case_id, at, kind, channel, new_value, body)
          SELECT id, created_at, 'created', channel, channel, subject FROM cases ORDER BY id;
        """)
    for sql in indexes { try db.exec(sql) }
    try db.exec("COMMIT")
    return now() - started
}

/// Bulk load at `count` into a fresh database, then the bare load of the same count.
func runBulkBench(count: Int, report: (String, String) -> Void) throws {
    let (store, path) = try freshBenchStore("load")
    let ours = try BulkLoad.loadCases(store, count: count, seed: 7)
    try store.pool.close()
    removeDatabase(path)
    let bare = try bareBulkLoad(count: count)
    report("bulk load · CaseDesk (one transaction)", "\(grouped(Int(Double(count) / ours))) cases/s (\(String(format: "%.1f", ours)) s)")
    report("bulk load · bare SQLite INSERT … SELECT", "\(grouped(Int(Double(count) / bare))) cases/s (\(String(format: "%.1f", bare)) s); "
           + String(format: "CaseDesk takes %.2f× the bare time", ours / bare))
}

/// Import of `count` CSV rows through every check, beside bare SQLite inserting the same
/// rows (customers found or added by email, cases, `created` events) with prepared statements.
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
    let bareStarted = now()
    try db.exec("BEGIN IMMEDIATE")
    for row in rows {
        db.bind(find, [row.1])
        var customer: Int64
        if sqlite3_step(find) == SQLITE_ROW { customer = sqlite3_column_int64(find, 0); sqlite3_reset(find) } else {
            sqlite3_reset(find)
            db.bind(addCustomer, [row.0, row.1]); try db.step(addCustomer)
            customer = sqlite3_last_insert_rowid(db.handle)
        }
        db.bind(addCase, [customer, row.2, row.3, row.4, Int64(row.5), row.7, row.8, Int64(row.6 ? 1 : 0), row.7]); try db.step(addCase)
        let id = sqlite3_last_insert_rowid(db.handle)
        db.bind(addEvent, [id, row.7, row.2, row.2, row.4]); try db.step(addEvent)
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
