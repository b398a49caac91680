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
    public var resolvedAt: Date?
    public var resolutionCode: String?
    public var csat: Int?
    public var selfService: Bool
    public var version: Int
    public var updatedAt: Date
    public var updatedBy: String?
}

/// One line of a case's timeline (and of the audit log).
public struct CaseEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case created, call, message, note, response, step, status, assign, callType = "call_type", priority
        case resolve, csat, flag, consult, consultReply = "consult_reply", customerLine = "customer_line"
    }
    public var id: Int64
    public var caseId: Int64
    public var at: Date
    public var actor: String?
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
    public init(customer: String, customerEmail: String? = nil, customerPhone: String? = nil, channel: Channel,
                callType: String?, subject: String, priority: Priority? = nil, selfService: Bool = false,
                body: String? = nil, createdAt: Date? = nil) {
        self.customer = customer; self.customerEmail = customerEmail; self.customerPhone = customerPhone
        self.channel = channel; self.callType = callType; self.subject = subject; self.priority = priority
        self.selfService = selfService; self.body = body; self.createdAt = createdAt
    }
}
