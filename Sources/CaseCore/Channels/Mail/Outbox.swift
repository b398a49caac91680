import Foundation
import GRDB

/// Where a response sent by mail stands.
public struct ResponseDelivery: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable { case queued, sending, sent, failed }
    public var state: State
    public var to: String?
    public var attempts: Int
    public var error: String?
    /// When `mail flush` tries again; nil after success or once it has given up.
    public var nextAttemptAt: Date?
    public var sentAt: Date?

    /// "queued", "sent", "failed: connection refused (retry 3 at 14:05)".
    public func text(zone: TimeZone = .current) -> String {
        switch state {
        case .queued, .sending: return state.rawValue
        case .sent: return "sent"
        case .failed:
            let retry = nextAttemptAt.map { " · retry \(attempts + 1) at \(DateText.format($0, "HH:mm", zone))" } ?? " · gave up"
            return "failed: \(error ?? "unknown error")\(retry)"
        }
    }
}

/// One row of `casedesk mail outbox`.
public struct OutboxItem: Equatable, Sendable {
    public var id: Int64
    public var caseId: Int64
    public var eventId: Int64
    public var messageId: String
    public var delivery: ResponseDelivery
    public var createdAt: Date
}

/// The outbox: a response on an email case is queued in the response's own
/// transaction, and sent after commit by `mail flush` through the sendmail command.
extension CaseStore {
    /// Seconds to wait after the nth failed attempt; after the last, it gives up.
    static let retryDelays: [Double] = [60, 300, 900, 3_600, 4 * 3_600, 12 * 3_600, 24 * 3_600]

    /// Queues a response for mail if the case's channel is email. True when queued.
    static func enqueueResponse(_ db: Database, caseId: Int64, eventId: Int64, text: String, at: Date) throws -> Bool {
        let row = try Row.fetchOne(db, sql: """
            SELECT c.channel, cu.email FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?
            """, arguments: [caseId])
        guard let row, (row["channel"] as String) == Channel.email.rawValue else { return false }
        let email: String? = row["email"]
        let domain = try fromAddress(db, caseId: caseId).map { String($0.address.split(separator: "@").last ?? "") }
        let random = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let messageId = "casedesk.\(caseId).\(eventId).\(random)@\(domain.flatMap { $0.isEmpty ? nil : $0 } ?? "casedesk.invalid")"
        let hasAddress = email.map { MailAddress.parse($0) != nil } ?? false
        try db.execute(sql: """
            INSERT INTO outbox(case_id, event_id, message_id, to_addr, body, status, next_attempt_at, last_error, created_at)
            VALUES (?,?,?,?,?,?,?,?,?)
            """, arguments: [caseId, eventId, messageId, email, text, hasAddress ? "queued" : "failed",
                             hasAddress ? at.timeIntervalSince1970 : nil,
                             hasAddress ? nil : "the customer has no email address", at.timeIntervalSince1970])
        try db.execute(sql: """
            INSERT INTO channel_messages(channel, external_id, case_id, event_id, direction, subject, full_text, at)
            VALUES ('email', ?, ?, ?, 'out', NULL, ?, ?)
            """, arguments: [messageId, caseId, eventId, text, at.timeIntervalSince1970])
        return hasAddress
    }

    /// A timeline line for each change in a response's delivery: the audit, and what tells
    /// every open desk to look again.
    @discardableResult
    static func appendDeliveryLine(_ db: Database, caseId: Int64, responseEventId: Int64, to: String?, actor: Int64, at: Date) throws -> Int64 {
        let state = try deliveries(db, caseId: caseId)[responseEventId]
        return try append(db, caseId: caseId, actor: actor, at: at,
                          EventDraft(kind: .delivery, field: String(responseEventId), new: state?.state.rawValue,
                                     body: "mail to \(to ?? "?"): \(state?.text() ?? "?")"))
    }

