import Foundation
import GRDB

/// How a new case found its customer: the one rule, used by the desk's intake, the
/// command line and imports alike.
public enum CustomerMatch: Equatable, Sendable {
    /// Named by id (the desk's picker, `--customer-id`).
    case chosen
    /// An existing customer with exactly this email, phone number (PhoneNumber) or account.
    case existing(by: String)
    /// Nobody matched on email, phone or account: a new customer. A name alone never
    /// picks an existing customer (two people share names).
    case created

    public var words: String {
        switch self {
        case .chosen: "existing customer"
        case .existing(let by): "existing customer, same \(by)"
        case .created: "new customer"
        }
    }
}

/// Details for a new customer.
public struct NewCustomer: Sendable {
    public var name: String
    public var email: String?
    public var phone: String?
    public var account: String?
    public var language: String?
    public init(name: String, email: String? = nil, phone: String? = nil, account: String? = nil, language: String? = nil) {
        self.name = name; self.email = email; self.phone = phone; self.account = account; self.language = language
    }
}

/// One of a customer's cases, for the customer view and `customer show`.
public struct CustomerCase: Codable, Equatable, Sendable {
    public var id: Int64
    public var status: CaseStatus
    public var callType: String?
    public var subject: String
    public var createdAt: Date
    public var assignee: String?
    public var priority: Priority
}

public struct CustomerHistory: Equatable, Sendable {
    public var customer: Customer
    /// Open cases first, then the rest; newest first within each.
    public var cases: [CustomerCase]
}

extension CaseStore {
    // MARK: lookup as you type

    /// Customers matching typed text: a name (any word, case and accents ignored), an
    /// email, a phone number (on its digits, whatever the formatting) or an account.
    /// Best first: names that start with the text, then shorter names.
    public func findCustomers(_ text: String, limit: Int = 10) throws -> [Customer] {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty, let query = Self.customerQuery(typed) else { return [] }
        return try read { db in
            // A bounded candidate set (a one-letter prefix matches thousands), ranked here.
            let ids = try Int64.fetchAll(db, sql: "SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT 64",
                                         arguments: [query])
            guard !ids.isEmpty else { return [] }
            let found = try Row.fetchAll(db, SQLRequest(literal: "SELECT * FROM customers WHERE id IN \(ids)")).map(Customer.init(row:))
            let folded = Self.fold(typed)
            let keyed = found.map { c -> (Customer, String, Bool) in
                let f = Self.fold(c.name)
                return (c, f, f.hasPrefix(folded))
            }
            return keyed.sorted { a, b in
                if a.2 != b.2 { return a.2 }
                if a.1.count != b.1.count { return a.1.count < b.1.count }
                return (a.1, a.0.id) < (b.1, b.0.id)
            }.prefix(limit).map(\.0)
        }
    }

