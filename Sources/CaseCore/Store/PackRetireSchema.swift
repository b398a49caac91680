import GRDB

/// Call types and resolution codes a newer content pack no longer has are retired, not
/// deleted: cases keep pointing at them, pickers and new cases no longer offer them.
enum PackRetireSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE call_types ADD COLUMN retired_at REAL;
            ALTER TABLE resolution_codes ADD COLUMN retired_at REAL;
            """)
    }
}
