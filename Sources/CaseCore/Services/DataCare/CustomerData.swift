import Foundation
import GRDB

/// Everything held about one customer: the answer to "what do you hold about me?".
public struct CustomerDataExport: Codable, Sendable {
    /// The customer record and the address only this export shows, as one flat object (so a
    /// field added to `Customer` is exported without a second list to keep in step).
    public struct Details: Codable, Sendable {
        public var record: Customer
        public var address: String?

        private enum Key: String, CodingKey { case address }
        init(record: Customer, address: String?) { self.record = record; self.address = address }
        public init(from decoder: Decoder) throws {
            record = try Customer(from: decoder)
            address = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: .address)
        }
        public func encode(to encoder: Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(address, forKey: .address)
        }
    }
    public struct CaseEntry: Codable, Sendable {
        public var record: CaseRecord
        /// The whole timeline: what the customer said and everything done on the case.
        public var timeline: [CaseEvent]
        /// Other rows attached to the case (rule flags, consults, attachments…), by table.
        public var related: [String: [[String: String]]]
    }
    public var exportedAt: Date
    public var exportedBy: String
    public var customer: Details
    public var cases: [CaseEntry]
    /// Timeline entries on other customers' cases that name this customer.
    public var mentionsElsewhere: [CaseEvent]
    /// Attachments of the customer's cases (name, type, size; the files themselves sit beside the database).
    public var attachments: [[String: String]]
}

extension CaseStore {
    /// The subject-access export of one customer. Admins only (it is personal data).
    public func exportCustomer(_ id: Int64, by login: String) throws -> CustomerDataExport {
        try read { db in
            _ = try Self.requireAdmin(db, login: login)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id]) else {
                throw CaseError.invalid("no customer #\(id)")
            }
            let details = CustomerDataExport.Details(record: Customer(row: row), address: row["address"])
            let records = try Row.fetchAll(db, sql: CaseRecord.selectSQL + " WHERE c.customer_id = ? ORDER BY c.id", arguments: [id])
                .map(CaseRecord.init(row:))
            let dependents = try Self.caseTables(db)
            var attachments: [[String: String]] = []
            let cases = try records.map { record -> CustomerDataExport.CaseEntry in
                let timeline = try Row.fetchAll(db, sql: CaseEvent.selectSQL + " WHERE e.case_id = ? ORDER BY e.id", arguments: [record.id])
                    .map(CaseEvent.init(row:))
                var related: [String: [[String: String]]] = [:]
                for table in dependents {
                    let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" WHERE case_id = ?", arguments: [record.id]).map(Self.strings)
                    if table == "attachments" { attachments += rows } else if !rows.isEmpty { related[table] = rows }
                }
                return CustomerDataExport.CaseEntry(record: record, timeline: timeline, related: related)
            }
            let mentionIds = try Self.mentions(db, of: Self.strongIdentifiers(row), excludingCustomer: id)
                .filter { $0.0 == "events" }.map { String($0.1) }
            let mentions = mentionIds.isEmpty ? [] : try Row.fetchAll(db, sql: CaseEvent.selectSQL + " WHERE e.id IN (\(mentionIds.joined(separator: ","))) ORDER BY e.id")
                .map(CaseEvent.init(row:))
            return CustomerDataExport(exportedAt: now(), exportedBy: login, customer: details, cases: cases,
                                      mentionsElsewhere: mentions, attachments: attachments)
        }
    }

    /// Tables other than events and the bookkeeping ones with a `case_id` column.
    static func caseTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p ON p.name = 'case_id'
            WHERE m.type = 'table' AND m.name NOT IN ('events', 'presence', 'training_copies') AND m.sql NOT LIKE 'CREATE VIRTUAL%'
            ORDER BY m.name
            """)
    }

    /// A row as text, blobs left out (their size given instead).
    static func strings(_ row: Row) -> [String: String] {
        var out: [String: String] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: continue
            case .blob(let data): out[column] = "\(data.count) bytes"
            case .string(let s): out[column] = s
            case .int64(let i): out[column] = String(i)
            case .double(let d): out[column] = String(d)
            }
        }
        return out
    }
}
