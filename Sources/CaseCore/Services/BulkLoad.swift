import Foundation
import GRDB

/// Fast synthetic volume for the benchmark (`casedesk-bench`): N cases with one `created`
/// event each, written in batches through reused prepared statements.
///
/// Not for real data, nor for a database desks are using: due times use wall-clock SLA
/// minutes (no business calendar, which would cost more per row than the insert itself),
/// and big loads drop and rebuild the full secondary indexes of `cases` and `events`
/// around the load. The text is varied (BulkText) and indexed for search as it goes.
///
/// The whole load is ONE transaction, index drop and rebuild included: a load that is
/// killed or fails leaves the database exactly as it was (indexes and all), and one that
/// commits leaves every row and every index.
public enum BulkLoad {
    /// Inserts `count` cases (a share `openShare` still open, most of those unassigned) and
    /// returns the seconds it took. Needs call types and resolution codes installed;
    /// synthetic customers are added when the database has too few.
    @discardableResult
    public static func loadCases(_ store: CaseStore, count: Int, openShare: Double = 0.05, seed: UInt64) throws -> Double {
        precondition(count >= 0 && (0...1).contains(openShare))
        let started = monotonicSeconds()
        let anchor = Date().timeIntervalSince1970
        try store.pool.writeWithoutTransaction { db in
            let callTypes = try Row.fetchAll(db, sql: """
                SELECT code, default_priority, resolution_minutes FROM call_types c
                WHERE NOT EXISTS (SELECT 1 FROM call_types k WHERE k.parent = c.code) ORDER BY code
                """).map { (code: $0["code"] as String, priority: $0["default_priority"] as Int, minutes: $0["resolution_minutes"] as Int) }
            guard !callTypes.isEmpty else { throw CaseError.invalid("bulk load needs call types: install a content pack first") }
            let codes = try String.fetchAll(db, sql: "SELECT code FROM resolution_codes ORDER BY code")
            guard !codes.isEmpty else { throw CaseError.invalid("bulk load needs resolution codes: install a content pack first") }
            let agents = try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE role = 'agent' ORDER BY id")
            let previousSync = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
            let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            let previousTemp = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
            let previousKeys = try Int.fetchOne(db, sql: "PRAGMA foreign_keys") ?? 1
            // Only this bulk path trades safety for speed, and only on this connection:
            // no fsync (a crash mid-load loses synthetic rows, never real work), no foreign-key
            // lookups (every id written here was just read from its table), a large page
            // cache, and statement journals in memory (each multi-row INSERT keeps one, and on
            // disk it costs a write per touched page). All go back as they were.
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF")
            defer {
                try? db.execute(sql: """
                    PRAGMA synchronous = \(previousSync); PRAGMA cache_size = \(previousCache);
                    PRAGMA temp_store = \(previousTemp); PRAGMA foreign_keys = \(previousKeys)
                    """)
            }

            // Secondary indexes are cheaper to build once, sorted, than to grow row by row in
            // random order (the partial ones also cost a temporary table per statement). Each
            // is recreated from its own stored SQL, so the schema stays the migrations'.
            let rebuilt = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND tbl_name IN ('cases', 'events') AND sql IS NOT NULL
                ORDER BY name
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            // Only worth it for big loads, and only meant for a database no desk is using.
            let rebuild = count >= 100_000
            try db.inTransaction(.immediate) {
                if rebuild {
                    for index in rebuilt { try db.execute(sql: "DROP INDEX \(index.name)") }
                }

                var rng = SplitMix64(seed: seed)
                let customers = try ensureCustomers(db, atLeast: max(1000, count / 50), rng: &rng)
                let firstId = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM cases") ?? 0) + 1

                // Topics: a pool per call type with amounts, months and devices drawn, filled once up
                // front; each case adds its own order number and words (BulkText).
                let calendar = Calendar(identifier: .gregorian), demoTopics = try DemoFiles.shared().topics
                let topics: [[(subject: String, body: String)]] = callTypes.map { ct in
                    let type = CallType(code: ct.code, name: ct.code, defaultPriority: Priority(rawValue: ct.priority) ?? .p3,
                                        firstResponseMinutes: 60, resolutionMinutes: ct.minutes)
                    return (0..<Self.topicsPerCallType).map { k in
                        demoTopics.draw(type, at: Date(timeIntervalSince1970: anchor - Double(k) * 86400), calendar: calendar, rng: &rng)
                    }
                }
                let maker = RowMaker(callTypes: callTypes, codes: codes, agents: agents, customers: customers, topics: topics,
                                     anchor: anchor, count: count, openShare: openShare, firstId: firstId)

                // Many rows per INSERT: the schema's partial indexes (`status IN (...)`) make SQLite
                // build small temporary tables each time a statement runs, which costs more than
                // the row itself; a 100-row statement pays that once per 100 rows.
                var cases = try MultiRowInsert(db, """
                    INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, created_at,
                                      first_response_at, due_at, resolved_at, resolution_code, csat, self_service, updated_at) VALUES
                    """, columns: 16)
                // Each case's `created` event carries the customer's first words, and its search
                // document goes into the FTS5 index in the same transaction (SearchIndex's rows).
                var events = try MultiRowInsert(db, "INSERT INTO events(case_id, at, kind, channel, new_value, body) VALUES", columns: 6)
                var documents = try MultiRowInsert(db, "INSERT INTO case_search(rowid, customer, subject, body) VALUES", columns: 4)
                // The rows are made on a second thread while this one writes the chunk before:
                // on two cores the text work (BulkText, SearchText) then costs the load almost nothing.
                let handoff = Handoff<RowMaker.Chunk>(capacity: 4)
                let made = DispatchSemaphore(value: 0)
                Thread.detachNewThread { [rng] in
                    var rng = rng
                    var done = 0
                    while done < count, handoff.put(maker.chunk(from: done, rng: &rng)) { done += RowMaker.chunkSize }
                    handoff.finish()
                    made.signal()
                }
                defer { handoff.cancel(); made.wait() }
                while let chunk = handoff.take() {
                    try cases.add(chunk.cases)
                    try events.add(chunk.events)
                    try documents.add(chunk.documents)
                }
                try cases.flush()
                try events.flush()
                try documents.flush()
                if rebuild {
                    for index in rebuilt { try db.execute(sql: index.sql) }
                }
                return .commit
            }
            // The load's WAL is as big as the load: copy it back and truncate it now, once.
            _ = try? db.checkpoint(.truncate)
        }
        return monotonicSeconds() - started
    }

