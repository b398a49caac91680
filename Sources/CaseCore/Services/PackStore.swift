import Foundation
import GRDB

/// Content packs in the database: call types, resolution codes, scripts, scorecards, hours.
extension CaseStore {
    /// Loads a pack: new entries are added, existing ones replaced. Nothing is removed,
    /// since cases keep pointing at call types and resolution codes.
    public func install(_ pack: ContentPack) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write { db in
            for ct in pack.callTypes.sorted(by: { $0.code.split(separator: ".").count < $1.code.split(separator: ".").count }) {
                try db.execute(sql: """
                    INSERT INTO call_types(code, name, parent, default_priority, first_response_minutes, resolution_minutes,
                                           pause_when_pending)
                    VALUES (?,?,?,?,?,?,?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent,
                      default_priority = excluded.default_priority, first_response_minutes = excluded.first_response_minutes,
                      resolution_minutes = excluded.resolution_minutes, pause_when_pending = excluded.pause_when_pending
                    """, arguments: [ct.code, ct.name, ct.parentCode, ct.defaultPriority.rawValue, ct.firstResponseMinutes, ct.resolutionMinutes,
                                     ct.pauseWhenPending])
            }
            for rc in pack.resolutionCodes {
                try db.execute(sql: "INSERT INTO resolution_codes(code, name) VALUES (?,?) ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                               arguments: [rc.code, rc.name])
            }
            for script in pack.scripts {
                let body = String(decoding: try encoder.encode(script), as: UTF8.self)
                try db.execute(sql: "INSERT INTO scripts(call_type, body) VALUES (?,?) ON CONFLICT(call_type) DO UPDATE SET body = excluded.body",
                               arguments: [script.callType, body])
            }
            for card in pack.scorecards {
                let body = String(decoding: try encoder.encode(card), as: UTF8.self)
                try db.execute(sql: "INSERT INTO scorecards(id, body) VALUES (?,?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                               arguments: [card.id, body])
            }
            let hours = String(decoding: try encoder.encode(pack.businessHours), as: UTF8.self)
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES ('business_hours', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [hours])
            let service = String(decoding: try encoder.encode(pack.settings), as: UTF8.self)
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES ('service', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [service])
        }
    }

    /// The pack as the database holds it now, for `scripts export`.
    public func currentPack() throws -> ContentPack {
        try read { db in
            ContentPack(callTypes: try Self.callTypes(db), resolutionCodes: try Self.resolutionCodes(db),
                        scripts: try String.fetchAll(db, sql: "SELECT body FROM scripts ORDER BY call_type").map(Self.decodeScript),
                        scorecards: try String.fetchAll(db, sql: "SELECT body FROM scorecards ORDER BY id").map {
                            try JSONDecoder().decode(Scorecard.self, from: Data($0.utf8))
                        },
                        businessHours: try Self.businessHours(db), settings: try Self.serviceSettings(db))
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

    static func callTypes(_ db: Database) throws -> [CallType] {
        try Row.fetchAll(db, sql: "SELECT * FROM call_types ORDER BY code").map {
            CallType(row: $0)
        }
    }

    static func callType(_ db: Database, code: String) throws -> CallType {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM call_types WHERE code = ?", arguments: [code]) else {
            throw CaseError.noSuchCallType(code)
        }
        return CallType(row: row)
    }

    static func resolutionCodes(_ db: Database) throws -> [ResolutionCode] {
        try Row.fetchAll(db, sql: "SELECT code, name FROM resolution_codes ORDER BY code").map { ResolutionCode(code: $0["code"], name: $0["name"]) }
    }

    static func businessHours(_ db: Database) throws -> BusinessHours {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'business_hours'") else { return .always }
        return (try? JSONDecoder().decode(BusinessHours.self, from: Data(json.utf8))) ?? .always
    }

    public func businessCalendar() throws -> BusinessCalendar { BusinessCalendar(try read(Self.businessHours)) }

    /// The pack's service settings (defaults where the pack names none).
    static func serviceSettings(_ db: Database) throws -> ServiceSettings {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'service'") else { return ServiceSettings() }
        return (try? JSONDecoder().decode(ServiceSettings.self, from: Data(json.utf8))) ?? ServiceSettings()
    }

    public func serviceSettings() throws -> ServiceSettings { try read(Self.serviceSettings) }
}
