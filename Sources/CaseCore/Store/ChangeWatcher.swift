import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Learns that another connection (another desk, a command, an import) committed.
/// `PRAGMA data_version` on a connection of its own changes only for commits made
/// by other connections, and reading it costs no table access.
///
/// `notify` adds a push: inotify on the database's directory wakes a callback on every
/// write to the database or its WAL, by any process, so a desk can sleep until then
/// instead of polling. Wake-ups may be spurious (own writes, checkpoints): on a wake,
/// ask `changed()` (or compare `latestEventId()`) before re-reading.
public final class ChangeWatcher {
    private let queue: DatabaseQueue
    private let path: String
    private var seen: Int
    private var notifiers: [DirectoryNotifier] = []

    public init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        queue = try DatabaseQueue(path: path, configuration: config)
        self.path = path
        seen = 0
        seen = try current()
    }

    deinit { stop() }

    private func current() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// True once per batch of commits made elsewhere since the last call.
    public func changed() -> Bool {
        guard let now = try? current(), now != seen else { return false }
        seen = now
        return true
    }

    /// Calls `wake` on a background thread after each write to the database file or its
    /// WAL by anyone. While nothing is written the thread sits blocked in read(): no CPU.
    /// `wake` should be cheap and thread-safe (write a byte to the desk's wake-up pipe).
    public func notify(_ wake: @escaping @Sendable () -> Void) throws {
        notifiers.append(try DirectoryNotifier(databasePath: path, wake: wake))
    }

    /// Ends every `notify` thread (also done when the watcher goes away).
    public func stop() {
        for notifier in notifiers { notifier.stop() }
        notifiers = []
    }
}

#if os(Linux)
/// One inotify descriptor watching the database's directory (the WAL may not exist yet,
/// and is deleted and re-created as connections come and go, so a file watch would lose it).
final class DirectoryNotifier: @unchecked Sendable {
    private let fd: Int32
    private let wd: Int32
    private let lock = NSLock()
    private var stopping = false
    private var closed = false

    init(databasePath: String, wake: @escaping @Sendable () -> Void) throws {
        let url = URL(fileURLWithPath: databasePath).standardizedFileURL
        let dir = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let names: Set<String> = [name, name + "-wal", name + "-journal"]
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw CaseError.invalid("cannot watch \(dir) for changes: \(String(cString: strerror(errno)))") }
        wd = inotify_add_watch(fd, dir, UInt32(IN_MODIFY) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE))
        guard wd >= 0 else {
            let why = String(cString: strerror(errno))
            Glibc.close(fd)
            throw CaseError.invalid("cannot watch \(dir) for changes: \(why)")
        }
        let thread = Thread { [self] in self.run(names: names, wake: wake) }
        thread.name = "casedesk-change-notify"
        thread.start()
    }

    /// Removing the watch queues an IN_IGNORED event, which ends the blocked read().
    func stop() {
        lock.lock(); defer { lock.unlock() }
        guard !stopping, !closed else { stopping = true; return }
        stopping = true
        inotify_rm_watch(fd, wd)
    }

    private func run(names: Set<String>, wake: @Sendable () -> Void) {
        let headerSize = MemoryLayout<inotify_event>.size
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        loop: while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            var relevant = false, ended = false
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + headerSize <= n {
                    let mask = raw.load(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.load(fromByteOffset: offset + 12, as: UInt32.self))
                    if mask & UInt32(IN_IGNORED) != 0 { ended = true }           // stop(), or the directory went away
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true }     // lost events: assume a write
                    if length > 0 {
                        let nameBytes = raw[(offset + headerSize)..<(offset + headerSize + length)].prefix { $0 != 0 }
                        if names.contains(String(decoding: nameBytes, as: UTF8.self)) { relevant = true }
                    }
                    offset += headerSize + length
                }
            }
            lock.lock(); let stopped = stopping; lock.unlock()
            if stopped || ended { break loop }
            // inotify already merges repeated identical events; one wake per read() batch.
            if relevant { wake() }
        }
        lock.lock()
        closed = true
        Glibc.close(fd)
        lock.unlock()
    }
}
#else
/// inotify is Linux's; elsewhere `notify` is refused and desks fall back to polling `changed()`.
final class DirectoryNotifier: Sendable {
    init(databasePath: String, wake: @escaping @Sendable () -> Void) throws {
        throw CaseError.invalid("change notification needs Linux inotify")
    }
    func stop() {}
}
#endif