    static func deliveries(_ db: Database, caseId: Int64) throws -> [Int64: ResponseDelivery] {
        var out: [Int64: ResponseDelivery] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE case_id = ?", arguments: [caseId]) {
            out[row["event_id"]] = try delivery(row)
        }
        return out
    }

    private static func delivery(_ row: Row) throws -> ResponseDelivery {
        try ResponseDelivery(state: row.value("status", of: "outbox"), to: row["to_addr"], attempts: row["attempts"],
                         error: row["last_error"], nextAttemptAt: (row["next_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                         sentAt: (row["sent_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// The outbox, newest first; `pending`: only what is not sent yet.
    public func outbox(pending: Bool = false, limit: Int = 100) throws -> [OutboxItem] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox \(pending ? "WHERE status != 'sent'" : "") ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map {
                try OutboxItem(id: $0["id"], caseId: $0["case_id"], eventId: $0["event_id"], messageId: $0["message_id"],
                           delivery: Self.delivery($0), createdAt: Date(timeIntervalSince1970: $0["created_at"]))
            }
        }
    }

    /// What `mail flush` did.
    public struct FlushReport: Equatable, Sendable {
        public var sent = 0
        public var failed = 0
    }

    /// Sends every due message through `mail.sendmail`, one at a time: each is claimed
    /// in a short transaction (so two flushes never send the same one), sent with no
    /// transaction open, and marked sent or failed (retried later with backoff).
    /// `retryNow`: failed messages are due at once, even those given up on.
    public func flushOutbox(as login: String, retryNow: Bool = false,
                            send: (_ command: String, _ message: [UInt8]) -> String? = { SendmailCommand.run($0, $1) }) throws -> FlushReport {
        // Anyone may flush: it only sends what is queued (a desk starts one after a response).
        let gateway = try read { db in try Self.user(db, login: login) }
        if retryNow {
            try write { db in
                try db.execute(sql: "UPDATE outbox SET next_attempt_at = ? WHERE status = 'failed' AND to_addr IS NOT NULL",
                               arguments: [now().timeIntervalSince1970])
            }
        }
        var report = FlushReport()
        while let (row, message, command) = try claimNext() {
            let id: Int64 = row["id"]
            let error: String? = command == nil
                ? "mail.sendmail is not set (casedesk settings set mail.sendmail \"/usr/sbin/sendmail -t -i\")"
                : message == nil ? "mail.from is not set (casedesk settings set mail.from \"Support <help@example.com>\")"
                : send(command!, message!)
            try write { db in
                let at = now().timeIntervalSince1970
                // Only while still `sending`: a bounce that came back meanwhile has the last word.
                if let error {
                    let attempts: Int = try Int.fetchOne(db, sql: "SELECT attempts FROM outbox WHERE id = ?", arguments: [id]) ?? 1
                    let next = attempts <= Self.retryDelays.count ? at + Self.retryDelays[attempts - 1] : nil
                    try db.execute(sql: "UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending'",
                                   arguments: [String(error.prefix(500)), next, id])
                    report.failed += 1
                } else {
                    try db.execute(sql: "UPDATE outbox SET status = 'sent', last_error = NULL, next_attempt_at = NULL, sent_at = ? WHERE id = ? AND status = 'sending'",
                                   arguments: [at, id])
                    report.sent += 1
                }
                guard db.changesCount > 0 else { return }
                try Self.appendDeliveryLine(db, caseId: row["case_id"], responseEventId: row["event_id"], to: row["to_addr"],
                                            actor: gateway.id, at: Date(timeIntervalSince1970: at))
            }
        }
        return report
    }

    /// Claims the next due message: status `sending`, leased for 10 minutes (a flush
    /// killed mid-send leaves it to be sent again after that: at least once).
    private func claimNext() throws -> (Row, [UInt8]?, String?)? {
        try write { db in
            let at = now().timeIntervalSince1970
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM outbox WHERE status != 'sent' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?
                ORDER BY next_attempt_at, id LIMIT 1
                """, arguments: [at]) else { return nil }
            try db.execute(sql: "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
                           arguments: [at + 600, row["id"] as Int64])
            let command = try Self.settingOrDefault(db, "mail.sendmail")
            let message = try MailComposer.compose(db, outboxRow: row, now: now())
            return (row, message, command)
        }
    }
}
