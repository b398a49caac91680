import Foundation

/// The demo's SLA clock and work intervals, kept as true as the live product keeps them.
enum DemoClock {
    struct Interval: Equatable {
        var caseId: Int64
        var agent: Int64
        var start: Double
        var end: Double?
    }

    /// The pause rule of `SLAClock` replayed on a simulated case: pending stops the clock for
    /// a call type that pauses; leaving pending moves the due time by the business time paused.
    fileprivate static func move(_ due: inout Double, _ pausedAt: inout Double?, _ pausedSeconds: inout Double,
                                 to status: CaseStatus, at: Double, pauses: Bool, _ calendar: BusinessCalendar) {
        if status == .pending {
            if pauses, pausedAt == nil { pausedAt = at }
        } else if let from = pausedAt {
            let paused = calendar.businessSeconds(from: Date(timeIntervalSince1970: from), to: Date(timeIntervalSince1970: at))
            pausedSeconds += paused
            due = calendar.add(seconds: paused, to: Date(timeIntervalSince1970: due)).timeIntervalSince1970
            pausedAt = nil
        }
    }

    /// Cuts overlapping work of one agent: when a later interval starts while an earlier one
    /// runs, the earlier stops there and, if it ran past the later one's end, resumes after it.
    /// Every piece stays inside its original interval (so inside its case's life).
    static func oneAtATime(_ all: [Interval]) -> [Interval] {
        var out: [Interval] = []
        for (_, list) in Dictionary(grouping: all, by: \.agent).sorted(by: { $0.key < $1.key }) {
            var pending = list.sorted { ($0.start, $0.caseId) < ($1.start, $1.caseId) }
            var done: [Interval] = []
            while !pending.isEmpty {
                let next = pending.removeFirst()
                if var prev = done.last, (prev.end ?? .infinity) > next.start {
                    let prevEnd = prev.end
                    prev.end = next.start
                    done[done.count - 1] = prev
                    if prev.end! <= prev.start { done.removeLast() }
                    // The rest of the earlier work resumes once the later interval ends.
                    if let nextEnd = next.end, (prevEnd ?? .infinity) > nextEnd {
                        let rest = Interval(caseId: prev.caseId, agent: prev.agent, start: nextEnd, end: prevEnd)
                        let i = pending.firstIndex { ($0.start, $0.caseId) > (rest.start, rest.caseId) } ?? pending.count
                        pending.insert(rest, at: i)
                    }
                }
                done.append(next)
            }
            out += done
        }
        return out.sorted { ($0.start, $0.caseId) < ($1.start, $1.caseId) }
    }
}

extension DemoClock {
    /// `move` on a simulated case's fields.
    static func move<S: DemoClockCase>(_ s: inout S, to status: CaseStatus, at: Double, pauses: Bool, _ calendar: BusinessCalendar) {
        var due = s.due, pausedAt = s.pausedAt, pausedSeconds = s.pausedSeconds
        move(&due, &pausedAt, &pausedSeconds, to: status, at: at, pauses: pauses, calendar)
        s.due = due; s.pausedAt = pausedAt; s.pausedSeconds = pausedSeconds
    }
}

/// What `DemoClock.move` needs of a simulated case.
protocol DemoClockCase {
    var due: Double { get set }
    var pausedAt: Double? { get set }
    var pausedSeconds: Double { get set }
}
