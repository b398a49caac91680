import CaseCore
import CaseDesk
import Foundation

/// The desk as the terminal runs it (effects on the worker, partial redraw) at
/// 160×45: navigation keys from key to settled screen, and a desk kept busy with
/// keys while another process holds the write lock for 5 s with one of its writes
/// waiting. Beside the lock figures: a bare SQLite writer (python3's sqlite3, the
/// default busy handler) waiting for the same lock in the same run.
func runDeskHardeningBench(store: CaseStore, path: String, report: (String, [Double], String) -> Void, note: (String, String) -> Void) throws {
    let screen = VirtualScreen(cols: 160, rows: 45)
    let desk = try Desk(store: store, login: "alice", screen: screen)
    desk.runEffectsInBackground {}
    desk.start()
    for k in "/all" { desk.send(.key(.char(k))) }
    desk.send(.key(.enter))
    desk.waitUntilIdle()
    guard desk.state.queue.view == .all else { fail("could not switch the desk to all open cases") }

    // Key to settled screen: the key on the UI thread, the reads it asked for on the
    // worker, and the redraw of their results.
    func settle(_ key: Key) -> (total: Double, ui: Double) {
        var ui = 0.0
        let total = timed {
            ui = timed { desk.send(.key(key)) }
            desk.waitUntilIdle()
        }
        return (total, ui)
    }
    var moveTotal: [Double] = [], moveUI: [Double] = []
    for _ in 0..<2000 { let t = settle(.char("j")); moveTotal.append(t.total); moveUI.append(t.ui) }
    report("desk key (worker): move down", moveTotal, "key to settled screen, 160×45; UI thread alone p99 \(ms(sorted(moveUI).p99))")
    var pageTotal: [Double] = [], pageUI: [Double] = []
    for _ in 0..<1000 {
        if atQueueEnd(desk) { desk.send(.key(.char("g"))); desk.waitUntilIdle() }   // not timed
        let t = settle(.pageDown); pageTotal.append(t.total); pageUI.append(t.ui)
    }
    report("desk key (worker): page down", pageTotal, "incl. the keyset read-ahead on the worker; UI thread alone p99 \(ms(sorted(pageUI).p99))")
    desk.send(.key(.char("g")))
    desk.waitUntilIdle()
    var openTotal: [Double] = [], openUI: [Double] = []
    for _ in 0..<500 {
        let t = settle(.enter)
        openTotal.append(t.total); openUI.append(t.ui)
        backToQueue(desk)   // not timed
    }
    let events = desk.state.open?.detail.events.count ?? 0
    report("desk key (worker): open case", openTotal, "\(events)-event case read on the worker, case and script panes drawn; UI thread alone p99 \(ms(sorted(openUI).p99))")

    try heldLock(store: store, path: path, desk: desk, report: report, note: note)
}

/// Tab until the queue pane has the focus.
private func backToQueue(_ desk: Desk) {
    for _ in 0..<3 where desk.state.focus != .queue { desk.send(.key(.tab)); desk.waitUntilIdle() }
    if desk.state.focus != .queue { fail("could not return to the queue pane") }
}

private extension Array where Element == Double {
    var p99: Double { percentile(self, 0.99) }
}
private func sorted(_ values: [Double]) -> [Double] { values.sorted() }

/// A python3 child that takes the write lock (BEGIN IMMEDIATE), says "held", keeps it
/// `seconds`, commits and prints the wall-clock time of the release.
private let holderScript = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE"); print("held", flush=True)
time.sleep(float(sys.argv[2])); c.execute("COMMIT"); print(repr(time.time()), flush=True)
"""

/// The bare writer: waits for the same lock with SQLite's own busy handler, then
/// commits at once and prints when it got through.
private let bareWriterScript = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
print("waiting", flush=True)
c.execute("BEGIN IMMEDIATE"); c.execute("COMMIT"); print(repr(time.time()), flush=True)
"""

private func heldLock(store: CaseStore, path: String, desk: Desk, report: (String, [Double], String) -> Void, note: (String, String) -> Void) throws {
    guard let python = which("python3") else {
        note("desk while another process holds the lock", "skipped: needs python3 for the other process")
        return
    }
    // The case to write to is open; focus back on the queue to move while waiting.
    desk.send(.key(.char("g"))); desk.send(.key(.enter)); desk.waitUntilIdle()
    guard let caseId = desk.state.open?.id else { fail("no case open for the lock benchmark") }
    backToQueue(desk)

    // The bare figure first, alone: a python3 writer waits for the held lock.
    let bareHolder = try Child(python, ["-c", holderScript, path, "5"])
    guard bareHolder.line() == "held" else { fail("the lock holder did not start") }
    let bare = try Child(python, ["-c", bareWriterScript, path])
    _ = bare.line()
    guard let bareReleased = Double(bareHolder.line() ?? ""), let bareDone = Double(bare.line() ?? "") else {
        fail("the bare lock benchmark did not finish")
    }
    bareHolder.wait(); bare.wait()

    let holder = try Child(python, ["-c", holderScript, path, "5"])
    guard holder.line() == "held" else { fail("the lock holder did not start") }
    let lockedAt = Date()

    // One note, typed while the lock is held: it waits on the worker.
    for k in "i" { desk.send(.key(.char(k))) }
    for k in "written while the lock was held" { desk.send(.key(.char(k))) }
    desk.send(.key(.enter))
    guard desk.writesPending else { fail("the note did not wait for the lock") }

    // Keys every 2 ms until the note lands: the UI thread's cost of each.
    var keys: [Double] = []
    var landed: Date?
    var sawSaving = false
    var i = 0
    while landed == nil, Date().timeIntervalSince(lockedAt) < 30 {
        let key: Key = i % 100 < 50 ? .char("j") : .char("k")
        i += 1
        keys.append(timed { desk.send(.key(key)); desk.takeResults() })
        sawSaving = sawSaving || desk.state.saving
        if !desk.writesPending { landed = Date() }
        usleep(2000)
    }
    desk.waitUntilIdle()
    guard let released = Double(holder.line() ?? ""), let landed else { fail("the lock benchmark did not finish") }
    holder.wait()
    let saved = try store.detail(caseId).events.contains { $0.body == "written while the lock was held" }
    report("desk key while the lock is held 5 s", keys.sorted(), "\(keys.count) keys (j/k every 2 ms) while a note waits; 'saving…' shown: \(sawSaving ? "yes" : "NO")")
    let deskLag = (landed.timeIntervalSince1970 - released) * 1000
    let bareLag = (bareDone - bareReleased) * 1000
    note("desk's waiting write lands after the release", String(format: "%.1f ms (bare SQLite writer waiting on the same lock: %.1f ms)%@", deskLag, bareLag,
                                                              saved ? "" : " — NOTE NOT FOUND"))
}

/// A child process with a line-reading stdout.
private final class Child {
    let process = Process()
    let out = Pipe()
    private var buffer = Data()

    init(_ path: String, _ args: [String]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The next line of output (blocking), nil at the end.
    func line() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer = Data(buffer[(nl + 1)...])
                return line
            }
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func wait() { process.waitUntilExit() }
}
