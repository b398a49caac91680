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
        case .loadQueue, .loadCase, .loadReference, .loadBoard, .readFeed, .loadPresence, .refreshCounts: .read
        case .editResponse: .terminal
        default: .write
        }
    }

    /// The case and the version an edit was decided on, for edits that carry one.
    var versioned: (caseId: Int64, version: Int)? {
        switch self {
        case .setCallType(let id, _, let v), .respond(let id, _, _, let v), .note(let id, _, let v),
             .stepDone(let id, _, _, let v), .resolve(let id, _, _, let v): (id, v)
        default: nil
        }
    }
}

/// Runs the desk's effects off the UI thread, the Bubble Tea way: one serial queue
/// for reads and one for writes per desk (so per database); each result is queued as
/// messages and `wake` rings the run loop's pipe, which turns them into `Msg`s on the
/// UI thread. Nothing here touches the screen or the desk's state.
final class EffectWorker: @unchecked Sendable {
    private let reads = DispatchQueue(label: "casedesk.effects.read")
    private let writes = DispatchQueue(label: "casedesk.effects.write")
    private let lock = NSLock()
    private var inbox: [Msg] = []
    private var inFlight = 0
    /// When each queued or running write was handed over, oldest first.
    private var writesSince: [UInt64: Date] = [:]
    private var nextTicket: UInt64 = 0
    private var heartbeatQueued = false
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    /// Queue `effect`; `run` performs it on the lane's queue and returns its messages.
    func submit(_ effect: Effect, run: @escaping @Sendable (Effect) -> [Msg]) {
        let lane = effect.lane
        let taken: UInt64? = lock.withLock {
            // A heartbeat waiting behind a held lock needs no twin queued after it.
            if case .heartbeat = effect {
                if heartbeatQueued { return nil }
                heartbeatQueued = true
            }
            inFlight += 1
            nextTicket += 1
            if lane == .write { writesSince[nextTicket] = Date() }
            return nextTicket
        }
        guard let ticket = taken else { return }
        (lane == .write ? writes : reads).async { [self] in
            if case .heartbeat = effect { lock.withLock { heartbeatQueued = false } }
            let messages = run(effect)
            lock.withLock {
                inbox += messages
                inFlight -= 1
                if lane == .write { writesSince[ticket] = nil }
            }
            wake()
        }
    }

    /// Messages that arrived since the last call, in arrival order.
    func takeResults() -> [Msg] {
        lock.withLock { defer { inbox.removeAll() }; return inbox }
    }

    /// Since when the oldest unfinished write has been waiting (nil: none).
    var oldestWrite: Date? { lock.withLock { writesSince.values.min() } }

    var isIdle: Bool { lock.withLock { inFlight == 0 && inbox.isEmpty } }

    /// Run `body` on the write queue after every write queued before it.
    func afterWrites<T>(_ body: () -> T) -> T { writes.sync(execute: body) }
}
