import CaseCore
import CaseDesk
import Foundation
import GRDB
import GRDBSQLite

// The contact figures (issue: intake, customers, search), each beside the raw SQLite
// cost of the same work measured in this process: a connection of its own through the
// C API, no GRDB, no Swift values in between.

/// A bare SQLite connection through the C API.
final class RawSQLite {
    var db: OpaquePointer?
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ path: String) {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { fail("cannot open \(path) raw") }
        sqlite3_busy_timeout(db, 15_000)
    }
    deinit { sqlite3_close_v2(db) }

    func exec(_ sql: String) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { fail("raw SQLite: \(String(cString: sqlite3_errmsg(db))) in \(sql)") }
    }

    func prepare(_ sql: String) -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
            fail("raw SQLite: \(String(cString: sqlite3_errmsg(db))) in \(sql)")
        }
        return stmt
    }

    func bind(_ stmt: OpaquePointer, _ i: Int32, _ v: DatabaseValue) {
        switch v.storage {
        case .null: sqlite3_bind_null(stmt, i)
        case .int64(let n): sqlite3_bind_int64(stmt, i, n)
        case .double(let d): sqlite3_bind_double(stmt, i, d)
        case .string(let s): sqlite3_bind_text(stmt, i, s, -1, Self.transient)
        case .blob(let b): _ = b.withUnsafeBytes { sqlite3_bind_blob(stmt, i, $0.baseAddress, Int32(b.count), Self.transient) }
        }
    }

    /// Runs a bound statement to the end; the number of rows it returned.
    @discardableResult
    func run(_ stmt: OpaquePointer) -> Int {
        var rows = 0
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { rows += 1; continue }
            if rc != SQLITE_DONE { fail("raw SQLite: \(String(cString: sqlite3_errmsg(db)))") }
            break
        }
        sqlite3_reset(stmt)
        return rows
    }

    /// One text parameter, every row read.
    func query(_ stmt: OpaquePointer, _ text: String) -> Int {
        sqlite3_bind_text(stmt, 1, text, -1, Self.transient)
        return run(stmt)
    }
}