    static let topicsPerCallType = 256

    /// Adds synthetic customers until there are `count` (benchmarks of customer lookup);
    /// returns the seconds it took.
    @discardableResult
    public static func addCustomers(_ store: CaseStore, atLeast count: Int, seed: UInt64) throws -> Double {
        let started = monotonicSeconds()
        var rng = SplitMix64(seed: seed)
        try store.pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) { _ = try ensureCustomers(db, atLeast: count, rng: &rng); return .commit }
        }
        return monotonicSeconds() - started
    }

    struct BulkCustomer: Sendable { var id: Int64; var name: String; var lang: String }

    /// Customers to spread cases over, adding synthetic ones (names from every demo
    /// culture, each in the lookup index) when there are too few. Runs in the caller's transaction.
    static func ensureCustomers(_ db: Database, atLeast wanted: Int, rng: inout SplitMix64) throws -> [BulkCustomer] {
        var found = try Row.fetchAll(db, sql: "SELECT id, name, coalesce(language, 'en') AS lang FROM customers ORDER BY id")
            .map { BulkCustomer(id: $0["id"], name: $0["name"], lang: $0["lang"]) }
        guard found.count < wanted else { return found }
        let names = try DemoFiles.shared().names, weights = names.cultures.map(\.weight)
        let insert = try db.makeStatement(sql: "INSERT INTO customers(name, email, phone, account, language) VALUES (?,?,?,?,?)")
        for n in found.count..<wanted {
            let p = BulkText.person(n, names: names, weights: weights, rng: &rng)
            try insert.execute(arguments: [p.name, p.email, p.phone, p.account, p.lang])
            let id = db.lastInsertedRowID
            try SearchIndex.insertCustomer(db, id: id, name: p.name, email: p.email, phone: p.phone, account: p.account)
            found.append(BulkCustomer(id: id, name: p.name, lang: p.lang))
        }
        return found
    }

    /// Buffers rows and writes them `rowsPerStatement` at a time through one reused prepared statement.
    struct MultiRowInsert {
        static let rowsPerStatement = 100
        let db: Database
        let prefix: String
        let columns: Int
        let full: Statement
        var pending: [DatabaseValue] = []

        init(_ db: Database, _ prefix: String, columns: Int) throws {
            self.db = db; self.prefix = prefix; self.columns = columns
            full = try db.makeStatement(sql: Self.sql(prefix, columns: columns, rows: Self.rowsPerStatement))
            pending.reserveCapacity(columns * Self.rowsPerStatement)
        }

        static func sql(_ prefix: String, columns: Int, rows: Int) -> String {
            let row = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
            return prefix + " " + Array(repeating: row, count: rows).joined(separator: ",")
        }

        /// Adds whole rows (`columns` values each), writing every full statement's worth.
        mutating func add(_ rows: [DatabaseValue]) throws {
            var from = 0
            while from < rows.count {
                let take = min(rows.count - from, columns * Self.rowsPerStatement - pending.count)
                pending += rows[from..<from + take]
                from += take
                if pending.count == columns * Self.rowsPerStatement {
                    try full.execute(arguments: StatementArguments(pending))
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }

        /// Writes what is left (a short last statement, prepared once per flush).
        mutating func flush() throws {
            guard !pending.isEmpty else { return }
            try db.makeStatement(sql: Self.sql(prefix, columns: columns, rows: pending.count / columns))
                .execute(arguments: StatementArguments(pending))
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// CLOCK_MONOTONIC in seconds: immune to wall-clock jumps, shared by all processes on the host.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
