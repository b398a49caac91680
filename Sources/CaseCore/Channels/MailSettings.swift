import Foundation
import GRDB

/// The settings `casedesk settings` shows and an admin sets: what each means, its
/// default, and what a valid value looks like.
public struct SettingSpec: Sendable {
    public var key: String
    public var defaultValue: String?
    public var help: String
    let validate: @Sendable (String) -> String?

    public static let all: [SettingSpec] = [
        SettingSpec(key: "mail.sendmail", defaultValue: nil,
                    help: "the sendmail-compatible command that sends responses, reading the message on stdin (e.g. \"/usr/sbin/sendmail -t -i\" or \"msmtp -t\")",
                    validate: { ShellWords.split($0).isEmpty ? "mail.sendmail needs a command" : nil }),
        SettingSpec(key: "mail.from", defaultValue: nil,
                    help: "the team's address responses come from, e.g. \"Acme Support <help@acme.example>\"",
                    validate: { MailAddress.parse($0) == nil ? "mail.from must be an address, e.g. \"Acme Support <help@acme.example>\"" : nil }),
        SettingSpec(key: "mail.subject_tag", defaultValue: "CaseDesk",
                    help: "the tag in subjects: [TAG #1234] threads a reply onto case 1234",
                    validate: { v in
                        v.isEmpty || v.count > 40 || v.contains(where: { "[]#\r\n".contains($0) })
                            ? "mail.subject_tag is 1 to 40 characters without [ ] or #" : nil
                    }),
        SettingSpec(key: "mail.attachment_limit_mb", defaultValue: "10",
                    help: "attachments larger than this many megabytes are listed but not kept",
                    validate: { Int($0).map { (0...1024).contains($0) } == true ? nil : "mail.attachment_limit_mb is a whole number of megabytes, 0 to 1024" }),
    ]

    /// `mail.from.TEAM`: a team's own address. Responses on the team's cases come from it;
    /// other cases' come from `mail.from`.
    public static let teamFromPrefix = "mail.from."

    public static func named(_ key: String) -> SettingSpec? {
        if let spec = all.first(where: { $0.key == key }) { return spec }
        guard key.hasPrefix(teamFromPrefix), key.count > teamFromPrefix.count, let from = all.first(where: { $0.key == "mail.from" }) else { return nil }
        let team = key.dropFirst(teamFromPrefix.count)
        return SettingSpec(key: key, defaultValue: nil, help: "team \(team)'s own address: responses on its cases come from it (else mail.from)",
                           validate: from.validate)
    }

    /// The team a `mail.from.TEAM` key names.
    static func team(in key: String) -> String? {
        key.hasPrefix(teamFromPrefix) && key.count > teamFromPrefix.count ? String(key.dropFirst(teamFromPrefix.count)) : nil
    }
}

extension CaseStore {
    /// A setting's value, or its default.
    public func settingOrDefault(_ key: String) throws -> String? {
        try setting(key) ?? SettingSpec.named(key)?.defaultValue
    }

    static func settingOrDefault(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? SettingSpec.named(key)?.defaultValue
    }

    /// Sets a known setting on an admin's behalf; a wrong key or value is refused.
    public func setSetting(_ key: String, _ value: String, by login: String) throws {
        guard let spec = SettingSpec.named(key) else {
            let known = SettingSpec.all.map(\.key) + [SettingSpec.teamFromPrefix + "TEAM"]
            throw CaseError.invalid("unknown setting '\(key)' (known: \(known.joined(separator: ", ")))")
        }
        if let problem = spec.validate(value) { throw CaseError.invalid(problem) }
        try write { db in
            let actor = try Self.user(db, login: login)
            guard actor.role == .admin else { throw CaseError.notAllowed("only an admin changes settings; \(login) is not one") }
            if let team = SettingSpec.team(in: key) { _ = try Self.team(db, name: team, create: false) }
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }
}

extension CaseStore {
    /// Every setting `casedesk settings list` shows, with its value (nil: not set); the
    /// teams' own From addresses come after `mail.from`.
    public func settingsList() throws -> [(spec: SettingSpec, value: String?)] {
        try read { db in
            var values: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings WHERE key LIKE 'mail.%'") { values[row["key"]] = row["value"] }
            var out: [(spec: SettingSpec, value: String?)] = []
            for spec in SettingSpec.all {
                out.append((spec, values[spec.key]))
                guard spec.key == "mail.from" else { continue }
                for key in values.keys.sorted() where SettingSpec.team(in: key) != nil {
                    if let team = SettingSpec.named(key) { out.append((team, values[key])) }
                }
            }
            return out
        }
    }

    /// The address a response on this case goes out from: its team's own
    /// (`mail.from.TEAM`), else `mail.from`; nil when neither is set.
    static func fromAddress(_ db: Database, caseId: Int64) throws -> MailAddress? {
        if let team = try String.fetchOne(db, sql: "SELECT t.name FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.id = ?", arguments: [caseId]),
           let own = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [SettingSpec.teamFromPrefix + team]),
           let address = MailAddress.parse(own) {
            return address
        }
        return try settingOrDefault(db, "mail.from").flatMap(MailAddress.parse)
    }

    /// Every address CaseDesk sends from (`mail.from` and the teams'), lower-cased: mail
    /// from one of them, or whose X-Loop names one, is a loop.
    static func ourAddresses(_ db: Database) throws -> Set<String> {
        let values = try String.fetchAll(db, sql: "SELECT value FROM settings WHERE key = 'mail.from' OR key LIKE 'mail.from.%'")
        return Set(values.compactMap { MailAddress.parse($0)?.address })
    }
}

/// Splits a command line the way a shell would for simple words: blanks separate,
/// single and double quotes group, a backslash escapes. No expansion, no shell.
public enum ShellWords {
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = "", inWord = false
        var quote: Character?
        var escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; inWord = true; continue }
            if ch == "\\" && quote != "'" { escaped = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "'" || ch == "\"" { quote = ch; inWord = true; continue }
            if ch == " " || ch == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(ch); inWord = true
        }
        if inWord { words.append(current) }
        return words
    }
}
