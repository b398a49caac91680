import CaseCore
import CaseDesk
import Foundation

/// Live-team figures: how long a commit in one process takes to reach another desk's
/// screen and what an idle desk costs (take-next with 8 and 32 processes: ClaimBench).
func runLiveBench(store: CaseStore, path: String, idleSeconds: Int, report: (String, [Double], String) -> Void,
                  note: (String, String) -> Void) throws {
    try propagation(store: store, path: path, report: report)
    try boardReload(store: store, report: report)
    idleCPU(path: path, seconds: idleSeconds, note: note)
}

/// What a lead board costs each time it reloads (every 2 s while changes arrive): agents'
/// state and open counts, depth per call type, the at-risk list and its true count, CSAT
/// alerts and the QA queue, in one snapshot — for the team lead and for an admin (everyone).
func boardReload(store: CaseStore, report: (String, [Double], String) -> Void) throws {
    for (login, label) in [("dana", "team lead"), ("bench-admin", "admin, every team")] {
        if login == "bench-admin", (try? store.user(login: login)) == nil { try store.addUser(login: login, role: .admin) }
        var times: [Double] = []
        var board: Board?
        for _ in 0..<50 { times.append(try timed { board = try store.board(for: login) }) }
        let b = board!
        report("lead board reload · \(label)", times,
               "\(b.agents.count) agents, \(b.atRiskTotal) at risk (\(b.atRisk.count) listed), \(b.csatAlertTotal) CSAT alerts, \(b.qaQueue.count) to review")
    }
}

/// A desk in this process, woken by inotify exactly as the terminal runner is; a writer
/// process adds notes stamped with CLOCK_MONOTONIC (shared by all processes) at commit.
func propagation(store: CaseStore, path: String, report: (String, [Double], String) -> Void) throws {
    let caseId = try store.createCase(NewCase(customer: "Latency Probe", channel: .chat, callType: "billing.dispute",
                                              subject: "Propagation", priority: .p1), by: nil)
    try store.assign(caseId, to: "alice", by: "dana")
    let desk = try Desk(store: try CaseStore(path: path), login: "alice", screen: VirtualScreen(cols: 160, rows: 45))
    desk.start()
    for k in ":\(caseId)" { desk.send(.key(.char(k))) }
    desk.send(.key(.enter))
    let watcher = try ChangeWatcher(path: path)
    let wakes = DispatchSemaphore(value: 0)
    try watcher.notify { wakes.signal() }
    _ = watcher.changed()

    let changes = 1000
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    writer.arguments = ["--child-write", String(changes), "--db", path, "--case", String(caseId), "--as", "dana"]
    try writer.run()
    var latencies: [Double] = []
    var lastSeen = ""
    while writer.isRunning || latencies.count < changes {
        if wakes.wait(timeout: .now() + 2) == .timedOut { if !writer.isRunning { break } else { continue } }
        guard watcher.changed() else { continue }
        desk.send(.dataChanged)   // feed, reload, render: what the runner does on a wake
        let t = now()
        guard let body = desk.state.open?.detail.events.last(where: { $0.kind == .note })?.body,
              body != lastSeen, let stamp = Double(body.dropFirst(2)) else { continue }
        lastSeen = body
        latencies.append((t - stamp) * 1000)
    }
    writer.waitUntilExit()
    watcher.stop()
    let p95 = percentile(latencies.sorted(), 0.95)
    report("change on another desk (commit → redraw)", latencies,
           "p95 \(ms(p95)); \(latencies.count) of \(changes) commits seen (the rest merged into one redraw)")
}

/// The writer process: a note every ~10 ms whose text is the commit's monotonic time.
func runWriter(_ o: Options) -> Never {
    guard let n = o.childWrites, let db = o.db, let id = o.caseId, let login = o.login else { fail("--child-write needs --db --case --as") }
    do {
        let store = try CaseStore(path: db)
        usleep(300_000)
        for _ in 0..<n {
            try store.addNote(id, text: String(format: "t=%.6f", now()), by: login)
            usleep(10_000)
        }
        exit(0)
    } catch {
        fail("writer: \(error)")
    }
}

/// The real desk, idle in tmux: CPU time used over `seconds` (utime + stime from /proc).
func idleCPU(path: String, seconds: Int, note: (String, String) -> Void) {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("casedesk").path
    guard seconds > 0, FileManager.default.isExecutableFile(atPath: binary), let tmux = which("tmux") else {
        note("idle desk CPU", "skipped: needs tmux and the casedesk binary beside casedesk-bench")
        return
    }
    let socket = "casedesk-bench-idle-\(getpid())"
    func t(_ args: [String]) -> String { shell(tmux, ["-L", socket, "-f", "/dev/null"] + args) }
    _ = t(["new-session", "-d", "-s", "idle", "-x", "160", "-y", "45", "exec env TERM=xterm-256color LANG=C.UTF-8 \(binary) --db \(path) --as alice"])
    defer { _ = t(["kill-server"]) }
    let start = now()
    while !t(["capture-pane", "-p", "-t", "idle"]).contains("Queue · mine"), now() - start < 30 { usleep(5000) }
    let pid = t(["display-message", "-p", "-t", "idle", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    func cpuTicks() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
        return u + s
    }
    guard let before = cpuTicks() else { note("idle desk CPU", "could not read /proc/\(pid)/stat"); return }
    sleep(UInt32(seconds))
    guard let after = cpuTicks() else { note("idle desk CPU", "the desk exited"); return }
    let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
    let cpu = (after - before) / hz
    note("idle desk CPU over \(seconds) s", String(format: "%.2f s of CPU (%.2f%% of one core)", cpu, cpu / Double(seconds) * 100))
}
