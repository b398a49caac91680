import CaseCore
import Foundation

/// The desk in a real terminal: one thread owns curses and waits with poll() on the
/// keyboard and a wake-up pipe. inotify on the database's files rings the pipe when
/// anyone writes; then `PRAGMA data_version` says whether another connection committed.
/// Every two seconds a tick moves the clocks (redrawn when the minute changes), sends
/// the presence heartbeat, and reads data_version as a fallback to inotify.
public enum DeskRunner {
    /// Returns the exit status: 0 after `q`, 129 when the terminal hangs up.
    /// (SIGTERM/SIGHUP restore the terminal and exit at once, in the signal handler:
    /// a signal handler writing to a descriptor during teardown is how files get hurt.)
    @discardableResult
    public static func run(store: CaseStore, login: String, board: Bool = false) throws -> Int32 {
        unblockTerminalSignals()
        let loop = try TerminalLoop()
        let watcher = try ChangeWatcher(path: store.path)
        let screen = try CursesScreen.start(waker: loop.waker)
        // The wake pipe must outlive the SIGWINCH handler's use of it: end() detaches it.
        defer { withExtendedLifetime(loop) { screen.end() } }
        let desk = try Desk(store: store, login: login, screen: screen,
                            editor: { text in screen.withSuspended { ExternalEditor.edit(text) } })
        defer { desk.finish() }
        desk.start(board: board)
        let waker = loop.waker
        try? watcher.notify { waker.wake() }
        defer { watcher.stop() }
        _ = watcher.changed()
        var lastTick = Date()
        var emptyReads = 0
        // inotify fires as WAL frames are written, which can be a moment before the
        // commit is published; after a wake that shows no change, look again briefly.
        var rechecks = 0
        while !desk.state.quitting {
            let reason = loop.wait(timeoutMs: rechecks > 0 ? 10 : 2000)
            if reason.contains(.hangup) { return 128 + SIGHUP }
            var gotKey = false
            while let key = screen.readKey() {
                gotKey = true
                if key == .resize {
                    screen.handleResize()
                    desk.send(.resize(screen.size))
                } else {
                    desk.send(.key(key))
                }
                if desk.state.quitting { return 0 }
            }
            // Readable but no key, again and again: the terminal is gone (EOF), not slow.
            if reason.contains(.input), !gotKey {
                emptyReads += 1
                if emptyReads > 100 { return 128 + SIGHUP }
            } else if gotKey {
                emptyReads = 0
            }
            // Our own writes move data_version too; the event feed tells them apart
            // (they are already read), so nothing is swallowed here.
            if watcher.changed() {
                desk.send(.dataChanged)
                rechecks = 0
            } else if reason.contains(.wake) {
                rechecks = 10
            } else if rechecks > 0 {
                rechecks -= 1
            }
            if Date().timeIntervalSince(lastTick) >= 2 {
                lastTick = Date()
                desk.send(.tick(lastTick))
            }
        }
        return 0
    }
}

/// A parent may hand us a blocked signal mask (spawned from a thread pool, say);
/// then no resize or ^C would ever arrive. The desk needs them.
func unblockTerminalSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCONT, SIGTSTP] { sigaddset(&set, signal) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// `$VISUAL`, then `$EDITOR`, then `vi`, on a file in a private temporary directory,
/// run with casedesk's group dropped (a setgid install lends it to no child).
public enum ExternalEditor {
    public static func edit(_ text: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        guard let file = try? SharedInstall.privateFile(named: "response.txt", contents: Data(text.utf8)) else { return nil }
        defer { SharedInstall.removePrivate(file) }
        // The editor string may carry flags ("code -w"), so the shell splits it.
        let status = SharedInstall.runDropped(["/bin/sh", "-c", "\(editor) \"$1\"", "casedesk-editor", file.path])
        guard status == 0 else { return nil }
        return (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
