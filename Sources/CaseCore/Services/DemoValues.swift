import Foundation

/// The demo generator's plain values: who, for whom, the plan of a case and its life.
extension DemoGenerator {
    struct Person {
        var id: Int64
        var login: String
        var name: String
        var role: Role
        var team: Int?
        var skills: [String]
        var weight: Double
    }

    struct Client {
        var id: Int64
        var name, first, last, email, phone, account: String
        /// A regular contacts us more often (repeat-contact and history views need them).
        var regular: Bool
    }

    enum Fate { case onContact, pending, followUp, noResponse, stuckNew, stuckOpen, stuckPending }

    struct Plan {
        var index: Int
        var id: Int64
        var created: Date
        var channel: Channel
        var leaf: CallType
        var customer: Int
        var subject: String
        var line: String
        var priority: Priority
        var bumped: Bool
        var team: Int
        var owner: Int
        var selfService: Bool
        var due: Date
        var fate: Fate
        var typedAtBirth: Bool
        var code: String
        var csat: Int?
        var flagged: Bool
        var consult: Bool
    }

    struct Ev {
        var at: Double
        var actor: Int64?
        var kind: CaseEvent.Kind
        var channel: String?
        var field: String?
        var old: String?
        var new: String?
        var body: String?
        /// For assignments: who the case now belongs to.
        var target: Int64?

        /// The case's status once this happened: the first assignment or response opens a new case.
        func status(after old: CaseStatus) -> CaseStatus {
            switch kind {
            case .assign, .response: old == .new ? .open : old
            case .status: new.flatMap(CaseStatus.init(rawValue:)) ?? old
            case .resolve: .resolved
            default: old
            }
        }
    }

    /// A case's events in order; times only move forward, a whole second apart at least.
    struct Timeline {
        var events: [Ev] = []
        /// The status so far, for the `old` side of status changes.
        var status = CaseStatus.new
        mutating func add(_ at: Double, actor: Int64?, _ kind: CaseEvent.Kind, channel: String? = nil, field: String? = nil,
                          old: String? = nil, new: String? = nil, body: String? = nil, target: Int64? = nil) {
            let t = max(at.rounded(), (events.last?.at ?? -Double.infinity) + 1)
            let event = Ev(at: t, actor: actor, kind: kind, channel: channel, field: field, old: old, new: new, body: body, target: target)
            events.append(event)
            status = event.status(after: status)
        }
    }

    struct Sim {
        var events: [Ev] = []
        var status = CaseStatus.new
        var assignee: Int64?
        var callType: String?
        var priority = Priority.p3
        var firstResponse: Double?
        var resolvedAt: Double?
        var resolveAt: Double?
        var code: String?
        var csat: Int?
        var csatAt: Double?
        var csatComment: String?
        /// The due time, moved later by pauses while pending (SLAClock's rule).
        var due = 0.0
        var pausedAt: Double?
        var pausedSeconds = 0.0
        var version = 1
        var updatedAt = 0.0
        var updatedBy: Int64?
        var intervals: [(start: Double, end: Double?)] = []
        var flagAt: Double?
        var consult: (askedAt: Double, from: Int64, expert: Int64, question: String, answer: String?, answeredAt: Double?)?
    }
}

extension DemoGenerator.Sim: DemoClockCase {}
