import Foundation
import GRDB

/// A contact arriving on a channel (a mail, a chat or SMS line from a relay), ready to file.
public struct InboundContact: Sendable {
    /// The case's channel (cases know phone, email, chat, web, ivr, mobile, retail, social).
    public var channel: Channel
    /// The channel as the relay named it (`sms`, `whatsapp`…), shown on the timeline.
    public var channelName: String
    /// The contact's id on its channel: Message-ID, or the relay's external id.
    public var externalId: String
    /// A case the contact names itself (a subject tag, an explicit case id).
    public var caseId: Int64?
    /// Ids of earlier contacts it answers (In-Reply-To, References).
    public var replyTo: [String]
    public var customerName: String
    public var email: String?
    public var phone: String?
    /// Who sent it, as shown on the timeline (`Ann Lee <ann@example.com>`).
    public var sender: String
    public var subject: String
    /// The timeline line: the new text (quoted earlier mail folded away).
    public var text: String
    /// Everything the contact said, quotes included: kept with the message.
    public var fullText: String
    public var at: Date?
    public var team: String?

    public init(channel: Channel, channelName: String, externalId: String, caseId: Int64? = nil, replyTo: [String] = [],
                customerName: String, email: String? = nil, phone: String? = nil, sender: String, subject: String,
                text: String, fullText: String? = nil, at: Date? = nil, team: String? = nil) {
        self.channel = channel; self.channelName = channelName; self.externalId = externalId; self.caseId = caseId
        self.replyTo = replyTo; self.customerName = customerName; self.email = email; self.phone = phone
        self.sender = sender; self.subject = subject; self.text = text; self.fullText = fullText ?? text
        self.at = at; self.team = team
    }
}

/// Where a contact went.
public enum FilingOutcome: Equatable, Sendable {
    /// Filed on this case; `opened`: a new case; `reopened`: it had been resolved.
    case filed(caseId: Int64, eventId: Int64, opened: Bool, reopened: Bool)
    /// The same contact (same channel and id) was filed before, on this case.
    case duplicate(caseId: Int64)

    public var caseId: Int64 {
        switch self {
        case .filed(let id, _, _, _), .duplicate(let id): id
        }
    }
}

/// Threading, the one definition for every channel: a contact lands on the case it
/// names (subject tag, case id) if that case exists, else on the case of a contact it
/// replies to, else it opens a new case with the customer matched or created by
/// address; a contact on a resolved or closed case reopens it. The same channel id
/// twice files once.
extension CaseStore {
    static func threadCase(_ db: Database, _ c: InboundContact, dedupeChannel: String) throws -> Int64? {
        if let id = c.caseId, try Bool.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [id]) == true { return id }
        let ids = Array(c.replyTo.suffix(50))
        guard !ids.isEmpty else { return nil }
        return try Int64.fetchOne(db.cachedStatement(literal: """
            SELECT case_id FROM channel_messages WHERE channel = \(dedupeChannel) AND external_id IN \(ids) ORDER BY id DESC LIMIT 1
            """))
    }

    /// Files one contact in the caller's transaction; `calendar`: the business hours, read once per transaction.
    func file(_ db: Database, _ c: InboundContact, gateway: User, calendar: BusinessCalendar, dedupeChannel: String) throws -> FilingOutcome {
        // Cached statements: a Maildir batch files a hundred contacts in one transaction.
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM channel_messages WHERE channel = ? AND external_id = ?"),
                                             arguments: [dedupeChannel, c.externalId]) {
            return .duplicate(caseId: existing)
        }
        let at = c.at ?? now()
        var opened = false, reopened = false
        let caseId: Int64
        if let threaded = try Self.threadCase(db, c, dedupeChannel: dedupeChannel) {
            caseId = threaded
            let current = try Self.record(db, id: caseId)
            if !current.status.isOpen {
                try change(db, current, actor: gateway, expectedVersion: nil,
                           sets: ["status": CaseStatus.open.rawValue, "resolved_at": nil, "resolution_code": nil],
                           events: [EventDraft(kind: .status, field: "status", old: current.status.rawValue, new: CaseStatus.open.rawValue,
                                               body: "reopened by the customer's reply")])
                reopened = true
            }
        } else {
            let subject = c.subject.trimmingBlanks()
            let name = c.customerName.trimmingBlanks()
            caseId = try insertCase(db, NewCase(customer: name.isEmpty ? (c.email ?? c.phone ?? "unknown customer") : name,
                                                customerEmail: c.email, customerPhone: c.phone, channel: c.channel, callType: nil,
                                                subject: subject.isEmpty ? "(no subject)" : String(subject.prefix(500)),
                                                createdAt: at, team: c.team),
                                    actor: gateway, calendar: calendar).id
            opened = true
        }
        let eventId = try Self.append(db, caseId: caseId, actor: gateway.id, at: at,
                                      EventDraft(kind: .message, new: c.sender, body: c.text, channel: c.channelName))
        try db.cachedStatement(sql: """
            INSERT INTO channel_messages(channel, external_id, case_id, event_id, direction, sender, subject, full_text, at)
            VALUES (?,?,?,?,'in',?,?,?,?)
            """).execute(arguments: [dedupeChannel, c.externalId, caseId, eventId, c.sender, c.subject, c.fullText, at.timeIntervalSince1970])
        return .filed(caseId: caseId, eventId: eventId, opened: opened, reopened: reopened)
    }

    /// The gateway (or an admin) acting; anyone else is refused.
    static func gatewayUser(_ db: Database, login: String) throws -> User {
        let user = try Self.user(db, login: login)
        try GatewayRule.requireMayFile(user)
        return user
    }

    /// The full text of every contact on a case, in order (quotes included).
    /// `eventId`: the timeline line it was filed as (`case show --format json` names it).
    public func channelMessages(caseId: Int64) throws -> [(eventId: Int64?, at: Date, direction: String, sender: String?, subject: String?, text: String?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, at, direction, sender, subject, full_text FROM channel_messages WHERE case_id = ? ORDER BY id",
                             arguments: [caseId]).map { row in
                (row["event_id"], Date(timeIntervalSince1970: row["at"]), row["direction"], row["sender"], row["subject"], row["full_text"])
            }
        }
    }
}
