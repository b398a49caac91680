import Foundation
import GRDB

/// A message the gateway could not read, kept whole.
public struct QuarantinedMail: Equatable, Sendable {
    public var id: Int64
    public var at: Date
    public var reason: String
    public var size: Int
    public var filedCaseId: Int64?
}

extension CaseStore {
    static func quarantine(_ db: Database, _ raw: [UInt8], reason: String, at: Date) throws -> Int64 {
        try db.execute(sql: "INSERT INTO mail_quarantine(at, reason, raw) VALUES (?,?,?)",
                       arguments: [at.timeIntervalSince1970, reason, Data(raw)])
        return db.lastInsertedRowID
    }

    /// The quarantine holds whole messages from anyone, unread by any rule: only the
    /// gateway and admins (`fileContacts`) list, show or retry it, one rule for the three.
    public func quarantined(as login: String) throws -> [QuarantinedMail] {
        try read { db in
            _ = try Self.gatewayUser(db, login: login)
            return try Row.fetchAll(db, sql: "SELECT id, at, reason, length(raw) AS size, filed_case_id FROM mail_quarantine ORDER BY id").map {
                QuarantinedMail(id: $0["id"], at: Date(timeIntervalSince1970: $0["at"]), reason: $0["reason"], size: $0["size"],
                                filedCaseId: $0["filed_case_id"])
            }
        }
    }

    /// The message as it arrived.
    public func quarantinedMessage(_ id: Int64, as login: String) throws -> (QuarantinedMail, [UInt8]) {
        try read { db in
            _ = try Self.gatewayUser(db, login: login)
            guard let row = try Row.fetchOne(db, sql: "SELECT id, at, reason, raw, filed_case_id FROM mail_quarantine WHERE id = ?", arguments: [id]) else {
                throw CaseError.invalid("no quarantined message \(id) (see casedesk mail quarantine list)")
            }
            let raw = [UInt8](row["raw"] as Data)
            return (QuarantinedMail(id: id, at: Date(timeIntervalSince1970: row["at"]), reason: row["reason"], size: raw.count,
                                    filedCaseId: row["filed_case_id"]), raw)
        }
    }

    /// Reads a quarantined message again (after a fix, or with `sender` naming who sent
    /// it when its header has no address); filed, it leaves the quarantine list's open part.
    public func retryQuarantined(_ id: Int64, as login: String, sender: String? = nil, team: String? = nil) throws -> MailDeliveryResult {
        let (item, raw) = try quarantinedMessage(id, as: login)
        if let filed = item.filedCaseId { return .filed(.duplicate(caseId: filed)) }
        let bytes = try Self.withSender(raw, sender, id: id)
        let gateway = try read { db in try Self.gatewayUser(db, login: login) }
        let parsed: ParsedMail
        do { parsed = try MailParser.parse(bytes) } catch let error as MailParseError {
            return .quarantined(id: id, reason: error.description)
        }
        let result = try file(parsed, raw: bytes, gateway: gateway, team: team)
        if case .filed(let outcome) = result {
            try write { db in
                try db.execute(sql: "UPDATE mail_quarantine SET filed_case_id = ? WHERE id = ?", arguments: [outcome.caseId, id])
            }
        }
        return result
    }

    /// The message with `From: sender` added to its header. A message with no header fields
    /// gets the empty line that ends a header too, so its text stays its body. An empty
    /// message has nothing to file.
    static func withSender(_ raw: [UInt8], _ sender: String?, id: Int64) throws -> [UInt8] {
        var headerless = false
        do { _ = try MailParser.parse(raw) } catch MailParseError.empty {
            throw CaseError.invalid("quarantined message \(id) is empty: there is nothing to file")
        } catch MailParseError.noHeader { headerless = true } catch {}
        guard let sender else { return raw }
        guard !sender.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), MailAddress.parse(sender) != nil else {
            throw CaseError.invalid("--from needs an address, not '\(sender)'")
        }
        return Array("From: \(sender)\r\n\(headerless ? "\r\n" : "")".utf8) + raw
    }
}
