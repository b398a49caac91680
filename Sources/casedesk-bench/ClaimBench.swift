import CaseCore
import Foundation
import GRDBSQLite

// take-next under contention: K worker processes (copies of this program) claim cases at
// once, first through CaseDesk (`CaseStore.takeNext`), then through a bare SQLite claim
// doing the same writes (BEGIN IMMEDIATE, one indexed select, the same update of the case
// row and the same `assign` event, COMMIT; WAL, synchronous=NORMAL, foreign keys on,
// SQLite's own busy timeout and automatic checkpoints) from the same number of workers,
// on the same database in the same run.

enum ClaimMode: String { case casedesk, unqueued, bare }

struct ClaimFigures {
    var latencies: [Double] = []
    var ids: [Int64] = []
    var seconds = 0.0
    var empty = 0
    var rate: Double { Double(ids.count) / max(seconds, 1e-9) }
    var duplicates: Int { ids.count - Set(ids).count }
}

/// Both modes at 8 and at 32 workers, each bare figure printed beside CaseDesk's.
func runClaimBench(path: String, report: (String, [Double], String) -> Void) throws {
    // One worker alone: what a claim costs without contention.
    let solo = try claimAcross(1, perWorker: 1000, mode: .casedesk, path: path)
    let bareSolo = try claimAcross(1, perWorker: 1000, mode: .bare, path: path)
    for (label, f) in [("take-next", solo), ("bare SQLite claim", bareSolo)] {
        report("\(label) · 1 worker process", f.latencies, "\(grouped(Int(f.rate))) claims/s")
    }
    for (workers, perWorker) in [(8, 250), (32, 100)] {
        let ours = try claimAcross(workers, perWorker: perWorker, mode: .casedesk, path: path)
        let unqueued = try claimAcross(workers, perWorker: perWorker, mode: .unqueued, path: path)
        let bare = try claimAcross(workers, perWorker: perWorker, mode: .bare, path: path)
        for (label, f) in [("take-next", ours), ("take-next without the writer queue", unqueued), ("bare SQLite claim", bare)] {
            let max = f.latencies.max() ?? .nan
            report("\(label) · \(workers) processes", f.latencies,
                   "max \(ms(max)), \(grouped(Int(f.rate))) claims/s, \(f.duplicates) duplicates" + (f.empty > 0 ? ", \(f.empty) empty" : ""))
            if f.duplicates > 0 { FileHandle.standardError.write(Data("casedesk-bench: two workers got the same case!\n".utf8)) }
        }
        report("  take-next throughput against bare · \(workers)", [],
               String(format: "bare is %.2f× CaseDesk's rate", bare.rate / max(ours.rate, 1e-9)))
    }
}

func claimAcross(_ k: Int, perWorker: Int, mode: ClaimMode, path: String) throws -> ClaimFigures {
    let start = now() + 1.5
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var children: [(Process, Pipe)] = []
    for i in 1...k {
        let p = Process()
        p.executableURL = exe
        p.arguments = ["--child-claim", mode.rawValue, String(perWorker), path, String(format: "agent%02d", i), String(start)]
        let pipe = Pipe()
        p.standardOutput = pipe
        if mode == .unqueued { p.environment = ProcessInfo.processInfo.environment.merging(["CASEDESK_WRITER_QUEUE": "off"]) { $1 } }
        try p.run()
        children.append((p, pipe))
    }
    var f = ClaimFigures(), first = Double.infinity, last = 0.0
    for (p, pipe) in children {
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { fail("a \(mode.rawValue) claim worker failed (status \(p.terminationStatus))") }
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "LAT": f.latencies += parts[1].split(separator: ",").compactMap { Double($0) }
            case "IDS": f.ids += parts[1].split(separator: ",").compactMap { Int64($0) }
            case "SPAN":
                let v = parts[1].split(separator: " ").compactMap { Double($0) }
                first = min(first, v[0]); last = max(last, v[1]); f.empty += Int(v[2])
            default: break
            }
        }
    }
    f.seconds = last - first
    return f
}

/// One figure of a section run alone: name, p50, p99, note.
func printFigure(_ name: String, _ values: [Double], _ note: String) {
    let sorted = values.sorted()
    print(name.padding(toLength: 40, withPad: " ", startingAt: 0), ms(percentile(sorted, 0.5)), ms(percentile(sorted, 0.99)), note)
}

