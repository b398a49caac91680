import Foundation
import GRDB

/// The outgoing message for an outbox row: From the team's address (`fromAddress`), To the customer,
/// the subject with its tag, Message-ID, In-Reply-To/References to the customer's
/// last message, and UTF-8 MIME for any script.
enum MailComposer {
    /// Nil when neither the team's address nor `mail.from` is set.
    static func compose(_ db: Database, outboxRow row: Row, now: Date) throws -> [UInt8]? {
        let caseId: Int64 = row["case_id"]
        guard let from = try CaseStore.fromAddress(db, caseId: caseId) else { return nil }
        let tag = try CaseStore.settingOrDefault(db, "mail.subject_tag") ?? "CaseDesk"
        let info = try Row.fetchOne(db, sql: """
            SELECT c.subject, cu.name FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?
            """, arguments: [caseId])!
        let ids = try Row.fetchAll(db, sql: """
            SELECT external_id, direction, subject FROM channel_messages WHERE case_id = ? AND channel = 'email' AND event_id < ? ORDER BY id
            """, arguments: [caseId, row["event_id"] as Int64])
        let lastIn = ids.last { ($0["direction"] as String) == "in" }
        let lastSubject: String? = lastIn?["subject"]
        let caseSubject: String = info["subject"]
        var subject = lastSubject.flatMap { $0.isEmpty ? nil : $0 } ?? caseSubject
        if lastIn != nil, !subject.lowercased().hasPrefix("re:") { subject = "Re: " + subject }
        subject = SubjectTag.tagged(subject, tag: tag, caseId: caseId)
        let customerName: String = info["name"], toAddress: String = row["to_addr"] ?? ""
        let to = MailAddress(name: customerName, address: toAddress)
        var lines = [
            "From: \(address(from))",
            "To: \(address(to))",
            "Subject: \(TransferEncoding.encodeHeader(subject))",
            "Date: \(rfc5322Date(now))",
            "Message-ID: <\(row["message_id"] as String)>",
        ]
        if let lastIn { lines.append("In-Reply-To: <\(lastIn["external_id"] as String)>") }
        let references = ids.suffix(10).map { "<\($0["external_id"] as String)>" }
        if !references.isEmpty { lines.append("References: " + references.joined(separator: "\r\n ")) }
        lines += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "X-Loop: \(from.address)",
            "X-CaseDesk-Case: \(caseId)",
            "",
            TransferEncoding.quotedPrintableEncode(row["body"]),
        ]
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func address(_ a: MailAddress) -> String {
        guard let name = a.name, !name.isEmpty else { return "<\(a.address)>" }
        let clean = name.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let needsQuotes = clean.contains { "()<>[]:;@\\,.\"".contains($0) }
            return needsQuotes ? "\"\(clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" <\(a.address)>"
                               : "\(clean) <\(a.address)>"
        }
        return "\(TransferEncoding.encodeHeader(clean)) <\(a.address)>"
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
