import Foundation

/// A tmux server of its own (its own socket), driving the real binary in a real
/// terminal: send keys, capture the screen, and poll until the expected text shows.
final class Tmux {
    let socket = "casedesk-e2e-\(UUID().uuidString.prefix(8))"
    let session = "desk"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || which("tmux") != nil }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts `command` in a detached session of the given size. The shell line
    /// reports the exit status and keeps the pane open so it can be read. The status
    /// goes on a line of its own: a desk killed outright leaves the cursor wherever it
    /// last drew (often the clock at the right edge, in raw mode), where "EXITED 137"
    /// would wrap and never be found.
    init(width: Int, height: Int, command: String, env: [String: String] = [:]) throws {
        let exports = env.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let line = "env -u LINES -u COLUMNS \(exports) \(command); s=$?; printf '\\r\\nEXITED %s\\r\\n' \"$s\"; sleep 600"
        // The server this starts lives on; it must not inherit a pipe we read to the end.
        try run(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), line], capture: false)
    }

    deinit { _ = try? run(["kill-server"], capture: false) }

    @discardableResult
    func run(_ args: [String], capture: Bool = true) throws -> String {
        try Spawn.run(Tmux.which("tmux") ?? "/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + args, capture: capture).output
    }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
    /// Literal text, not key names.
    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }
    func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    struct Timeout: Error, CustomStringConvertible {
        var wanted: String
        var screen: String
        var description: String { "timed out waiting for \(wanted); the screen was:\n\(screen)" }
    }

    /// Polls the screen until `predicate` holds; throws with the last screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(30_000)
        }
        throw Timeout(wanted: what, screen: last)
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }
}
