import CaseCore
import Foundation

/// What a full-screen program gives the terminal loop: the desk and the trainer
/// console run on the same loop, the same wake pipe and the same change feed.
public protocol TerminalApp: AnyObject {
    var quitting: Bool { get }
    func key(_ key: Key)
    func resized(_ size: ScreenSize)
    /// Another connection committed (the change feed).
    func dataChanged()
    func tick(_ now: Date)
    /// Feed the worker's finished effects through the program's update; false when there were none.
    @discardableResult func takeResults() -> Bool
    /// A write is waiting (the loop then wakes often enough to show it).
    var writesPending: Bool { get }
    /// From now on effects run on a worker; `wake` rings (on any thread) when results wait.
    func runEffectsInBackground(wake: @escaping @Sendable () -> Void)
    /// The way out, whichever it is: queued writes land before the program goes.
    func finish()
}

public enum TerminalAppLoop {
    /// A program in the real terminal: curses started, effects on the program's worker, then
    /// `run`. Every way out finishes the program first and restores the terminal after.
    public static func runInTerminal<App: TerminalApp>(database path: String, tickEvery: TimeInterval,
                                                       make: (CursesScreen) throws -> App, start: (App) -> Void) throws -> Int32 {
        unblockTerminalSignals()
        // The process pipe is never closed, so it outlives every signal handler.
        let loop = try TerminalLoop(waker: .process)
        let watcher = try ChangeWatcher(path: path)
        let screen = try CursesScreen.start(waker: loop.waker)
        defer { screen.end() }
        let app = try make(screen)
        let waker = loop.waker
        app.runEffectsInBackground { waker.wake() }
        defer { app.finish() }
        start(app)
        return run(app, screen: screen, loop: loop, watcher: watcher, tickEvery: tickEvery)
    }

    /// Sleeps in poll() on the keyboard and `loop`'s wake pipe, which rings when an
    /// effect finishes on the program's worker, when inotify sees anyone write to the
    /// database's files (then `PRAGMA data_version` says whether another connection
    /// committed), and when a signal arrives. Every `tickEvery` seconds a tick moves
    /// the clocks and serves as a fallback to inotify.
    /// Returns 0 after the program quits, 128+signo after SIGINT/TERM/HUP/QUIT, 129
    /// when the terminal hangs up.
    public static func run(_ app: TerminalApp, screen: CursesScreen, loop: TerminalLoop, watcher: ChangeWatcher,
                           tickEvery: TimeInterval) -> Int32 {
        let waker = loop.waker
        try? watcher.notify { waker.wake() }
        defer { watcher.stop() }
        _ = watcher.changed()
        var lastTick = Date()
        var emptyReads = 0
        // inotify fires as WAL frames are written, which can be a moment before the
        // commit is published; after a wake that shows no change, look again briefly.
        var rechecks = 0
        while !app.quitting {
            let tickMs = Int32(tickEvery * 1000)
            let timeout: Int32 = rechecks > 0 ? 10 : (app.writesPending ? 50 : tickMs)
            let reason = loop.wait(timeoutMs: timeout)
            if let signal = TerminalGuard.quitSignal { return 128 + signal }
            if reason.contains(.hangup) { return 128 + SIGHUP }
            var gotKey = false
            while let key = screen.readKey() {
                gotKey = true
                if key == .resize {
                    screen.handleResize()
                    app.resized(screen.size)
                } else {
                    app.key(key)
                }
                if app.quitting { return 0 }
            }
            // Readable but no key, again and again: the terminal is gone (EOF), not slow.
            if reason.contains(.input), !gotKey {
                emptyReads += 1
                if emptyReads > 100 { return 128 + SIGHUP }
            } else if gotKey {
                emptyReads = 0
            }
            app.takeResults()
            // Our own writes move data_version too; the program's own feed tells them
            // apart, so nothing is swallowed here.
            if watcher.changed() {
                app.dataChanged()
                rechecks = 0
            } else if reason.contains(.wake) {
                rechecks = 10
            } else if rechecks > 0 {
                rechecks -= 1
            }
            if Date().timeIntervalSince(lastTick) >= tickEvery {
                lastTick = Date()
                app.tick(lastTick)
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
