import Foundation
import GRDB

/// The one home of the search index. Every write that changes what a case's document
/// holds calls `refresh` in its own transaction, so the index never lags the rows.
public enum SearchIndex {
    /// Timeline entries whose words are searchable: first words, customer messages and
    /// calls, responses, notes.
    static let indexedKinds: Set<CaseEvent.Kind> = [.created, .call, .message, .customerLine, .note, .response]
    static let indexedKindsSQL = "('created','call','message','customer_line','note','response')"

    /// Re-derives a case's search document from its current rows; removes it when the case is gone.
    public static func refresh(caseId: Int64, in db: Database) throws {
        // Cached statements: this runs for every indexed event, an import's thousands included.
        try db.cachedStatement(sql: "DELETE FROM case_search WHERE rowid = ?").execute(arguments: [caseId])
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.subject, cu.name FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?
            """), arguments: [caseId]) else { return }
        let bodies = try String.fetchAll(db.cachedStatement(sql: """
            SELECT body FROM events WHERE case_id = ? AND kind IN \(indexedKindsSQL) AND body IS NOT NULL ORDER BY id
            """), arguments: [caseId])
        try insertCase(db, id: caseId, customer: row["name"], subject: row["subject"], bodies: bodies)
    }

    /// Re-derives a customer's lookup document (and the documents of their cases, which
    /// carry the name); removes it when the customer is gone.
    public static func refreshCustomer(id: Int64, in db: Database, withCases: Bool = false) throws {
        try db.cachedStatement(sql: "DELETE FROM customer_search WHERE rowid = ?").execute(arguments: [id])
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM customers WHERE id = ?"), arguments: [id]) {
            try insertCustomer(db, id: id, name: row["name"], email: row["email"], phone: row["phone"], account: row["account"])
        }
        if withCases {
            for caseId in try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ?", arguments: [id]) {
                try refresh(caseId: caseId, in: db)
            }
        }
    }

    /// Merges each index's segments into one, dropping what deleted documents left behind.
    public static func optimize(in db: Database) throws {
        try db.execute(sql: "INSERT INTO case_search(case_search) VALUES('optimize')")
        try db.execute(sql: "INSERT INTO customer_search(customer_search) VALUES('optimize')")
    }

    /// Called for every appended timeline entry.
    static func eventAppended(_ db: Database, caseId: Int64, kind: CaseEvent.Kind) throws {
        if indexedKinds.contains(kind) { try refresh(caseId: caseId, in: db) }
    }

    /// Builds the whole index from the rows (migration, demo data, copied databases).
    public static func rebuild(in db: Database) throws {
        try db.execute(sql: "DELETE FROM case_search; DELETE FROM customer_search")
        let customers = try Row.fetchCursor(db, sql: "SELECT id, name, email, phone, account FROM customers ORDER BY id")
        while let c = try customers.next() {
            try insertCustomer(db, id: c["id"], name: c["name"], email: c["email"], phone: c["phone"], account: c["account"])
        }
        let cases = try Row.fetchCursor(db, sql: """
            SELECT c.id, c.subject, cu.name,
                   (SELECT group_concat(body, char(10)) FROM (SELECT body FROM events e
                     WHERE e.case_id = c.id AND e.kind IN \(indexedKindsSQL) AND e.body IS NOT NULL ORDER BY e.id)) AS bodies
            FROM cases c JOIN customers cu ON cu.id = c.customer_id ORDER BY c.id
            """)
        while let c = try cases.next() {
            try insertCase(db, id: c["id"], customer: c["name"], subject: c["subject"],
                           bodies: [(c["bodies"] as String?) ?? ""])
        }
    }

    static func insertCase(_ db: Database, id: Int64, customer: String, subject: String, bodies: [String]) throws {
        try db.cachedStatement(sql: "INSERT INTO case_search(rowid, customer, subject, body) VALUES (?,?,?,?)")
            .execute(arguments: StatementArguments(caseDocument(id: id, customer: customer, subject: subject, bodies: bodies)))
    }

    /// The values of one case document, in `case_search` column order after the rowid.
    static func caseDocument(id: Int64, customer: String, subject: String, bodies: [String]) -> [(any DatabaseValueConvertible)?] {
        // The first words usually repeat the subject; index them once.
        let text = bodies.filter { $0 != subject }.joined(separator: "\n")
        return [id, SearchText.indexable(customer), SearchText.indexable(subject), SearchText.indexable(text)]
    }

    static func insertCustomer(_ db: Database, id: Int64, name: String, email: String?, phone: String?, account: String?) throws {
        try db.cachedStatement(sql: "INSERT INTO customer_search(rowid, name, contact) VALUES (?,?,?)")
            .execute(arguments: StatementArguments(customerDocument(id: id, name: name, email: email, phone: phone, account: account)))
    }

    static func customerDocument(id: Int64, name: String, email: String?, phone: String?, account: String?) -> [(any DatabaseValueConvertible)?] {
        let contact = [email ?? "", phone.map { PhoneNumber.tokens($0).joined(separator: " ") } ?? "", account ?? ""]
            .joined(separator: " ")
        return [id, SearchText.indexable(name), contact]
    }
}
