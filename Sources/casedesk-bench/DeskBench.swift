import CaseCore
import CaseDesk
import Foundation

/// What the desk costs at scale: first screen, and a keystroke (update + queries +
/// render) for moving, paging, opening a case with a 50-event timeline, and setting
/// a call type. In-process on a VirtualScreen, plus the real binary in tmux for
/// start-to-first-screen and resident memory when tmux is installed.
func runDeskBench(store: CaseStore, path: String, report: (String, [Double], String) -> Void, note: (String, String) -> Void, binary: Bool = true) throws {
    // A P1 case due long ago heads the "all open" view; give it a 50-event timeline.
    let heavy = try store.createCase(NewCase(customer: "Bench Customer", channel: .phone, callType: "billing.dispute",
                                             subject: "Fifty events", priority: .p1, createdAt: Date(timeIntervalSince1970: 86_400)), by: nil)
    try store.assign(heavy, to: "alice", by: "dana")
    for n in 1...48 { try store.addNote(heavy, text: "Bench note \(n): the customer called back about the same charge.", by: "alice") }

    var first: [Double] = []
    for _ in 0..<10 {
        first.append(try timed {
            let s = try CaseStore(path: path)
            let desk = try Desk(store: s, login: "alice", screen: VirtualScreen(cols: 160, rows: 45))
            desk.start()
        })
    }
    report("desk first screen (in-process)", first, "open database, reference lists, first queue page, render 160×45")

    let screen = VirtualScreen(cols: 160, rows: 45)
    let desk = try Desk(store: store, login: "alice", screen: screen)
    desk.start()
    for k in "/all" { desk.send(.key(.char(k))) }
    desk.send(.key(.enter))
    guard desk.state.queue.view == .all else { fail("could not switch the desk to all open cases") }

    var down: [Double] = []
    for _ in 0..<2000 { down.append(timed { desk.send(.key(.char("j"))) }) }
    report("desk key: move down the queue", down, "\(desk.state.queue.selected) rows into a window of \(desk.state.queue.rows.count)")

    var pages: [Double] = []
    for _ in 0..<1000 {
        if atQueueEnd(desk) { desk.send(.key(.char("g"))) }   // not timed: back to the top, to keep paging
        pages.append(timed { desk.send(.key(.pageDown)) })
    }
    report("desk key: page down", pages, "keyset pages read ahead, window kept at ≤400 rows; from the top again at the end")

    desk.send(.key(.char("g")))
    var open: [Double] = []
    for _ in 0..<500 { open.append(timed { desk.send(.key(.enter)) }) }
    let events = desk.state.open?.detail.events.count ?? 0
    report("desk key: open case (Enter)", open, "case #\(desk.state.open?.id ?? 0), \(events) events, script pane filled")

    var switchCT: [Double] = []
    let codes = ["billing.refund", "billing.dispute"]
    for i in 0..<200 {
        desk.send(.key(.char("c")))
        for k in codes[i % 2] { desk.send(.key(.char(k))) }
        switchCT.append(timed { desk.send(.key(.enter)) })
    }
    report("desk key: set call type (Enter)", switchCT, "write + re-read queue and case + render")

    if binary { try realBinary(path: path, note: note, report: report) }
}

/// The selection is on the last row of the view: a page down would do nothing.
func atQueueEnd(_ desk: Desk) -> Bool {
    let q = desk.state.queue
    return !q.moreAfter && q.selected >= q.rows.count - 1
}

/// The shipped binary in a real terminal: time until the queue is on screen, and its RSS.
func realBinary(path: String, note: (String, String) -> Void, report: (String, [Double], String) -> Void) throws {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("casedesk").path
    guard FileManager.default.isExecutableFile(atPath: binary), let tmux = which("tmux") else {
        note("desk in tmux", "skipped: needs tmux and the casedesk binary beside casedesk-bench")
        return
    }
    var times: [Double] = []
    var rss: [Double] = []
    for run in 0..<5 {
        let socket = "casedesk-bench-\(getpid())-\(run)"
        func t(_ args: [String]) -> String { shell(tmux, ["-L", socket, "-f", "/dev/null"] + args) }
        let start = now()
        _ = t(["new-session", "-d", "-s", "b", "-x", "160", "-y", "45",
               "exec env TERM=xterm-256color LANG=C.UTF-8 \(binary) --db \(path) --as alice"])
        while !t(["capture-pane", "-p", "-t", "b"]).contains("Queue · mine") {
            if now() - start > 30 { break }
            usleep(2000)
        }
        times.append((now() - start) * 1000)
        let pid = t(["display-message", "-p", "-t", "b", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        for _ in 0..<200 { _ = t(["send-keys", "-t", "b", "PgDn"]) }
        _ = t(["send-keys", "-t", "b", "Enter"])
        usleep(300_000)
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kb = Double(line.split(separator: " ").dropFirst().first ?? "") {
            rss.append(kb / 1024)
        }
        _ = t(["kill-server"])
    }
    report("desk first screen (binary in tmux)", times, "exec to queue on screen, incl. tmux polling (±2 ms)")
    if let peak = rss.max() {
        note("desk peak resident memory", String(format: "%.1f MB (VmHWM after 200 PgDn and opening a case)", peak))
    }
}

func which(_ name: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a program and returns its stdout; stdin and stderr go to /dev/null.
func shell(_ path: String, _ args: [String]) -> String {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return "" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
    close(fds[1])
    var out = Data()
    if rc == 0 {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true { let n = read(fds[0], &buffer, buffer.count); if n <= 0 { break }; out.append(buffer, count: n) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
    close(fds[0])
    return String(decoding: out, as: UTF8.self)
}
