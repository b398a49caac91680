import Foundation
import GRDB

/// The indexes this program's schema has, for `doctor` to compare a file against.
///
/// Queue, board and report queries name their indexes (`INDEXED BY`), and such a query
/// fails outright when its index is missing. The expected set is read from an in-memory
/// database migrated by the same migrations, so there is no second list to keep up to date.
public enum SchemaIndexes {
    public struct Index: Sendable, Equatable {
        public var name: String
        public var table: String
        public var sql: String
    }

    static func indexes(_ db: Database) throws -> [Index] {
        try Row.fetchAll(db, sql: """
            SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name
            """).map { Index(name: $0["name"], table: $0["tbl_name"], sql: $0["sql"]) }
    }

    /// Every index the migrations create.
    public static func expected() throws -> [Index] {
        let memory = try DatabaseQueue()
        try Schema.migrator.migrate(memory)
        return try memory.read(indexes)
    }

    /// The expected indexes the database does not have, or has with another definition
    /// (a query naming it would get the wrong columns).
    public static func missing(in db: Database) throws -> [Index] {
        let present = Dictionary(try indexes(db).map { ($0.name, spaced($0.sql)) }, uniquingKeysWith: { a, _ in a })
        return try expected().filter { present[$0.name] != spaced($0.sql) }
    }

    /// The definition with runs of white space as one space: layout is not a difference.
    static func spaced(_ sql: String) -> String { sql.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    /// Creates the missing indexes (dropping a differing one first) in one transaction; returns their names.
    public static func repair(_ store: CaseStore) throws -> [String] {
        try store.write { db in
            let missing = try missing(in: db)
            for index in missing { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name); " + index.sql) }
            return missing.map(\.name)
        }
    }
}
