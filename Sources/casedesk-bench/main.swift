// casedesk-bench: builds a database of N cases and measures what a desk feels.
//
//   casedesk-bench [--cases N] [--db PATH] [--keep]
//   casedesk-bench --desk-only --db PATH [--cases N]   (the desk figures alone; PATH is made on the first run and kept)
//
// Figures: bulk-load rate; queue first/next page p50/p99 per scope beside bare SQLite (QueueBench.swift); take-next p50/p99 in one
// process and across 8 and 32 processes beside a bare SQLite claim (ClaimBench.swift);
// `case show` of a 50-event timeline; the desk and live-team figures; bulk load and import
// beside bare SQLite (LoadBench.swift); database size with its WAL.
import CaseCore
import Foundation

// MARK: arguments

struct Options {
    var cases = 1_000_000
    var db: String?
    var keep = false
    var login: String?
    var childWrites: Int?
    var caseId: Int64?
    var idleSeconds = 60
    var deskOnly = false
}

func parse(_ args: [String]) -> Options {
    var o = Options()
    var i = 0
    func value() -> String {
        i += 1
        guard i < args.count else { fail("\(args[i - 1]) needs a value") }
        return args[i]
    }
    while i < args.count {
        switch args[i] {
        case "--cases": guard let n = Int(value().replacingOccurrences(of: "_", with: "")), n > 0 else { fail("--cases needs a positive number") }; o.cases = n
        case "--db": o.db = value()
        case "--keep": o.keep = true
        case "--as": o.login = value()
        case "--child-write": o.childWrites = Int(value())
        case "--case": o.caseId = Int64(value())
        case "--idle-seconds": o.idleSeconds = Int(value()) ?? 60
        case "--desk-only": o.deskOnly = true
        case "-h", "--help":
            print("usage: casedesk-bench [--cases N (default 1000000)] [--db PATH (default: a temporary file)] [--keep] [--idle-seconds S (default 60)] [--desk-only (with --db PATH: made once, then reused)]")
            exit(0)
        default: fail("unknown argument \(args[i]) (see --help)")
        }
        i += 1
    }
    return o
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("casedesk-bench: \(message)\n".utf8))
    exit(1)
}

let now = BulkLoad.monotonicSeconds

/// Runs `body` once and returns its duration in milliseconds.
@inline(__always) func timed(_ body: () throws -> Void) rethrows -> Double {
    let t = now()
    try body()
    return (now() - t) * 1000
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func ms(_ x: Double) -> String { x.isNaN ? "-" : x < 10 ? String(format: "%.3f ms", x) : String(format: "%.1f ms", x) }

func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0, (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}

// MARK: the benchmark

struct Row { var name: String; var samples: String; var p50: String; var p99: String; var note: String }

func summarize(_ name: String, _ values: [Double], note: String = "") -> Row {
    let sorted = values.sorted()
    return Row(name: name, samples: grouped(values.count), p50: ms(percentile(sorted, 0.5)), p99: ms(percentile(sorted, 0.99)), note: note)
}

func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

func mb(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

func runBenchmark(_ o: Options) throws {
    var rows: [Row] = []
    func report(_ name: String, _ values: [Double], note: String = "") { rows.append(summarize(name, values, note: note)) }
    if o.deskOnly { return try runDeskOnly(o) }
    let path = o.db ?? FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-bench-\(getpid()).sqlite").path
    if FileManager.default.fileExists(atPath: path) { fail("\(path) already exists; name a new file with --db") }
    let removeFiles = { for s in ["", "-wal", "-shm", "-writers"] { try? FileManager.default.removeItem(atPath: path + s) } }
    defer { if !o.keep { removeFiles() } }

    let store = try makeDatabase(path, cases: o.cases)

    // Bulk load.
    let seconds = try BulkLoad.loadCases(store, count: o.cases, seed: 42)
    rows.append(Row(name: "bulk load (cases + created events + search index)", samples: grouped(o.cases), p50: "", p99: "",
                    note: "\(grouped(Int(Double(o.cases) / seconds))) cases/s (\(String(format: "%.1f", seconds)) s)"))
    // Bare SQLite doing the same inserts (same rows, same tables and FTS5 index) in a scratch file.
    let scratch = path + ".bare.sqlite"
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + s) } }
    let bare = try bareBulkLoad(from: store, scratch: scratch)
    rows.append(Row(name: "bulk load · bare SQLite, same inserts", samples: grouped(o.cases), p50: "", p99: "",
                    note: "\(grouped(Int(Double(o.cases) / bare))) cases/s (\(String(format: "%.1f", bare)) s); ours takes \(String(format: "%.2f", seconds / bare))× as long"))
    for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + s) }
    try runDataCareBench(store: store, path: path, report: { report($0, $1, note: $2) }, note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })

    // Queue pages and counters, beside bare SQLite.
    let samples = 1000
    try runQueueBench(store: store, path: path, samples: samples) { report($0, $1, note: $2) }

    // take-next in one process.
    var single: [Double] = []
    for _ in 0..<500 { single.append(try timed { _ = try store.takeNext(as: "solo") }) }
    report("take-next · 1 process", single, note: "\(grouped(Int(Double(single.count) / (single.reduce(0, +) / 1000)))) takes/s")

    // take-next across 8 and 32 processes at once, each beside a bare SQLite claim.
    try runClaimBench(path: path, report: report)

    // case show: a case with a 50-event timeline.
    let shown = try store.listCases(status: .resolved, limit: 1).first!.id
    for n in 1...49 { try store.addNote(shown, text: "Bench note \(n): customer called back about the same charge.", by: "dana") }
    var show: [Double] = []
    var eventCount = 0
    for _ in 0..<samples { show.append(try timed { eventCount = try store.detail(shown).events.count }) }
    report("case show (store.detail)", show, note: "case #\(shown), \(eventCount) events")

    try runDeskBench(store: store, path: path, report: { report($0, $1, note: $2) },
                     note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })
    try runDeskHardeningBench(store: store, path: path, report: { report($0, $1, note: $2) }, note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })
    try runLiveBench(store: store, path: path, idleSeconds: o.idleSeconds, report: { report($0, $1, note: $2) },
                     note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })
    try runMailBench(store: store, path: path, report: { report($0, $1, note: $2) }, note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })

    try runContactBench(store: store, path: path, report: { report($0, $1, note: $2) },
                        note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })

    try runLoadBenches(cases: o.cases, note: { rows.append(Row(name: $0, samples: "", p50: "", p99: "", note: $1)) })

    let db = fileSize(path), wal = fileSize(path + "-wal"), shm = fileSize(path + "-shm")
    rows.append(Row(name: "database size", samples: "", p50: "", p99: "",
                    note: "\(mb(db + wal + shm)) (db \(mb(db)) + WAL \(mb(wal)) + shm \(mb(shm)))"))

    // The table.
    let w = (rows.map(\.name.count).max() ?? 0, 9, 10, 10)
    func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return right ? fill + s : s + fill
    }
    print("")
    print(pad("measure", w.0) + "  " + pad("samples", w.1, right: true) + "  " + pad("p50", w.2, right: true) + "  " + pad("p99", w.3, right: true) + "  notes")
    print(String(repeating: "─", count: w.0 + w.1 + w.2 + w.3 + 8 + 40))
    for r in rows {
        print(pad(r.name, w.0) + "  " + pad(r.samples, w.1, right: true) + "  " + pad(r.p50, w.2, right: true) + "  " + pad(r.p99, w.3, right: true) + "  " + r.note)
    }
    print("")
    print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; database \(o.keep ? "kept at " + path : "removed")")
}