/// Hidden modes: `--child-claim MODE N DB LOGIN START` (one claim worker), `--claims-only DB`
/// (the claim figures alone, on a database an earlier `--keep` run left), `--queues-only DB`
/// (the queue page and counter figures alone, likewise), `--contact-only DB` (customer
/// lookup, search and intake alone, likewise), `--datacare-only DB` (backup and a retention
/// purge of 100,000 cases while a desk takes keys; it purges them from DB), `--loads-only N`
/// (bulk load and import beside their bare figures, alone), `--child-load N DB`
/// (a bulk load into an existing database, for scripts/fault-kill9).
func runClaimWorkerIfAsked() {
    let args = CommandLine.arguments
    if args.count == 3, args[1] == "--claims-only" {
        do {
            try runClaimBench(path: args[2], report: printFigure)
            exit(0)
        } catch { fail("\(error)") }
    }
    if args.count == 3, args[1] == "--queues-only" {
        do {
            try runQueueBench(store: try CaseStore(path: args[2]), path: args[2], samples: 1000, report: printFigure)
            exit(0)
        } catch { fail("\(error)") }
    }
    if args.count == 3, args[1] == "--contact-only" {
        do {
            try runContactBench(store: try CaseStore(path: args[2]), path: args[2], report: printFigure, note: { printFigure($0, [], $1) })
            exit(0)
        } catch { fail("\(error)") }
    }
    if args.count == 3, args[1] == "--datacare-only" {
        do {
            try runDataCareBench(store: try CaseStore(path: args[2]), path: args[2], report: printFigure, note: { printFigure($0, [], $1) })
            exit(0)
        } catch { fail("\(error)") }
    }
    if args.count == 3, args[1] == "--loads-only", let n = Int(args[2]) {
        do {
            try runLoadBenches(cases: n) { print($0.padding(toLength: 48, withPad: " ", startingAt: 0), $1) }
            exit(0)
        } catch { fail("\(error)") }
    }
    if args.count == 4, args[1] == "--child-load", let n = Int(args[2]) {
        do {
            try BulkLoad.loadCases(try CaseStore(path: args[3]), count: n, seed: UInt64(getpid()))
            exit(0)
        } catch { fail("\(error)") }
    }
    guard args.count == 7, args[1] == "--child-claim", let mode = ClaimMode(rawValue: args[2]),
          let takes = Int(args[3]), let start = Double(args[6]) else { return }
    let (path, login) = (args[4], args[5])
    do {
        let claim: () throws -> Int64?
        switch mode {
        case .casedesk, .unqueued:
            let store = try CaseStore(path: path)
            claim = {
                do { return try store.takeNext(as: login).id } catch CaseError.nothingToTake { return nil }
            }
        case .bare:
            let bare = try BareClaim(path: path, login: login)
            claim = bare.claim
        }
        while now() < start { usleep(200) }   // all workers start together
        var latencies: [Double] = [], ids: [Int64] = [], empty = 0
        let begin = now()
        for _ in 0..<takes {
            let t = now()
            if let id = try claim() {
                latencies.append((now() - t) * 1000)
                ids.append(id)
            } else { empty += 1 }
        }
        let end = now()
        print("LAT " + latencies.map { String(format: "%.4f", $0) }.joined(separator: ","))
        print("IDS " + ids.map(String.init).joined(separator: ","))
        print("SPAN \(begin) \(end) \(empty)")
        exit(0)
    } catch {
        fail("claim worker \(login): \(error)")
    }
}

/// A claim through the SQLite C API alone, with statements prepared once.
final class BareClaim {
    let db: BareSQLite
    let begin, pick, update, event, commit, rollback: OpaquePointer?
    let userId: Int64
    let login: String

    init(path: String, login: String) throws {
        self.login = login
        db = try BareSQLite(path: path)
        try db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        let find = try db.prepare("SELECT id FROM users WHERE login = ?")
        db.bind(find, [login])
        guard sqlite3_step(find) == SQLITE_ROW else { throw BareError(db.handle) }
        userId = sqlite3_column_int64(find, 0)
        sqlite3_finalize(find)
        begin = try db.prepare("BEGIN IMMEDIATE")
        pick = try db.prepare("""
            SELECT id, version FROM cases WHERE assignee_id IS NULL AND status IN ('new','open','pending')
            ORDER BY priority, due_at, id LIMIT 1
            """)
        update = try db.prepare("""
            UPDATE cases SET assignee_id = ?, status = 'open', version = version + 1, updated_at = ?, updated_by = ?
            WHERE id = ? AND version = ?
            """)
        event = try db.prepare("""
            INSERT INTO events(case_id, at, actor_id, kind, channel, field, old_value, new_value, body)
            VALUES (?, ?, ?, 'assign', NULL, 'assignee', NULL, ?, 'taken from the queue')
            """)
        commit = try db.prepare("COMMIT")
        rollback = try db.prepare("ROLLBACK")
    }

    func claim() throws -> Int64? {
        try db.step(begin)
        guard sqlite3_step(pick) == SQLITE_ROW else {
            sqlite3_reset(pick)
            try db.step(rollback)
            return nil
        }
        let id = sqlite3_column_int64(pick, 0), version = sqlite3_column_int64(pick, 1)
        sqlite3_reset(pick)
        let at = Date().timeIntervalSince1970
        db.bind(update, [userId, at, userId, id, version])
        try db.step(update)
        db.bind(event, [id, at, userId, login])
        try db.step(event)
        try db.step(commit)
        return id
    }
}

struct BareError: Error, CustomStringConvertible {
    var description: String
    init(_ db: OpaquePointer?) { description = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open the database" }
}
