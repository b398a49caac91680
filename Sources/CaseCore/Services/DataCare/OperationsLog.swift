import Foundation
import Logging

/// The operations log: errors, refusals, backups, restores, purges and erasures, one line
/// each, so an admin can answer "what happened at 14:02?" without a desk open.
///
/// Where: `$CASEDESK_LOG_DIR` if set; beside the database when it is a shared install
/// (the file is group-writable), as `NAME.operations.log`; else
/// `$XDG_STATE_HOME/casedesk/operations.log` (default `~/.local/state/casedesk/`).
/// Rotated at 1 MiB, keeping five older files (`.1` … `.5`).
public enum OperationsLog {
    public static let maxBytes: Int = 1 << 20
    public static let keep = 5

    public static func location(forDatabase database: String?,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["CASEDESK_LOG_DIR"], !dir.isEmpty {
            return (dir as NSString).appendingPathComponent("operations.log")
        }
        if let database, SharedInstall.mode(of: database) != nil {
            return database + ".operations.log"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/state")
        return ((state as NSString).appendingPathComponent("casedesk") as NSString).appendingPathComponent("operations.log")
    }

    /// A logger writing to the operations log of `database` (nil: the per-user one).
    public static func logger(forDatabase database: String?) -> Logger {
        let path = location(forDatabase: database)
        let mode = database.flatMap(SharedInstall.mode(of:)) ?? 0o600
        return Logger(label: "casedesk") { label in RotatingFileLogHandler(label: label, path: path, mode: mode) }
    }

    /// One line as written: time, level, the message with control characters made visible,
    /// then the metadata as key=value, sorted.
    static func line(at date: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var out = "\(timestamp(date)) \(level.rawValue) \(visible(message))"
        for key in metadata.keys.sorted() { out += " \(visible(key))=\(visible("\(metadata[key]!)"))" }
        return out + "\n"
    }

    /// Hostile text is shown, never executed: escapes, newlines and NUL become `\u{…}`, so
    /// one entry is always one line and a terminal reading the log is never driven by it.
    static func visible(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.properties.generalCategory == .control || u == "\u{2028}" || u == "\u{2029}" {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// A swift-log handler appending whole lines to one file (O_APPEND, so lines from many
/// processes never interleave) and rotating it by size. Logging never fails the caller:
/// a log that cannot be written is skipped.
struct RotatingFileLogHandler: LogHandler {
    let label: String
    let path: String
    let mode: mode_t
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let line = OperationsLog.line(at: Date(), level: event.level, message: "\(event.message)", metadata: all)
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        rotateIfNeeded()
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if mode & S_IWGRP != 0 { _ = fchmod(fd, mode) }   // past the umask: the group writes too
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// FILE → FILE.1 → … → FILE.keep; the oldest goes. Racing processes at worst rotate twice.
    private func rotateIfNeeded() {
        var st = stat()
        guard stat(path, &st) == 0, Int(st.st_size) >= OperationsLog.maxBytes else { return }
        for n in stride(from: OperationsLog.keep - 1, through: 1, by: -1) {
            rename("\(path).\(n)", "\(path).\(n + 1)")
        }
        rename(path, "\(path).1")
    }
}
