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
        try TerminalAppLoop.runInTerminal(database: store.path, tickEvery: 2, make: { screen in
            try Desk(store: store, login: login, screen: screen, editor: { text in screen.withSuspended { ExternalEditor.edit(text) } })
        }, start: { $0.start(board: board) })
    }
}

extension Desk: TerminalApp {
    public var quitting: Bool { state.quitting }
    public func key(_ key: Key) { send(.key(key)) }
    public func resized(_ size: ScreenSize) { send(.resize(size)) }
    public func dataChanged() { deliver(.dataChanged) }
    public func tick(_ now: Date) { deliver(.tick(now)) }
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
