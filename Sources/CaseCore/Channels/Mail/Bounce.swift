import Foundation
import GRDB

/// A bounce: a delivery status notification (RFC 3464, `multipart/report;
/// report-type=delivery-status`) or a mailer-daemon's message saying that mail could not
/// be delivered. It names the message it returns (the Message-ID in the returned header,
/// or its own In-Reply-To and References) and says why.
struct Bounce: Equatable {
    /// Ids of the message it may be about, the likeliest first.
    var messageIds: [String]
    var reason: String

    static let daemons: Set<String> = ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"]

    /// Nil when the mail is not a bounce, names no message, or only says that delivery is
    /// delayed (the mail server is still trying).
    static func read(_ mail: ParsedMail) -> Bounce? {
        let type = mail.headers.first("Content-Type").map(HeaderValue.init)
        let report = type?.value == "multipart/report" && type?.parameters["report-type"]?.lowercased() == "delivery-status"
        guard report || daemons.contains(mail.from?.localPart ?? "") else { return nil }
        var ids: [String] = [], diagnostic: String?
        for part in mail.attachments {
            switch part.contentType {
            case "message/delivery-status", "message/global-delivery-status":
                let fields = MailHeaders.parse(part.data, 0..<part.data.count)
                let actions = fields.all("Action").map { $0.lowercased() }
                if !actions.isEmpty, !actions.contains("failed") { return nil }   // delayed, relayed, delivered
                diagnostic = Self.diagnostic(fields)
            case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers", "message/global-headers":
                ids += MessageIds.parse(MailParser.Entity(part.data, 0..<part.data.count).headers.first("Message-ID"))
            default:
                continue
            }
        }
        // A plain-text bounce quotes the returned header in its text.
        if ids.isEmpty { ids += quotedMessageIds(mail.text) }
        ids += mail.inReplyTo + mail.references.reversed()
        guard !ids.isEmpty else { return nil }
        let why = diagnostic ?? smtpReply(mail.text) ?? (mail.subject.isEmpty ? "returned by \(mail.from?.address ?? "the mail system")" : mail.subject)
        return Bounce(messageIds: ids, reason: "bounced: " + String(why.prefix(400)))
    }

    /// "550 5.1.1 <ann@example.com>: User unknown", with the recipient when the code does not name it.
    static func diagnostic(_ f: MailHeaders) -> String? {
        let recipient = (f.first("Final-Recipient") ?? f.first("Original-Recipient")).map(afterType)
        guard let code = f.first("Diagnostic-Code").map(afterType) ?? f.first("Status").map({ "status \($0)" }) else {
            return recipient.map { "could not be delivered to \($0)" }
        }
        guard let recipient, !recipient.isEmpty, !code.lowercased().contains(recipient.lowercased()) else { return code }
        return "\(code) (\(recipient))"
    }

    /// "smtp; 550 …" → "550 …": RFC 3464 fields start with their type.
    static func afterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmingBlanks() }
        return value[value.index(after: semicolon)...].trimmingBlanks()
    }

    /// The first line carrying an SMTP error reply (4xx or 5xx), as mailers quote it.
    static func smtpReply(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            let s = Array(line.utf8)
            for i in 0..<max(0, s.count - 3) where (s[i] == 0x34 || s[i] == 0x35) && (i == 0 || !(0x30...0x39).contains(s[i - 1]))
                && (0x30...0x39).contains(s[i + 1]) && (0x30...0x39).contains(s[i + 2]) && (s[i + 3] == 0x20 || s[i + 3] == 0x2D) {
                return line.trimmingBlanks()
            }
        }
        return nil
    }

    static func quotedMessageIds(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> [String]? in
            let t = line.trimmingBlanks()
            guard t.lowercased().hasPrefix("message-id:") else { return nil }
            return MessageIds.parse(String(t.dropFirst("message-id:".count)))
        }.flatMap { $0 }
    }
}

extension CaseStore {
    /// The response a bounce returns, found by the ids CaseDesk gave the mail it sent.
    static func bouncedResponse(_ db: Database, _ bounce: Bounce) throws -> (outboxId: Int64, caseId: Int64, eventId: Int64, to: String?)? {
        let statement = try db.cachedStatement(sql: """
            SELECT o.id, o.case_id, o.event_id, o.to_addr FROM channel_messages m JOIN outbox o ON o.event_id = m.event_id
            WHERE m.channel = 'email' AND m.direction = 'out' AND m.external_id = ?
            """)
        for id in bounce.messageIds.prefix(50) {
            if let row = try Row.fetchOne(statement, arguments: [id]) { return (row[0], row[1], row[2], row[3]) }
        }
        return nil
    }

    /// Marks the returned response failed with the bounce's reason (no more retries: it
    /// would come back again), says so on its case's timeline, and keeps the bounce with
    /// the case's messages. A bounce read before changes nothing.
    static func recordBounce(_ db: Database, _ bounce: Bounce, externalId: String, sender: String, subject: String, text: String,
                             gateway: User, at: Date) throws -> MailDeliveryResult? {
        guard let response = try bouncedResponse(db, bounce) else { return nil }
        if try Int64.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM channel_messages WHERE channel = 'email' AND external_id = ?"),
                              arguments: [externalId]) != nil {
            return .bounced(caseId: response.caseId, reason: bounce.reason)
        }
        try db.execute(sql: "UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ?",
                       arguments: [bounce.reason, response.outboxId])
        let line = try appendDeliveryLine(db, caseId: response.caseId, responseEventId: response.eventId, to: response.to, actor: gateway.id, at: at)
        try db.execute(sql: """
            INSERT INTO channel_messages(channel, external_id, case_id, event_id, direction, sender, subject, full_text, at)
            VALUES ('email', ?, ?, ?, 'in', ?, ?, ?, ?)
            """, arguments: [externalId, response.caseId, line, sender, subject, text, at.timeIntervalSince1970])
        return .bounced(caseId: response.caseId, reason: bounce.reason)
    }
}