    static func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }

    /// Typed text as a customer-index query: digits as a phone or account prefix, anything
    /// else as words with the last one unfinished.
    public static func customerQuery(_ typed: String) -> String? {
        let digits = PhoneNumber.digits(typed)
        let phoneLike = digits.count >= 4 && typed.allSatisfy { $0.isNumber || " +-().//".contains($0) }
        if phoneLike {
            let noZeros = String(digits.drop { $0 == "0" })
            let forms = Set([digits, noZeros].filter { !$0.isEmpty })
            return forms.sorted().map { "contact : \"\($0)\" *" }.joined(separator: " OR ")
        }
        return SearchText.matchQuery(typed, prefix: true)
    }

    // MARK: details

    public func customerHistory(_ id: Int64, limit: Int = 500) throws -> CustomerHistory {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id]) else {
                throw CaseError.invalid("no customer #\(id)")
            }
            return CustomerHistory(customer: Customer(row: row), cases: try Self.customerCases(db, id, limit: limit))
        }
    }

    /// A customer named by id (`17`, `#17`) or exact email.
    public func customer(named ref: String) throws -> Customer {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        if let id = Int64(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) { return try customer(id) }
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1",
                                             arguments: [trimmed]) else {
                throw CaseError.invalid("no customer '\(ref)' (give a customer id or an exact email; casedesk customer find TEXT looks one up)")
            }
            return Customer(row: row)
        }
    }

    static func customerCases(_ db: Database, _ id: Int64, limit: Int) throws -> [CustomerCase] {
        try Row.fetchAll(db, sql: """
            SELECT c.id, c.status, c.call_type, c.subject, c.created_at, c.priority, u.login AS assignee
            FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
            WHERE c.customer_id = ?
            ORDER BY c.\(Schema.openStatuses) DESC, c.created_at DESC, c.id DESC LIMIT ?
            """, arguments: [id, limit]).map { r in
            try CustomerCase(id: r["id"], status: r.value("status", of: "cases"), callType: r["call_type"],
                         subject: r["subject"], createdAt: Date(timeIntervalSince1970: r["created_at"]), assignee: r["assignee"],
                         priority: r.value("priority", of: "cases"))
        }
    }

    /// Open cases of the case's customer other than this one: "2 other open cases".
    public func otherOpenCases(of caseId: Int64) throws -> Int {
        try read { db in try Self.otherOpenCases(db, of: try Self.record(db, id: caseId)) }
    }

    static func otherOpenCases(_ db: Database, of record: CaseRecord) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE customer_id = ? AND id <> ? AND \(Schema.openStatuses)",
                         arguments: [record.customerId, record.id]) ?? 0
    }

    // MARK: new customers

    @discardableResult
    public func createCustomer(_ new: NewCustomer) throws -> Customer {
        try write { db in try Self.insertCustomer(db, new, strict: true) }
    }

    /// `strict`: refuse a phone number that is not one (imports keep what they were given).
    static func insertCustomer(_ db: Database, _ new: NewCustomer, strict: Bool) throws -> Customer {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        guard let name = clean(new.name) else { throw CaseError.invalid("a customer needs a name") }
        let email = clean(new.email), phone = clean(new.phone), account = clean(new.account)
        if let email, !email.contains("@") { throw CaseError.invalid("'\(email)' is not an email address") }
        if strict, let phone, PhoneNumber.key(phone) == nil {
            throw CaseError.invalid("'\(phone)' is not a phone number (at least 6 digits)")
        }
        if strict, let (id, by) = try matchExisting(db, email: email, phone: phone, account: account) {
            throw CaseError.alreadyExists("customer #\(id) with that \(by)")
        }
        try db.cachedStatement(sql: "INSERT INTO customers(name, email, phone, account, language) VALUES (?,?,?,?,?)")
            .execute(arguments: [name, email, phone, account, clean(new.language)])
        let id = db.lastInsertedRowID
        try SearchIndex.refreshCustomer(id: id, in: db)
        return Customer(id: id, name: name, email: email, phone: phone, account: account, language: clean(new.language))
    }

    /// The customer an exact email, phone number or account names, and which of them matched.
    static func matchExisting(_ db: Database, email: String?, phone: String?, account: String?) throws -> (Int64, String)? {
        if let email, !email.isEmpty,
           let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM customers WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1"), arguments: [email]) {
            return (id, "email")
        }
        if let phone, let key = PhoneNumber.key(phone) {
            let candidates = try Row.fetchAll(db, sql: """
                SELECT c.id, c.phone FROM customer_search s JOIN customers c ON c.id = s.rowid
                WHERE customer_search MATCH ? ORDER BY c.id
                """, arguments: ["contact : \"\(key)\""])
            if let hit = candidates.first(where: { PhoneNumber.key($0["phone"] as String? ?? "") == key }) { return (hit["id"], "phone number") }
        }
        if let account, !account.isEmpty,
           let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM customers WHERE account = ? COLLATE NOCASE ORDER BY id LIMIT 1"), arguments: [account]) {
            return (id, "account")
        }
        return nil
    }

    /// The customer of a new case: the one named by id, else one an exact email, phone or
    /// account matches, else a new one.
    static func customer(for new: NewCase, in db: Database) throws -> (Int64, CustomerMatch) {
        if let id = new.customerId {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE id = ?", arguments: [id]) == true else {
                throw CaseError.invalid("no customer #\(id) (casedesk customer find TEXT looks one up)")
            }
            return (id, .chosen)
        }
        if let (id, by) = try matchExisting(db, email: new.customerEmail, phone: new.customerPhone, account: new.customerAccount) {
            return (id, .existing(by: by))
        }
        let created = try insertCustomer(db, NewCustomer(name: new.customer, email: new.customerEmail, phone: new.customerPhone,
                                                         account: new.customerAccount), strict: false)
        return (created.id, .created)
    }

    static func findOrCreateCustomer(_ db: Database, name: String, email: String?, phone: String?) throws -> Int64 {
        try customer(for: NewCase(customer: name, customerEmail: email, customerPhone: phone, channel: .phone, callType: nil, subject: "-"),
                     in: db).0
    }
}
