import Foundation
import GRDB

/// Content packs in the database: call types, resolution codes, scripts, scorecards, hours.
extension CaseStore {
    /// `install` on someone's behalf: content packs are the admins' (`Policy`).
    @discardableResult
    public func install(_ pack: ContentPack, by login: String) throws -> PackChanges {
        try require(login, .manageContent)
        return try install(pack)
    }

    /// The pack as the database holds it now, for `scripts export`.
    public func currentPack() throws -> ContentPack {
        try read { db in
            ContentPack(callTypes: try Self.callTypes(db), resolutionCodes: try Self.resolutionCodes(db),
                        scripts: try String.fetchAll(db, sql: "SELECT body FROM scripts ORDER BY call_type").map(Self.decodeScript),
                        scorecards: try String.fetchAll(db, sql: "SELECT body FROM scorecards ORDER BY id").map {
                            try JSONDecoder().decode(Scorecard.self, from: Data($0.utf8))
                        },
                        businessHours: try Self.businessHours(db), settings: try Self.serviceSettings(db),
                        retentionResolvedAfter: try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [RetentionPeriod.settingKey]))
        }
    }

    public func callTypes() throws -> [CallType] { try read(Self.callTypes) }
    public func resolutionCodes() throws -> [ResolutionCode] { try read(Self.resolutionCodes) }

    /// The script for a call type; a child without its own script follows its parent's.
    public func script(for callType: String) throws -> Script? {
        try read { db in try Self.script(db, for: callType) }
    }

    static func script(_ db: Database, for callType: String) throws -> Script? {
        var code: Substring? = Substring(callType)
        while let c = code {
            if let body = try String.fetchOne(db, sql: "SELECT body FROM scripts WHERE call_type = ?", arguments: [String(c)]) {
                return try decodeScript(body)
            }
            code = c.lastIndex(of: ".").map { c[..<$0] }
        }
        return nil
    }

    static func decodeScript(_ body: String) throws -> Script {
        try JSONDecoder().decode(Script.self, from: Data(body.utf8))
    }

    /// The call types in use (retired ones are kept for their cases, not offered).
    static func callTypes(_ db: Database) throws -> [CallType] {
        try Row.fetchAll(db, sql: "SELECT * FROM call_types WHERE \(PackRetireSchema.liveCallTypes) ORDER BY code").map {
            try CallType(row: $0)
        }
    }

    static func callType(_ db: Database, code: String) throws -> CallType {
        guard let type = try Row.decodeOne(db.cachedStatement(sql: "SELECT * FROM call_types WHERE code = ?"), [code], CallType.init(row:)) else {
            throw CaseError.noSuchCallType(code)
        }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM retired_pack_entries WHERE kind = 'call_type' AND code = ?"), arguments: [code]) == true {
            throw CaseError.invalid("call type '\(code)' is retired (the content pack no longer has it; cases that have it keep it)")
        }
        return type
    }

    static func resolutionCodes(_ db: Database) throws -> [ResolutionCode] {
        try Row.fetchAll(db, sql: "SELECT code, name FROM resolution_codes WHERE \(PackRetireSchema.liveResolutionCodes) ORDER BY code").map { ResolutionCode(code: $0["code"], name: $0["name"]) }
    }

    static func businessHours(_ db: Database) throws -> BusinessHours {
        guard let json = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = 'business_hours'")) else { return .always }
        return (try? JSONDecoder().decode(BusinessHours.self, from: Data(json.utf8))) ?? .always
    }

    public func businessCalendar() throws -> BusinessCalendar { BusinessCalendar(try read(Self.businessHours)) }

    /// The pack's time zone (UTC when no hours are set): "today" and typed times on the desk,
    /// the trainer console and the command line mean the business day there, as on the board.
    public func businessZone() throws -> TimeZone { try businessCalendar().calendar.timeZone }

    /// The pack's service settings (defaults where the pack names none).
    static func serviceSettings(_ db: Database) throws -> ServiceSettings {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'service'") else { return ServiceSettings() }
        return (try? JSONDecoder().decode(ServiceSettings.self, from: Data(json.utf8))) ?? ServiceSettings()
    }

    public func serviceSettings() throws -> ServiceSettings { try read(Self.serviceSettings) }
}
