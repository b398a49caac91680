import Foundation
import GRDB

/// What installing a content pack did, entry by entry.
public struct PackChanges: Sendable, Equatable {
    public struct Entries: Sendable, Equatable {
        public var added: [String] = []
        public var changed: [String] = []
        /// Call types and resolution codes: kept for existing cases, no longer offered.
        public var retired: [String] = []
        /// Scripts of call types still in the pack that the pack no longer scripts.
        public var removed: [String] = []
        public var unchanged = 0
    }
    public var callTypes = Entries()
    public var resolutionCodes = Entries()
    public var scripts = Entries()
    public var scorecards = Entries()

    /// One line per kind, e.g. `call types: 1 added (x), 1 retired (billing.dispute), 17 unchanged`.
    public var lines: [String] {
        [("call types", callTypes), ("resolution codes", resolutionCodes), ("scripts", scripts), ("scorecards", scorecards)].map { name, e in
            var parts: [String] = []
            func list(_ items: [String], _ word: String) {
                guard !items.isEmpty else { return }
                parts.append("\(items.count) \(word) (\(items.joined(separator: ", ")))")
            }
            list(e.added, "added"); list(e.changed, "changed"); list(e.retired, "retired"); list(e.removed, "removed")
            parts.append("\(e.unchanged) unchanged")
            return "\(name): " + parts.joined(separator: ", ")
        }
    }
}

extension CaseStore {
    /// Installs a pack exactly: entries it has are added or changed; call types and
    /// resolution codes it no longer has are retired (kept for the cases that use them,
    /// hidden from pickers and refused for new work); scripts it no longer has are removed
    /// unless their call type was retired with them. Scorecards are added or changed and
    /// never removed (reviews refer to them). One transaction: all of it or none.
    @discardableResult
    public func install(_ pack: ContentPack) throws -> PackChanges {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let at = now().timeIntervalSince1970
        return try write { db in
            var changes = PackChanges()
            let retiredTypes = Set(try String.fetchAll(db, sql: "SELECT code FROM retired_pack_entries WHERE kind = 'call_type'"))
            let retiredCodes = Set(try String.fetchAll(db, sql: "SELECT code FROM retired_pack_entries WHERE kind = 'resolution_code'"))
            // Call types, parents before children.
            let oldTypes = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM call_types").map { ($0["code"] as String, $0) })
            for ct in pack.callTypes.sorted(by: { $0.code.split(separator: ".").count < $1.code.split(separator: ".").count }) {
                let values: [DatabaseValueConvertible?] = [ct.code, ct.name, ct.parentCode, ct.defaultPriority.rawValue,
                                                           ct.firstResponseMinutes, ct.resolutionMinutes, ct.pauseWhenPending]
                if let old = oldTypes[ct.code] {
                    let same = old["name"] as String == ct.name && old["parent"] as String? == ct.parentCode
                        && old["default_priority"] as Int == ct.defaultPriority.rawValue
                        && old["first_response_minutes"] as Int == ct.firstResponseMinutes
                        && old["resolution_minutes"] as Int == ct.resolutionMinutes && !retiredTypes.contains(ct.code)
                        && old["pause_when_pending"] as Bool == ct.pauseWhenPending
                    if same { changes.callTypes.unchanged += 1 } else { changes.callTypes.changed.append(ct.code) }
                } else { changes.callTypes.added.append(ct.code) }
                try db.execute(sql: """
                    INSERT INTO call_types(code, name, parent, default_priority, first_response_minutes, resolution_minutes,
                                           pause_when_pending)
                    VALUES (?,?,?,?,?,?,?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent,
                      default_priority = excluded.default_priority, first_response_minutes = excluded.first_response_minutes,
                      resolution_minutes = excluded.resolution_minutes, pause_when_pending = excluded.pause_when_pending
                    """, arguments: StatementArguments(values))
                try db.execute(sql: "DELETE FROM retired_pack_entries WHERE kind = 'call_type' AND code = ?", arguments: [ct.code])
            }
            changes.callTypes.retired = try retire(db, kind: "call_type", table: "call_types", keeping: Set(pack.callTypes.map(\.code)), at: at)

            let oldCodes = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM resolution_codes").map { ($0["code"] as String, $0) })
            for rc in pack.resolutionCodes {
                if let old = oldCodes[rc.code] {
                    if old["name"] as String == rc.name && !retiredCodes.contains(rc.code) { changes.resolutionCodes.unchanged += 1 }
                    else { changes.resolutionCodes.changed.append(rc.code) }
                } else { changes.resolutionCodes.added.append(rc.code) }
                try db.execute(sql: """
                    INSERT INTO resolution_codes(code, name) VALUES (?,?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name
                    """, arguments: [rc.code, rc.name])
                try db.execute(sql: "DELETE FROM retired_pack_entries WHERE kind = 'resolution_code' AND code = ?", arguments: [rc.code])
            }
            changes.resolutionCodes.retired = try retire(db, kind: "resolution_code", table: "resolution_codes", keeping: Set(pack.resolutionCodes.map(\.code)), at: at)

            let oldScripts = try Self.storeBodies(db, table: "scripts", keyColumn: "call_type", pack.scripts, key: \.callType,
                                                  encoder: encoder, tally: &changes.scripts)
            let scripted = Set(pack.scripts.map(\.callType)), retiredNow = Set(changes.callTypes.retired)
            for code in oldScripts.keys.sorted() where !scripted.contains(code) {
                if retiredNow.contains(code) { changes.scripts.retired.append(code); continue }
                if retiredTypes.contains(code) { continue }   // retired earlier: kept with its call type
                try db.execute(sql: "DELETE FROM scripts WHERE call_type = ?", arguments: [code])
                changes.scripts.removed.append(code)
            }

            let oldCards = try Self.storeBodies(db, table: "scorecards", keyColumn: "id", pack.scorecards, key: \.id,
                                                encoder: encoder, tally: &changes.scorecards)
            try Self.storeRetention(db, pack.retentionResolvedAfter)
            let hours = String(decoding: try encoder.encode(pack.businessHours), as: UTF8.self)
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES ('business_hours', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [hours])
            let service = String(decoding: try encoder.encode(pack.settings), as: UTF8.self)
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES ('service', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [service])
            return changes
        }
    }

