import Foundation
import GRDB

/// What `mail deliver` did with a message.
public enum MailDeliveryResult: Equatable, Sendable {
    case filed(FilingOutcome)
    /// An auto-reply, bounce, bulk mail or our own mail come back: not filed, not answered.
    case dropped(reason: String)
    /// A bounce of a response CaseDesk sent: that response is marked failed with the
    /// reason. No case is opened and nothing is answered.
    case bounced(caseId: Int64, reason: String)
    /// It could not be read at all: kept whole in the quarantine with the reason.
    case quarantined(id: Int64, reason: String)
}

/// A failure the mail server should retry later (EX_TEMPFAIL): the database busy past
/// its timeout, the disk full. Nothing was written.
public struct TemporaryFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// Whether an error is one a later retry can get past.
    public static func isTemporary(_ error: Error) -> Bool {
        if error is TemporaryFailure { return true }
        if let db = error as? DatabaseError {
            return [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_PROTOCOL].contains(db.resultCode)
        }
        return false
    }
}

extension CaseStore {
    /// Where attachments live: a folder beside the database, one file per SHA-256.
    public var attachmentDirectory: String { path + ".attachments" }

    /// Files one RFC 5322 message as the gateway: threads it, or opens a case, or drops
    /// it (auto-replies, bounces, bulk, loops), or quarantines it when it cannot be read.
    public func deliverMail(_ raw: [UInt8], as login: String, team: String? = nil) throws -> MailDeliveryResult {
        try deliverMails([raw], as: login, team: team)[0]
    }

    /// Files several messages in one transaction (a Maildir batch): all of them or, on a
    /// database error, none. Parsing and attachments happen before it opens.
    public func deliverMails(_ raws: [[UInt8]], as login: String, team: String? = nil) throws -> [MailDeliveryResult] {
        let (gateway, settings) = try read { db in (try Self.gatewayUser(db, login: login), try MailSettingsSnapshot(db)) }
        var plans: [Plan] = []
        for raw in raws {
            do {
                plans.append(try plan(try MailParser.parse(raw), raw: raw, settings: settings, team: team))
            } catch let error as MailParseError {
                plans.append(.quarantine(raw, error.description))
            }
        }
        return try write { db in
            let calendar = BusinessCalendar(try Self.businessHours(db))
            return try plans.map { try commit(db, $0, gateway: gateway, calendar: calendar) }
        }
    }

    /// What a message will become, decided before the transaction.
    enum Plan {
        case file(InboundContact, [(MailAttachment, String?, String?)])
        case drop(String)
        /// A bounce: recorded on the response it returns, if CaseDesk sent one; else dropped.
        case bounce(Bounce, InboundContact, dropReason: String)
        case quarantine([UInt8], String)
    }

    struct MailSettingsSnapshot {
        var tag: String, ours: Set<String>, limitMB: Int
        init(_ db: Database) throws {
            tag = try CaseStore.settingOrDefault(db, "mail.subject_tag") ?? "CaseDesk"
            ours = try CaseStore.ourAddresses(db)
            limitMB = Int(try CaseStore.settingOrDefault(db, "mail.attachment_limit_mb") ?? "10") ?? 10
        }
    }

    func file(_ mail: ParsedMail, raw: [UInt8], gateway: User, team: String?) throws -> MailDeliveryResult {
        let settings = try read { db in try MailSettingsSnapshot(db) }
        let p = try plan(mail, raw: raw, settings: settings, team: team)
        return try write { db in try commit(db, p, gateway: gateway, calendar: BusinessCalendar(try Self.businessHours(db))) }
    }