/// A new database with the pack, a team lead and 35 agents, ready for the bulk load.
func makeDatabase(_ path: String, cases: Int) throws -> CaseStore {
    guard let packDir = PackLocator.defaultPackDirectory() else { fail("cannot find the content pack (Resources/pack)") }
    SharedInstall.prepareProcess()   // as casedesk does: the files hold customers' data
    let store = try CaseStore(path: path, create: true)
    try store.install(try PackLoader.load(directory: packDir))
    // A throwaway database of made-up people: --as picks any of them, as in a demo.
    try store.setSetting("kind", DatabaseKind.demo.rawValue)
    try store.addTeam("Bench")
    try store.addUser(login: "dana", name: "Dana Whitfield", role: .lead, team: "Bench")
    let agentLogins = ["alice", "bob", "solo"] + (1...32).map { String(format: "agent%02d", $0) }
    for login in agentLogins { try store.addUser(login: login, role: .agent) }

    print("casedesk-bench: \(grouped(cases)) cases into \(path)")
    FileHandle.standardOutput.synchronizeFile()

    return store
}

/// The desk figures alone, on a database an earlier run kept: quick before/after
/// comparisons of the desk without building a database each time.
func runDeskOnly(_ o: Options) throws {
    guard let path = o.db else { fail("--desk-only needs --db PATH (made and kept on the first run)") }
    let store: CaseStore
    if FileManager.default.fileExists(atPath: path) {
        store = try CaseStore(path: path)
    } else {
        store = try makeDatabase(path, cases: o.cases)
        _ = try BulkLoad.loadCases(store, count: o.cases, seed: 42)
    }
    var rows: [Row] = []
    let note = { (name: String, text: String) in rows.append(Row(name: name, samples: "", p50: "", p99: "", note: text)) }
    // The bare figure beside them: the keyset page a page-down reads, on the same connection settings.
    var bare: [Double] = []
    var cursor: QueueCursor?
    for _ in 0..<500 {
        var page: [QueueRow] = []
        bare.append(try timed { page = try store.queuePage(QueueFilter(scope: .all), .after(cursor), limit: 86) })
        cursor = page.count < 86 ? nil : page.last?.cursor
    }
    rows.append(summarize("queue page of 86 rows · all (the read a page-down may ask for)", bare))
    try runDeskBench(store: store, path: path, report: { rows.append(summarize($0, $1, note: $2)) }, note: note, binary: false)
    try runDeskHardeningBench(store: store, path: path, report: { rows.append(summarize($0, $1, note: $2)) }, note: note)
    for r in rows { print([r.name, r.samples, r.p50, r.p99, r.note].joined(separator: " | ")) }
}

runClaimWorkerIfAsked()
runMailOnlyIfAsked()
let options = parse(Array(CommandLine.arguments.dropFirst()))
if options.childWrites != nil { runWriter(options) }
do {
    try runBenchmark(options)
} catch {
    fail("\(error)")
}
