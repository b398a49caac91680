import Foundation
import GRDB

/// What the queue clock shows for a case.
public enum SLAState: Sendable, Equatable {
    case ok, nearing, breached
    /// Pending on the customer with a call type that stops the clock.
    case paused
}

/// The one home of the resolution clock: what "at risk" and "breached" mean, and how a
/// pause while pending moves the due time. The desk's clock, the lead board, `case list`
/// and the SLA report all go through here, so they agree on every case.
///
/// A case is due `resolution` business minutes after it was created, plus the business time
/// it spent paused. While paused, `due_at` stands still; on resuming it moves later by the
/// business time the pause lasted (so the same business time is left as when it stopped).
public enum SLAClock {
    /// The queue clock's state: breached once `now` passes the due time (or when the case was
    /// paused after it), nearing inside the pack's at-risk window.
    public static func state(due: Date, pausedAt: Date?, now: Date, atRiskWindow: TimeInterval) -> SLAState {
        if let pausedAt { return pausedAt > due ? .breached : .paused }
        let left = due.timeIntervalSince(now)
        return left < 0 ? .breached : left < atRiskWindow ? .nearing : .ok
    }

    /// At risk (nearing or breached) in SQL over `cases c`: bind the cutoff `now + window`.
    /// A paused case is at risk only if it was already breached when it stopped.
    static let atRiskSQL = " AND c.due_at < ? AND (c.sla_paused_at IS NULL OR c.sla_paused_at > c.due_at)"

    /// Business seconds the resolution clock has run from `created` to `end`, pauses taken out.
    public static func elapsed(_ calendar: BusinessCalendar, created: Date, end: Date, pausedSeconds: Double, pausedAt: Date?) -> Double {
        var paused = pausedSeconds
        if let pausedAt, pausedAt < end { paused += calendar.businessSeconds(from: pausedAt, to: end) }
        return calendar.businessSeconds(from: created, to: end) - paused
    }
}

extension CaseStore {
    /// The columns that stop or restart the resolution clock when `current` moves to `status`
    /// at `at`: merged into the same change, so the clock moves with the status or not at all.
    static func slaClockSets(_ db: Database, _ current: CaseRecord, to status: CaseStatus, at: Date) throws
        -> [String: DatabaseValueConvertible?] {
        if status == .pending {
            guard current.slaPausedAt == nil, let code = current.callType,
                  try callType(db, code: code).pauseWhenPending else { return [:] }
            return ["sla_paused_at": at.timeIntervalSince1970]
        }
        guard let pausedAt = current.slaPausedAt else { return [:] }
        let calendar = BusinessCalendar(try businessHours(db))
        let paused = calendar.businessSeconds(from: pausedAt, to: at)
        return ["sla_paused_at": nil, "sla_paused_seconds": current.slaPausedSeconds + paused,
                "due_at": calendar.add(seconds: paused, to: current.dueAt).timeIntervalSince1970]
    }
}