    func plan(_ mail: ParsedMail, raw: [UInt8], settings: MailSettingsSnapshot, team: String?) throws -> Plan {
        if let why = mail.automatic {
            guard let bounce = Bounce.read(mail) else { return .drop(why) }
            return .bounce(bounce, contact(mail, raw: raw, settings: settings, text: mail.text, team: nil), dropReason: why)
        }
        if let from = mail.from?.address, settings.ours.contains(from) { return .drop("from our own address \(from) (a mail loop)") }
        let loops = mail.headers.all("X-Loop").map { $0.lowercased() }
        if let ours = settings.ours.first(where: { ours in loops.contains { $0.contains(ours) } }) {
            return .drop("X-Loop names our address \(ours) (a mail loop)")
        }
        // Attachments first, outside the transaction: content-addressed, so a file left
        // by a run that then failed is harmless and the retry finds it in place.
        let limitMB = settings.limitMB
        let limit = limitMB * 1_048_576
        var kept: [(MailAttachment, String?, String?)] = []
        for a in mail.attachments {
            if a.size > limit {
                kept.append((a, nil, "not kept: over the \(limitMB) MB limit"))
            } else {
                kept.append((a, try AttachmentStore(directory: attachmentDirectory).put(a.data), nil))
            }
        }
        let (fresh, folded) = MailText.foldQuotes(mail.text)
        var line = fresh.isEmpty ? (mail.attachments.isEmpty ? "(no text)" : "") : Self.cap(fresh, 20_000)
        if folded > 0 { line += (line.isEmpty ? "" : "\n") + "[\(folded) quoted line\(folded == 1 ? "" : "s") folded away]" }
        if mail.truncated { line += (line.isEmpty ? "" : "\n") + "[the message was cut off: what arrived is kept]" }
        for (a, _, note) in kept {
            line += (line.isEmpty ? "" : "\n") + "attachment: \(a.filename) · \(a.contentType) · \(ByteCount.text(a.size))\(note.map { " · \($0)" } ?? "")"
        }
        return .file(contact(mail, raw: raw, settings: settings, text: line, team: team), kept)
    }

    /// The message as a contact: its id (Message-ID, else the content's hash), what threads it, who sent it.
    func contact(_ mail: ParsedMail, raw: [UInt8], settings: MailSettingsSnapshot, text: String, team: String?) -> InboundContact {
        let from = mail.from!
        return InboundContact(
            channel: .email, channelName: "email",
            externalId: mail.messageId ?? "sha256:" + SHA256.hex(raw),
            caseId: SubjectTag.caseId(in: mail.subject, tag: settings.tag),
            replyTo: mail.inReplyTo + mail.references.reversed(),
            customerName: from.name ?? from.localPart, email: from.address, sender: from.display,
            subject: mail.subject, text: text, fullText: Self.cap(mail.text, 5_000_000), team: team)
    }

    func commit(_ db: Database, _ plan: Plan, gateway: User, calendar: BusinessCalendar) throws -> MailDeliveryResult {
        switch plan {
        case .drop(let why):
            return .dropped(reason: why)
        case .bounce(let bounce, let c, let why):
            return try Self.recordBounce(db, bounce, externalId: c.externalId, sender: c.sender, subject: c.subject, text: c.fullText,
                                         gateway: gateway, at: now()) ?? .dropped(reason: why)
        case .quarantine(let raw, let reason):
            return .quarantined(id: try Self.quarantine(db, raw, reason: reason, at: now()), reason: reason)
        case .file(let contact, let kept):
            let outcome = try file(db, contact, gateway: gateway, calendar: calendar, dedupeChannel: "email")
            if case .filed(let caseId, let eventId, _, _) = outcome {
                for (a, sha, note) in kept {
                    try db.execute(sql: """
                        INSERT INTO attachments(case_id, event_id, filename, content_type, size, sha256, note) VALUES (?,?,?,?,?,?,?)
                        """, arguments: [caseId, eventId, a.filename, a.contentType, a.size, sha, note])
                }
            }
            return .filed(outcome)
        }
    }

    static func cap(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n)) + "\n[… cut at \(n) characters]"
    }
}

/// `[Acme #1234]` in a subject.
public enum SubjectTag {
    public static func caseId(in subject: String, tag: String) -> Int64? {
        let s = Array(subject.lowercased()), t = Array("[" + tag.lowercased())
        guard t.count > 1, s.count > t.count else { return nil }
        var i = 0
        while i + t.count < s.count {
            if Array(s[i..<(i + t.count)]) == t {
                var j = i + t.count
                while j < s.count, s[j] == " " { j += 1 }
                if j < s.count, s[j] == "#" {
                    j += 1
                    var digits = ""
                    while j < s.count, s[j].isASCII, s[j].isNumber, digits.count < 18 { digits.append(s[j]); j += 1 }
                    if j < s.count, s[j] == "]", let id = Int64(digits) { return id }
                }
            }
            i += 1
        }
        return nil
    }

    public static func tagged(_ subject: String, tag: String, caseId: Int64) -> String {
        let mark = "[\(tag) #\(caseId)]"
        if SubjectTag.caseId(in: subject, tag: tag) == caseId { return subject }
        return "\(mark) \(subject)"
    }
}

/// "12 KB", "20.0 MB".
public enum ByteCount {
    public static func text(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1_048_576 { return "\((n + 512) / 1024) KB" }
        return String(format: "%.1f MB", Double(n) / 1_048_576)
    }
}
