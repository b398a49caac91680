import Foundation

public struct User: Codable, Equatable, Sendable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: Role
    public var teamId: Int64?
    public var team: String?
    public var department: String
    /// Call-type codes this person handles; `billing` covers `billing.*`. Empty: everything.
    public var skills: [String]
    /// A disabled user keeps their history but can no longer act or be assigned.
    public var active: Bool = true

    public var firstName: String { String(name.split(separator: " ").first ?? Substring(name)) }

    public func handles(callType: String?) -> Bool {
        guard let code = callType, !skills.isEmpty else { return true }
        return skills.contains { code == $0 || code.hasPrefix($0 + ".") }
    }
}

public struct Customer: Codable, Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var phone: String?
    public var account: String?
    public var language: String?

    public var firstName: String { String(name.split(separator: " ").first ?? Substring(name)) }
    public var lastName: String {
        let parts = name.split(separator: " ")
        return parts.count > 1 ? parts.dropFirst().joined(separator: " ") : ""
    }
}

/// A case as stored, with the names the screens and commands need joined in.
public struct CaseRecord: Codable, Equatable, Sendable {
    public var id: Int64
    public var customerId: Int64
    public var channel: Channel
    public var callType: String?
    public var subject: String
    public var status: CaseStatus
    public var priority: Priority
    public var assigneeId: Int64?
    public var assignee: String?
    public var teamId: Int64?
    public var createdAt: Date
    public var firstResponseAt: Date?
    public var dueAt: Date
    /// The resolution clock is stopped since then (pending on the customer); see SLAClock.
    public var slaPausedAt: Date?
    /// Business seconds of finished pauses.
    public var slaPausedSeconds: Double
    public var resolvedAt: Date?
    public var resolutionCode: String?
    public var csat: Int?
    public var selfService: Bool
    public var version: Int
    public var updatedAt: Date
    public var updatedBy: String?
    /// A pending case comes back to its owner's queue at this time ("follow-up due").
    public var followUpAt: Date? = nil
    /// The priority was set by hand (with a reason): a new call type keeps it.
    public var priorityManual = false
}

/// One line of a case's timeline (and of the audit log).
public struct CaseEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case created, call, message, note, response, step, status, assign, callType = "call_type", priority
        case resolve, csat, flag, consult, consultReply = "consult_reply", customerLine = "customer_line"
        /// The customer's personal data was erased from this case (who, when, why; never what).
        case erasure
        /// A response's mail was sent, or failed (channel mail, `casedesk mail flush`).
        case delivery
    }
    public var id: Int64
    public var caseId: Int64
    public var at: Date
    public var actor: String?
    /// The admin who acted on the actor's behalf (`--as`): "dana as alice".
    public var via: String? = nil
    public var kind: Kind
    public var channel: String?
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var body: String?
}

public struct CaseDetail: Codable, Equatable, Sendable {
    public var record: CaseRecord
    public var customer: Customer
    public var events: [CaseEvent]
    /// Script steps already completed on this case, in order, with their answers.
    public var stepsDone: [StepProgress]
    /// Open cases of the same customer besides this one.
    public var otherOpenCases = 0
    /// For each response sent by mail (by its event id): queued, sent or failed.
    public var deliveries: [Int64: ResponseDelivery] = [:]
}

public struct StepProgress: Codable, Equatable, Sendable {
    public var stepId: String
    public var answer: String?
}

/// One row of a queue page.
public struct QueueRow: Codable, Equatable, Sendable {
    public var id: Int64
    public var priority: Priority
    public var dueAt: Date
    public var createdAt: Date
    public var status: CaseStatus
    public var customer: String
    public var callType: String?
    public var channel: Channel
    public var subject: String
    public var assignee: String?
    /// The resolution clock is stopped since then (pending on the customer).
    public var slaPausedAt: Date?

    /// Where the next page starts: the keyset of this row.
    public var cursor: QueueCursor { QueueCursor(priority: priority.rawValue, dueAt: dueAt.timeIntervalSince1970, id: id) }
}

public struct QueueCursor: Codable, Equatable, Sendable {
    public var priority: Int
    public var dueAt: Double
    public var id: Int64
    public init(priority: Int, dueAt: Double, id: Int64) { self.priority = priority; self.dueAt = dueAt; self.id = id }
}

/// Which open cases a queue shows. Every scope is served by its own index.
public enum QueueScope: Equatable, Sendable {
    case assignee(Int64)
    case team(Int64)
    case unassigned
    case callType(String)
    case all
}

public struct QueueFilter: Equatable, Sendable {
    public var scope: QueueScope
    /// Only cases due before this time (SLA risk).
    /// Only cases at risk with this cutoff (now + the pack's at-risk window): `SLAClock.atRiskSQL`.
    public var dueBefore: Date?
    public init(scope: QueueScope, dueBefore: Date? = nil) { self.scope = scope; self.dueBefore = dueBefore }
}

