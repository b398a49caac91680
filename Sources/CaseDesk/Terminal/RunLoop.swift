#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw

/// A self-pipe: any thread may call `wake()` to end a `TerminalLoop.wait`.
/// Both ends are non-blocking, so `wake()` never blocks (a full pipe already
/// means "wake up") and is safe from a signal handler's point of view.
public final class Waker: Sendable {
    public let readFD: Int32
    public let writeFD: Int32

    public init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw TerminalError("casedesk: cannot create wake-up pipe (errno \(cd_errno()))") }
        readFD = fds[0]; writeFD = fds[1]
        _ = cd_set_nonblocking_cloexec(readFD)
        _ = cd_set_nonblocking_cloexec(writeFD)
    }

    deinit {
        close(readFD); close(writeFD)
    }

    /// The process's own wake pipe, created once and never closed: signal handlers
    /// write to it, so no teardown can ever free its descriptor under them. The
    /// desk's and the console's loops wait on it.
    public static let process: Waker = {
        do { return try Waker() } catch { fatalError("\(error)") }
    }()

    /// Thread-safe; coalesces: many wakes before a wait count as one.
    public func wake() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empty the pipe; returns true if anything was there.
    @discardableResult
    func drain() -> Bool {
        var buf = [UInt8](repeating: 0, count: 64)
        var any = false
        while true {
            let n = buf.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if n > 0 { any = true; continue }
            if n < 0 && cd_errno() == EINTR { continue }
            return any
        }
    }
}

/// Why `TerminalLoop.wait` returned. Empty means the timeout passed (a tick).
public struct WakeReason: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The terminal has bytes: drain `readKey()` until it returns nil.
    public static let input = WakeReason(rawValue: 1)
    /// Another thread called `wake()` (data changed, effect done) or SIGWINCH.
    public static let wake = WakeReason(rawValue: 2)
    /// A signal interrupted the wait; drain keys (there may be a KEY_RESIZE).
    public static let interrupted = WakeReason(rawValue: 4)
    /// The terminal went away (POLLHUP/POLLERR/POLLNVAL): quit.
    public static let hangup = WakeReason(rawValue: 8)
    public var isTimeout: Bool { isEmpty }
    public var description: String {
        isEmpty ? "timeout" : [(WakeReason.input, "input"), (.wake, "wake"), (.interrupted, "interrupted"),
                               (.hangup, "hangup")].filter { contains($0.0) }.map(\.1).joined(separator: "+")
    }
}

/// Waits on the terminal and a wake-up pipe with poll(): no busy loop. Owned by
/// the one thread that owns curses; other threads only touch `waker`.
public final class TerminalLoop {
    public let waker: Waker
    public let inputFD: Int32

    public init(inputFD: Int32 = 0, waker: Waker? = nil) throws {
        self.inputFD = inputFD
        self.waker = try waker ?? Waker()
    }

    /// Block until input, a wake, a signal, or `timeoutMs` (-1 = forever).
    /// Wake bytes are drained here; terminal input is left for `readKey()`.
    public func wait(timeoutMs: Int32) -> WakeReason {
        var fds = [
            pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
        ]
        let n = poll(&fds, nfds_t(fds.count), timeoutMs)
        if n < 0 { return cd_errno() == EINTR ? .interrupted : .hangup }
        if n == 0 { return [] }
        var r: WakeReason = []
        let inEv = Int32(fds[0].revents)
        if inEv & Int32(POLLIN) != 0 { r.insert(.input) }
        // A hung-up tty polls readable *and* HUP forever: report the hangup either way.
        if inEv & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 { r.insert(.hangup) }
        if Int32(fds[1].revents) & Int32(POLLIN) != 0, waker.drain() { r.insert(.wake) }
        return r
    }
}
