import Foundation

/// `casedesk ingest`: contacts from a relay (chat, SMS, WhatsApp, social) as JSON
/// Lines, one contact a line, each line filed in its own transaction (all or nothing),
/// threaded and deduplicated exactly like mail.
public enum Ingest {
    public struct Line: Decodable {
        public struct Person: Decodable {
            var name: String?
            var email: String?
            var phone: String?
            var handle: String?
        }
        var channel: String?
        var customer: Person?
        var text: String?
        var externalId: String?
        var caseId: Int64?
        var at: String?
        var subject: String?
        var replyTo: [String]?

        /// The keys as the relay writes them, so an error names `external_id`, not `externalId`.
        enum CodingKeys: String, CodingKey {
            case channel, customer, text, externalId = "external_id", caseId = "case_id", at, subject, replyTo = "reply_to"
        }
    }

    /// `customer.email`, `reply_to[2]`: where in the line a value is, as the relay wrote it.
    static func keyPath(_ path: [CodingKey]) -> String {
        path.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }

    /// The case channel for a relay's channel name.
    public static func channel(for name: String) -> Channel? {
        switch name.lowercased() {
        case "sms", "mms", "text", "mobile": .mobile
        case "whatsapp", "chat", "telegram", "signal", "messenger", "livechat": .chat
        case "social", "twitter", "x", "facebook", "instagram", "mastodon", "bluesky", "linkedin": .social
        case "web", "form": .web
        case "email", "mail": .email
        default: nil
        }
    }

    /// Reads one line into a contact, or says what is wrong with it (no prefix).
    public static func contact(_ json: String, team: String?) throws -> InboundContact {
        let line: Line
        do {
            line = try JSONDecoder().decode(Line.self, from: Data(json.utf8))
        } catch DecodingError.typeMismatch(_, let ctx) where !ctx.codingPath.isEmpty {
            throw CaseError.invalid("\"\(keyPath(ctx.codingPath))\" has the wrong type")
        } catch DecodingError.valueNotFound(_, let ctx) where !ctx.codingPath.isEmpty {
            throw CaseError.invalid("\"\(keyPath(ctx.codingPath))\" has the wrong type")
        } catch {
            throw CaseError.invalid("not a JSON object")
        }
        guard let channelName = line.channel?.trimmingBlanks(newlines: false), !channelName.isEmpty else { throw CaseError.invalid("missing \"channel\"") }
        guard let channel = channel(for: channelName) else {
            throw CaseError.invalid("unknown channel \"\(MailText.clean(String(channelName.prefix(40))))\" (sms, whatsapp, chat, social, twitter, facebook, instagram, web, email)")
        }
        guard let text = line.text.map(MailText.clean)?.trimmingBlanks(), !text.isEmpty else {
            throw CaseError.invalid("missing \"text\"")
        }
        guard let externalId = line.externalId?.trimmingBlanks(newlines: false), !externalId.isEmpty, externalId.count <= 500 else {
            throw CaseError.invalid("missing \"external_id\"")
        }
        let person = line.customer
        let email = person?.email.map { $0.trimmingBlanks(newlines: false).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        if let email, !MailAddress.isAddress(email) { throw CaseError.invalid("customer.email \"\(MailText.clean(String(email.prefix(80))))\" is not an address") }
        let phone = person?.phone.map(MailText.clean).flatMap { $0.isEmpty ? nil : $0 }
        let handle = person?.handle.map(MailText.clean).flatMap { $0.isEmpty ? nil : $0 }
        let name = person?.name.map(MailText.clean).flatMap { $0.isEmpty ? nil : $0 }
        guard let who = name ?? handle ?? email ?? phone else {
            throw CaseError.invalid("\"customer\" needs an email, phone or handle")
        }
        var at: Date?
        if let text = line.at {
            guard let parsed = ISO8601DateFormatter().date(from: text) else { throw CaseError.invalid("\"at\" is not an ISO 8601 time: \(MailText.clean(String(text.prefix(40))))") }
            at = parsed
        }
        let sender = [name, handle, email, phone].compactMap { $0 }.first.map { first in
            [first] + [handle, email, phone].compactMap { $0 }.filter { $0 != first }.prefix(1)
        }.map { parts in parts.count > 1 ? "\(parts[0]) (\(parts[1]))" : parts[0] } ?? who
        let subject = line.subject.map(MailText.clean) ?? String(text.split(separator: "\n").first?.prefix(80) ?? "")
        return InboundContact(channel: channel, channelName: channelName.lowercased(), externalId: externalId, caseId: line.caseId,
                              replyTo: line.replyTo ?? [], customerName: who, email: email, phone: phone, sender: sender,
                              subject: subject, text: CaseStore.cap(text, 20_000), fullText: text, at: at, team: team)
    }
}

extension CaseStore {
    /// Files one contact as the gateway. An explicit `case_id` that does not exist is an error.
    public func ingest(_ contact: InboundContact, as login: String) throws -> FilingOutcome {
        try write { db in
            let gateway = try Self.gatewayUser(db, login: login)
            if let id = contact.caseId, try Bool.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [id]) != true {
                throw CaseError.invalid("\"case_id\" \(id) names no case")
            }
            return try file(db, contact, gateway: gateway, calendar: BusinessCalendar(try Self.businessHours(db)), dedupeChannel: contact.channelName)
        }
    }
}
