import CaseCore
import Foundation

/// The desk in a real terminal: one thread owns curses and waits with poll() on the
/// keyboard and the process's wake pipe. That pipe rings when an effect finishes on
/// the desk's worker (the UI thread never runs SQL), when inotify sees anyone write
/// to the database's files (then `PRAGMA data_version` says whether another
/// connection committed), and when a signal arrives. Every two seconds a tick moves
/// the clocks (redrawn when the minute changes), sends the presence heartbeat, and
/// reads data_version as a fallback to inotify.
public enum DeskRunner {
    /// Returns the exit status: 0 after `q`, 128+signo after SIGINT/TERM/HUP/QUIT
    /// or a hung-up terminal (129). Every way out closes the work interval, leaves
    /// presence and restores the terminal, in that order.
    @discardableResult
    public static func run(store: CaseStore, login: String, board: Bool = false) throws -> Int32 {
        unblockTerminalSignals()
        // The process pipe is never closed, so it outlives every signal handler.
        let loop = try TerminalLoop(waker: .process)
        let watcher = try ChangeWatcher(path: store.path)
        let screen = try CursesScreen.start(waker: loop.waker)
        defer { screen.end() }
        let desk = try Desk(store: store, login: login, screen: screen,
                            editor: { text in screen.withSuspended { ExternalEditor.edit(text) } })
        let waker = loop.waker
        desk.runEffectsInBackground { waker.wake() }
        defer { desk.finish() }
        desk.start(board: board)
        try? watcher.notify { waker.wake() }
        defer { watcher.stop() }
        _ = watcher.changed()
        var lastTick = Date()
        var emptyReads = 0
        // inotify fires as WAL frames are written, which can be a moment before the
        // commit is published; after a wake that shows no change, look again briefly.
        var rechecks = 0
        while !desk.state.quitting {
            // While a write waits for the lock, wake often enough to show "saving".
            let timeout: Int32 = rechecks > 0 ? 10 : (desk.writesPending ? 50 : 2000)
            let reason = loop.wait(timeoutMs: timeout)
            if let signal = TerminalGuard.quitSignal { return 128 + signal }
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
            desk.takeResults()
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