    /// Stores each item's JSON body under its key (`table` has `keyColumn` and `body`),
    /// tallying added, changed and unchanged; returns the bodies stored before, by key.
    private static func storeBodies<T: Encodable>(_ db: Database, table: String, keyColumn: String, _ items: [T],
                                                  key: (T) -> String, encoder: JSONEncoder,
                                                  tally entries: inout PackChanges.Entries) throws -> [String: String] {
        let old = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT \(keyColumn) AS k, body FROM \(table)")
            .map { ($0["k"] as String, $0["body"] as String) })
        for item in items {
            let body = String(decoding: try encoder.encode(item), as: UTF8.self)
            tally(&entries, key(item), old: old[key(item)], new: body)
            try db.execute(sql: "INSERT INTO \(table)(\(keyColumn), body) VALUES (?,?) ON CONFLICT(\(keyColumn)) DO UPDATE SET body = excluded.body",
                           arguments: [key(item), body])
        }
        return old
    }

    private static func tally(_ entries: inout PackChanges.Entries, _ key: String, old: String?, new: String) {
        switch old {
        case nil: entries.added.append(key)
        case new?: entries.unchanged += 1
        default: entries.changed.append(key)
        }
    }

    /// Retires the codes of `table` the pack no longer has; returns them.
    private func retire(_ db: Database, kind: String, table: String, keeping: Set<String>, at: Double) throws -> [String] {
        let live = try String.fetchAll(db, sql: """
            SELECT code FROM \(table) WHERE code NOT IN (SELECT code FROM retired_pack_entries WHERE kind = ?) ORDER BY code
            """, arguments: [kind])
        let gone = live.filter { !keeping.contains($0) }
        for code in gone {
            try db.execute(sql: "INSERT INTO retired_pack_entries(kind, code, retired_at) VALUES (?, ?, ?)", arguments: [kind, code, at])
        }
        return gone
    }
}
