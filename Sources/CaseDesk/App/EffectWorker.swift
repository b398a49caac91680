import Dispatch
import Foundation

/// Where an effect runs. Reads go through GRDB pool readers (WAL snapshots: they
/// never wait for the write lock); writes wait for the lock on their own queue; only
/// `$EDITOR` needs the terminal, so only it runs on the UI thread.
public enum EffectLane: Sendable { case read, write, terminal }

extension Effect {
    /// A new effect is a write unless listed here: a write lane is always safe, just slower.
    public var lane: EffectLane {
        switch self {
        case .loadQueue, .loadCase, .loadReference, .loadBoard, .readFeed, .loadPresence, .refreshCounts, .prepareEdit: .read
        case .editResponse: .terminal
        default: .write
        }
    }

    /// The case and the version an edit was decided on, for edits that only add to
    /// the case (a note, a free-text response): queued behind this desk's own earlier
    /// edit they may move onto its version. An edit that depends on what the screen
    /// showed (a step, a call type, resolving, a scripted response) never moves: if
    /// the screen was stale it is a conflict, as it should be.
    var versioned: (caseId: Int64, version: Int)? {
        switch self {
        case .note(let id, _, let v): (id, v)
        case .respond(let id, _, nil, let v): (id, v)
        default: nil
        }
    }
}

/// Runs effects off the UI thread, the Bubble Tea way: one serial queue for reads
/// and one for writes per program (so per database); each result is queued as
/// messages and `wake` rings the run loop's pipe, which turns them into messages
/// on the UI thread. Nothing here touches the screen or the program's state. The
/// desk and the trainer console each have one.
final class EffectWorker<Message: Sendable>: @unchecked Sendable {
    private let reads = DispatchQueue(label: "casedesk.effects.read")
    private let writes = DispatchQueue(label: "casedesk.effects.write")
    private let lock = NSLock()
    private var inbox: [Message] = []
    private var inFlight = 0
    private var readsInFlight = 0
    /// When each queued or running write was handed over.
    private var writesSince: [UInt64: Date] = [:]
    private var nextTicket: UInt64 = 0
    private var coalescedQueued = false
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    /// Queue `run` on `lane`'s queue. With `coalescing`, it is dropped while an
    /// earlier coalescing one still waits to start (a heartbeat behind a held lock
    /// needs no twin queued after it).
    func submit(lane: EffectLane, coalescing: Bool = false, _ run: @escaping @Sendable () -> [Message]) {
        let taken: UInt64? = lock.withLock {
            if coalescing {
                if coalescedQueued { return nil }
                coalescedQueued = true
            }
            inFlight += 1
            nextTicket += 1
            if lane == .write { writesSince[nextTicket] = Date() } else { readsInFlight += 1 }
            return nextTicket
        }
        guard let ticket = taken else { return }
        (lane == .write ? writes : reads).async { [self] in
            if coalescing { lock.withLock { coalescedQueued = false } }
            let messages = run()
            lock.withLock {
                inbox += messages
                inFlight -= 1
                if lane == .write { writesSince[ticket] = nil } else { readsInFlight -= 1 }
            }
            wake()
        }
    }

    /// Messages that arrived since the last call, in arrival order.
    func takeResults() -> [Message] {
        lock.withLock { defer { inbox.removeAll() }; return inbox }
    }

    /// Since when the oldest unfinished write has been waiting (nil: none).
    var oldestWrite: Date? { lock.withLock { writesSince.values.min() } }

    var isIdle: Bool { lock.withLock { inFlight == 0 && inbox.isEmpty } }

    /// Reads queued or running (their results not yet taken).
    var readsPending: Bool { lock.withLock { readsInFlight > 0 } }

    /// Run `body` on the write queue after every write queued before it.
    func afterWrites<T>(_ body: () -> T) -> T { writes.sync(execute: body) }

    /// For tests and the benchmark: hand results to `take` until nothing is left to do.
    @discardableResult
    func waitUntilIdle(timeout: TimeInterval, take: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if take() { continue }
            if isIdle { return true }
            usleep(500)
        }
        return false
    }
}
