import Foundation
import GRDB
import Logging

/// Who may look after the data, and the record of what was done to it.
extension CaseStore {
    /// The single place data-care operations (backups, customer export and erasure,
    /// retention purges) ask the policy who may: admins.
    static func requireAdmin(_ db: Database, login: String) throws -> User {
        let user = try Self.user(db, login: login)
        try Policy.require(user, .manageData, PolicyContext(training: try kind(db) == .training))
        return user
    }

    /// One row in `data_operations`: counts, who, when, why — never content.
    static func recordOperation(_ db: Database, kind: String, actor: String, summary: String, at: Date) throws {
        try db.execute(sql: "INSERT INTO data_operations(at, actor, kind, summary) VALUES (?, ?, ?, ?)",
                       arguments: [at.timeIntervalSince1970, actor, kind, summary])
    }

    /// The operations log for this database (see `OperationsLog`).
    public var operationsLog: Logger { OperationsLog.logger(forDatabase: path) }

    /// The newest data operations, newest first.
    public func dataOperations(limit: Int = 50) throws -> [DataOperation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, kind, summary FROM data_operations ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map {
                DataOperation(at: Date(timeIntervalSince1970: $0["at"]), actor: $0["actor"], kind: $0["kind"], summary: $0["summary"])
            }
        }
    }
}

public struct DataOperation: Codable, Equatable, Sendable {
    public var at: Date
    public var actor: String
    public var kind: String
    public var summary: String
}
