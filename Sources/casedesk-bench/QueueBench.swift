import CaseCore
import Foundation
import GRDB
import GRDBSQLite

// Queue pages beside bare SQLite: the same query text (`CaseStore.queuePageQuery`) on a plain
// sqlite3 connection with CaseStore's pragmas, each statement prepared once and every column
// of every row read, walking the same pages in the same order.

/// Queue pages per scope (the first page, then walking forward page by page, wrapping at
/// the end) and the queue counters, each page figure beside the bare one.
func runQueueBench(store: CaseStore, path: String, samples: Int, report: (String, [Double], String) -> Void) throws {
    let alice = try store.user(login: "alice")
    for (label, scope) in [("all", QueueScope.all), ("unassigned", .unassigned), ("assignee", .assignee(alice.id))] {
        let filter = QueueFilter(scope: scope)
        var first: [Double] = []
        for _ in 0..<samples { first.append(try timed { _ = try store.queuePage(filter) }) }
        var next: [Double] = []
        var cursor = try store.queuePage(filter).last?.cursor
        var depth = 1, maxDepth = 1
        while next.count < samples {
            var page: [QueueRow] = []
            next.append(try timed { page = try store.queuePage(filter, .after(cursor)) })
            depth += 1; maxDepth = max(maxDepth, depth)
            if page.count < 50 { cursor = try store.queuePage(filter).last?.cursor; depth = 1 } else { cursor = page.last?.cursor }
        }
        let (open, _) = try store.queueCounts(scope, riskBefore: Date())
        let bare = bareQueuePages(path: path, filter: filter, samples: samples)
        func against(_ ours: [Double], _ bare: [Double]) -> String {
            let (a, b) = (percentile(ours.sorted(), 0.5), percentile(bare.sorted(), 0.5))
            return "bare SQLite \(figures(bare)); p50 \(String(format: "%.2f", a / b))× bare"
        }
        report("queue first page · \(label)", first, "\(grouped(open)) open in scope · " + against(first, bare.first))
        report("queue next page · \(label)", next, "walked to page \(grouped(maxDepth)) · " + against(next, bare.next))
    }
    var counts: [Double] = []
    for _ in 0..<100 { counts.append(try timed { _ = try store.queueCounts(.all, riskBefore: Date()) }) }
    report("queue counters (open, at risk) · all", counts, "taken on change, not per key")
}

/// First-page and next-page times on a bare connection, `samples` of each.
func bareQueuePages(path: String, filter: QueueFilter, samples: Int) -> (first: [Double], next: [Double]) {
    let raw = RawSQLite(path)
    raw.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON")
    var statements: [String: OpaquePointer] = [:]
    defer { statements.values.forEach { sqlite3_finalize($0) } }
    /// One page; the cursor of its last row and how many rows it had.
    func page(_ direction: CaseStore.PageDirection) -> (QueueCursor?, Int) {
        let (sql, args, _) = CaseStore.queuePageQuery(filter, direction, limit: 50)
        let stmt = statements[sql] ?? raw.prepare(sql)
        statements[sql] = stmt
        for (i, v) in args.enumerated() { raw.bind(stmt, Int32(i + 1), v) }
        var last: QueueCursor?, rows = 0
        while sqlite3_step(stmt) == SQLITE_ROW {
            for c in 0..<sqlite3_column_count(stmt) {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: _ = sqlite3_column_int64(stmt, c)
                case SQLITE_FLOAT: _ = sqlite3_column_double(stmt, c)
                case SQLITE_TEXT: _ = String(cString: sqlite3_column_text(stmt, c))
                default: break
                }
            }
            last = QueueCursor(priority: Int(sqlite3_column_int64(stmt, 1)), dueAt: sqlite3_column_double(stmt, 2), id: sqlite3_column_int64(stmt, 0))
            rows += 1
        }
        sqlite3_reset(stmt)
        return (last, rows)
    }
    var first: [Double] = [], next: [Double] = []
    for _ in 0..<samples { first.append(timed { _ = page(.after(nil)) }) }
    var cursor = page(.after(nil)).0
    while next.count < samples {
        var got: (QueueCursor?, Int) = (nil, 0)
        next.append(timed { got = page(.after(cursor)) })
        cursor = got.1 < 50 ? page(.after(nil)).0 : got.0
    }
    return (first, next)
}
