import Foundation

/// Hands a message to a sendmail-compatible command (`/usr/sbin/sendmail -t -i`,
/// `msmtp -t`) on its standard input, with no shell in between.
public enum SendmailCommand {
    /// Nil when the command took the message (exit 0); else what went wrong, in one line.
    @Sendable public static func run(_ command: String, _ message: [UInt8]) -> String? {
        run(command, message, timeout: 120)
    }

    public static func run(_ command: String, _ message: [UInt8], timeout: TimeInterval) -> String? {
        let words = ShellWords.split(command)
        guard let program = words.first else { return "mail.sendmail is empty" }
        guard let path = resolve(program) else { return "mail.sendmail: no program '\(program)'" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = Array(words.dropFirst())
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = output
        do { try p.run() } catch { return "cannot run \(program): \(error.localizedDescription)" }
        // Read the command's words while writing, so neither side can block the other.
        let collected = OutputCollector()
        let reader = Thread { collected.data = output.fileHandleForReading.readDataToEndOfFile(); collected.done.signal() }
        reader.start()
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(message))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { usleep(5_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            _ = collected.done.wait(timeout: .now() + 2)
            return "\(program) did not finish within \(Int(timeout)) s"
        }
        p.waitUntilExit()
        _ = collected.done.wait(timeout: .now() + 5)
        if p.terminationReason == .exit && p.terminationStatus == 0 { return nil }
        let words2 = MailText.clean(String(decoding: collected.data, as: UTF8.self))
            .split(separator: "\n").map { $0.trimmingBlanks(newlines: false) }.filter { !$0.isEmpty }
        let said = words2.last.map { ": \($0)" } ?? ""
        return "\(program) exited with status \(p.terminationStatus)\(said)"
    }

    private final class OutputCollector: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