func runContactBench(store: CaseStore, path: String, report plain: (String, [Double], String) -> Void, note: (String, String) -> Void) throws {
    // Every figure here carries its maximum too.
    func report(_ name: String, _ values: [Double], _ text: String) { plain(name, values, "max \(ms(values.max() ?? .nan)) · " + text) }
    let raw = RawSQLite(path)

    // Customer lookup as you type, at 200,000 customers.
    let wanted = 200_000
    let added = try BulkLoad.addCustomers(store, atLeast: wanted, seed: 7)
    let total = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0 }
    note("customers for lookup", "\(grouped(total)) customers (\(String(format: "%.1f", added)) s to add and index)")
    var rng = SplitMix64(seed: 99)
    let sample = try store.pool.read { db in
        try GRDB.Row.fetchAll(db, sql: "SELECT name, phone FROM customers WHERE id % 631 = 0 ORDER BY id LIMIT 300")
            .map { ($0["name"] as String, $0["phone"] as String? ?? "") }
    }
    var ours: [Double] = [], bare: [Double] = []
    let lookup = raw.prepare("SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT 200")
    for (i, (name, phone)) in sample.enumerated() {
        let typed = i % 3 == 2 ? phone : name
        var prefix = ""
        for ch in typed {
            prefix.append(ch)
            let text = prefix.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            ours.append(try timed { _ = try store.findCustomers(text, limit: 8) })
            if let q = CaseStore.customerQuery(text) { bare.append(timed { raw.query(lookup, q) }) }
        }
    }
    _ = rng.next()
    report("customer lookup per keystroke", ours,
           "\(grouped(total)) customers, names and phone numbers typed a key at a time · bare FTS5 prefix query \(figures(bare))")

    // Search: selective and unselective, one and two words.
    let orderNumber = try store.pool.read { db in
        try String.fetchOne(db, sql: "SELECT body FROM events WHERE kind = 'created' AND body LIKE '%Order %' ORDER BY id DESC LIMIT 1 OFFSET 1234")
    }.flatMap { body in body.components(separatedBy: "Order ").last?.prefix { $0.isNumber } }.map(String.init) ?? "12345678"
    let queries: [(String, String)] = [
        ("order", "in every case"), ("refund", "common"), ("charged twice", "two common words"),
        ("Lieferung", "German, uncommon"), ("订单", "Chinese, two characters"), ("Müller", "a surname"),
        ("tandem", "in no case"), (orderNumber, "one order number"), ("router order", "one rare, one everywhere"),
    ]
    let ranked = raw.prepare("SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rank LIMIT 50")
    let newest = raw.prepare("SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT 50")
    let count = raw.prepare("SELECT count(*) FROM case_search WHERE case_search MATCH ?")
    var all: [Double] = []
    for (text, what) in queries {
        guard let match = SearchText.matchQuery(text) else { continue }
        var times: [Double] = [], bareRank: [Double] = [], bareNew: [Double] = []
        var order = ""
        for _ in 0..<15 {
            times.append(try timed { order = try store.search(text, limit: 50).order.words })
            bareNew.append(timed { raw.query(newest, match) })
        }
        for _ in 0..<3 { bareRank.append(timed { raw.query(ranked, match) }) }
        sqlite3_bind_text(count, 1, match, -1, RawSQLite.transient)
        var matches = 0
        if sqlite3_step(count) == SQLITE_ROW { matches = Int(sqlite3_column_int64(count, 0)) }
        sqlite3_reset(count)
        all += times
        report("search “\(text)”", times, "\(what): \(grouped(matches)) cases match; \(order) · bare FTS5 bm25 top 50 \(figures(bareRank)), newest 50 \(figures(bareNew))")
    }
    report("search · every query above", all, "first page of 50, ranked as the desk shows it")

    // Intake: from Enter on the form to the opened case drawn.
    let screen = VirtualScreen(cols: 160, rows: 45)
    let desk = try Desk(store: store, login: "alice", screen: screen)
    desk.start()
    var intake: [Double] = []
    for (i, (name, _)) in sample.prefix(200).enumerated() {
        desk.send(.key(.char("N")))
        for ch in name.prefix(4) { desk.send(.key(.char(ch))) }
        desk.send(.key(.enter)); desk.send(.key(.enter))
        for ch in "disp" { desk.send(.key(.char(ch))) }
        desk.send(.key(.enter))
        for ch in "Bench intake \(i)" { desk.send(.key(.char(ch))) }
        desk.send(.key(.enter))
        guard case .intake = desk.state.overlay else { fail("the intake form closed early") }
        intake.append(timed { desk.send(.key(.enter)) })
        guard desk.state.overlay == nil, desk.state.open?.detail.record.subject == "Bench intake \(i)" else { fail("intake did not open the case") }
    }
    // Bare: the same rows (case, created and assign events, search document) in one transaction.
    let customerId = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT min(id) FROM customers") ?? 1 }
    let maxId = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM cases") ?? 0 }
    let insCase = raw.prepare("""
        INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, created_at, due_at, updated_at, assignee_id)
        VALUES (?, \(customerId), 'phone', 'billing.dispute', ?, 'open', 2, 0, 0, 0, 1)
        """)
    let insEvent = raw.prepare("INSERT INTO events(case_id, at, kind, channel, body) VALUES (?, 0, ?, 'phone', ?)")
    let insDoc = raw.prepare("INSERT INTO case_search(rowid, customer, subject, body) VALUES (?, 'Bench', ?, ?)")
    var bareIntake: [Double] = []
    for i in 0..<200 {
        let id = maxId + 1_000_000 + Int64(i)
        bareIntake.append(timed {
            raw.exec("BEGIN IMMEDIATE")
            sqlite3_bind_int64(insCase, 1, id); sqlite3_bind_text(insCase, 2, "Bare intake \(i)", -1, RawSQLite.transient); raw.run(insCase)
            for kind in ["created", "assign"] {
                sqlite3_bind_int64(insEvent, 1, id); sqlite3_bind_text(insEvent, 2, kind, -1, RawSQLite.transient)
                sqlite3_bind_text(insEvent, 3, "Bare intake \(i)", -1, RawSQLite.transient); raw.run(insEvent)
            }
            sqlite3_bind_int64(insDoc, 1, id); sqlite3_bind_text(insDoc, 2, "Bare intake \(i)", -1, RawSQLite.transient)
            sqlite3_bind_text(insDoc, 3, "Bare intake \(i)", -1, RawSQLite.transient); raw.run(insDoc)
            raw.exec("ROLLBACK")
        })
    }
    report("intake: Enter to the opened case drawn", intake,
           "create + assign + index + load + script + render 160×45 · bare SQLite same rows (rolled back) \(figures(bareIntake))")
    for stmt in [lookup, ranked, newest, count, insCase, insEvent, insDoc] { sqlite3_finalize(stmt) }
}

/// "p50 0.2 ms / p99 0.5 ms / max 0.9 ms" for a bare figure.
func figures(_ values: [Double]) -> String {
    let s = values.sorted()
    guard !s.isEmpty else { return "-" }
    return "p50 \(ms(percentile(s, 0.5))) / p99 \(ms(percentile(s, 0.99))) / max \(ms(s.last!))"
}