/// Input for a new case.
public struct NewCase: Sendable {
    public var customer: String
    public var customerEmail: String?
    public var customerPhone: String?
    public var channel: Channel
    public var callType: String?
    public var subject: String
    public var priority: Priority?
    public var selfService: Bool
    public var body: String?
    public var createdAt: Date?
    /// The team whose queue the case joins; its assignment policy may hand it to an agent
    /// at once. Nil: the shared queue, unassigned.
    public var team: String?
    /// An existing customer, chosen by id; then `customer` and its details are not used.
    public var customerId: Int64?
    public var customerAccount: String?
    /// Assign the new case to this login at once (the desk's intake: the agent on the call).
    public var assignTo: String?
    public init(customer: String, customerEmail: String? = nil, customerPhone: String? = nil, channel: Channel,
                callType: String?, subject: String, priority: Priority? = nil, selfService: Bool = false,
                body: String? = nil, createdAt: Date? = nil, team: String? = nil) {
        self.customer = customer; self.customerEmail = customerEmail; self.customerPhone = customerPhone
        self.channel = channel; self.callType = callType; self.subject = subject; self.priority = priority
        self.selfService = selfService; self.body = body; self.createdAt = createdAt; self.team = team
    }
}

// MARK: live team

/// How a team's new and released cases find an agent.
public enum AssignmentPolicy: String, CaseIterable, Sendable {
    /// Cases wait in the queue until someone takes them or a lead assigns them.
    case manual
    /// The next active agent of the team after the last one picked, in a fixed order.
    case roundRobin = "round_robin"
    /// The active agent with the fewest open cases.
    case leastLoaded = "least_loaded"
    /// Among agents whose skills name the call type, the least loaded (generalists if none).
    case skills

    /// Words for timelines and screens ("round robin").
    public var label: String {
        switch self {
        case .manual: "manual"
        case .roundRobin: "round robin"
        case .leastLoaded: "least loaded"
        case .skills: "skills"
        }
    }
}

public struct Team: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var policy: AssignmentPolicy
    public init(id: Int64, name: String, policy: AssignmentPolicy) { self.id = id; self.name = name; self.policy = policy }
}

/// Someone with a desk open: on which case, and whether they are typing in it.
public struct Presence: Equatable, Sendable {
    public var login: String
    public var name: String
    public var caseId: Int64?
    public var typing: Bool
    public var seenAt: Date
    public init(login: String, name: String, caseId: Int64?, typing: Bool, seenAt: Date) {
        self.login = login; self.name = name; self.caseId = caseId; self.typing = typing; self.seenAt = seenAt
    }
}

/// What a lead watches: the team's agents, the waiting queue per call type, SLA risk.
public struct Board: Equatable, Sendable {
    /// The lead's team; nil for an admin's (or a team-less lead's) board of everyone.
    public var team: String?
    public var agents: [AgentStatus]
    public var depth: [CallTypeDepth]
    /// The first `CaseStore.boardRiskLimit` cases at risk, soonest first.
    public var atRisk: [QueueRow]
    /// How many cases are at risk in all: the list above is capped, this is not.
    public var atRiskTotal: Int
    /// Low CSAT scores that arrived in the last `CaseStore.csatAlertDays` days, newest first (capped).
    public var csatAlerts: [CSATAlert]
    public var csatAlertTotal: Int
    /// Resolved cases to review for quality this week (the QA queue, `Q` on the board).
    public var qaQueue: [QueueRow] = []
    public init(team: String?, agents: [AgentStatus], depth: [CallTypeDepth], atRisk: [QueueRow], atRiskTotal: Int? = nil,
                csatAlerts: [CSATAlert] = [], csatAlertTotal: Int? = nil) {
        self.team = team; self.agents = agents; self.depth = depth; self.atRisk = atRisk
        self.atRiskTotal = atRiskTotal ?? atRisk.count
        self.csatAlerts = csatAlerts; self.csatAlertTotal = csatAlertTotal ?? csatAlerts.count
    }
}

public struct AgentStatus: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        /// A live desk has this case open.
        case onCase(Int64)
        /// A live desk, no case open.
        case idle
        /// No live desk.
        case away
    }
    public var login: String
    public var name: String
    public var state: State
    /// Open cases assigned to them now.
    public var openCases: Int
    /// Cases they resolved since local midnight.
    public var handledToday: Int
    public init(login: String, name: String, state: State, openCases: Int, handledToday: Int) {
        self.login = login; self.name = name; self.state = state; self.openCases = openCases; self.handledToday = handledToday
    }
}

/// Unassigned open cases of one call type (nil: not yet typed) and the oldest one's arrival.
public struct CallTypeDepth: Equatable, Sendable {
    public var callType: String?
    public var waiting: Int
    public var oldest: Date?
    public init(callType: String?, waiting: Int, oldest: Date?) { self.callType = callType; self.waiting = waiting; self.oldest = oldest }
}
