import Foundation
import GRDB

/// What `mail deliver` did with a message.
public enum MailDeliveryResult: Equatable, Sendable {
    case filed(FilingOutcome)
    /// An auto-reply, bounce, bulk mail or our own mail come back: not filed, not answered.
    case dropped(reason: String)
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
        let gateway = try read { db in try Self.gatewayUser(db, login: login) }
        let parsed: ParsedMail
        do {
            parsed = try MailParser.parse(raw)
        } catch let error as MailParseError {
            let id = try quarantine(raw, reason: error.description)
            return .quarantined(id: id, reason: error.description)
        }
        return try file(parsed, raw: raw, gateway: gateway, team: team)
    }

    func file(_ mail: ParsedMail, raw: [UInt8], gateway: User, team: String?) throws -> MailDeliveryResult {
        if let why = mail.automatic { return .dropped(reason: why) }
        let (tag, fromSetting, limitMB) = try read { db in
            (try Self.settingOrDefault(db, "mail.subject_tag") ?? "CaseDesk", try Self.settingOrDefault(db, "mail.from"),
             Int(try Self.settingOrDefault(db, "mail.attachment_limit_mb") ?? "10") ?? 10)
        }
        if let ours = fromSetting.flatMap(MailAddress.parse)?.address, let from = mail.from?.address {
            if from == ours { return .dropped(reason: "from our own address \(ours) (a mail loop)") }
            if mail.headers.all("X-Loop").contains(where: { $0.lowercased().contains(ours) }) {
                return .dropped(reason: "X-Loop names our address \(ours) (a mail loop)")
            }
        }
        // Attachments first, outside the transaction: content-addressed, so a file left
        // by a run that then failed is harmless and the retry finds it in place.
        let limit = limitMB * 1_048_576
        var kept: [(MailAttachment, String?, String?)] = []
        for a in mail.attachments {
            if a.size > limit {
                kept.append((a, nil, "not kept: over the \(limitMB) MB limit"))
            } else {
                kept.append((a, try AttachmentStore(directory: attachmentDirectory).put(a.data), nil))
            }
        }
        let from = mail.from!
        let (fresh, folded) = MailText.foldQuotes(mail.text)
        var line = fresh.isEmpty ? (mail.attachments.isEmpty ? "(no text)" : "") : Self.cap(fresh, 20_000)
        if folded > 0 { line += (line.isEmpty ? "" : "\n") + "[\(folded) quoted line\(folded == 1 ? "" : "s") folded away]" }
        if mail.truncated { line += (line.isEmpty ? "" : "\n") + "[the message was cut off: what arrived is kept]" }
        for (a, _, note) in kept {
            line += (line.isEmpty ? "" : "\n") + "attachment: \(a.filename) · \(a.contentType) · \(ByteCount.text(a.size))\(note.map { " · \($0)" } ?? "")"
        }
        let contact = InboundContact(
            channel: .email, channelName: "email",
            externalId: mail.messageId ?? "sha256:" + SHA256.hex(raw),
            caseId: SubjectTag.caseId(in: mail.subject, tag: tag),
            replyTo: mail.inReplyTo + mail.references.reversed(),
            customerName: from.name ?? from.localPart, email: from.address, sender: from.display,
            subject: mail.subject, text: line, fullText: Self.cap(mail.text, 5_000_000), team: team)
        let outcome = try write { db in
            let outcome = try file(db, contact, gateway: gateway, dedupeChannel: "email")
            if case .filed(let caseId, let eventId, _, _) = outcome {
                for (a, sha, note) in kept {
                    try db.execute(sql: """
                        INSERT INTO attachments(case_id, event_id, filename, content_type, size, sha256, note) VALUES (?,?,?,?,?,?,?)
                        """, arguments: [caseId, eventId, a.filename, a.contentType, a.size, sha, note])
                }
            }
            return outcome
        }
        return .filed(outcome)
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
