import CaseCore
import Foundation

/// The desk in a real terminal: one thread owns curses and runs `TerminalAppLoop`;
/// the desk's effects run on its worker (the UI thread never runs SQL), their
/// results ring the process's wake pipe. A two-second tick moves the clocks
/// (redrawn when the minute changes) and sends the presence heartbeat.
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
        return TerminalAppLoop.run(desk, screen: screen, loop: loop, watcher: watcher, tickEvery: 2)
    }
}

extension Desk: TerminalApp {
    public var quitting: Bool { state.quitting }
    public func key(_ key: Key) { send(.key(key)) }
    public func resized(_ size: ScreenSize) { send(.resize(size)) }
    public func dataChanged() { deliver(.dataChanged) }
    public func tick(_ now: Date) { deliver(.tick(now)) }
}

/// `$VISUAL`, then `$EDITOR`, then `vi`, on a temporary file holding the text.
public enum ExternalEditor {
    public static func edit(_ text: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-response-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try text.write(to: file, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            // The editor string may carry flags ("code -w"), so the shell splits it.
            p.arguments = ["-c", "\(editor) \"$1\"", "casedesk-editor", file.path]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { return nil }
            return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            return nil
        }
    }
}
