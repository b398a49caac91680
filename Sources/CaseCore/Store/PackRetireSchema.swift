import GRDB

/// Call types and resolution codes a newer content pack no longer has are retired, not
/// deleted: cases keep pointing at them, pickers and new cases no longer offer them.
/// A table of its own, so the pack tables keep their columns.
enum PackRetireSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE retired_pack_entries(
              kind TEXT NOT NULL CHECK (kind IN ('call_type', 'resolution_code')),
              code TEXT NOT NULL,
              retired_at REAL NOT NULL,
              PRIMARY KEY (kind, code));
            """)
    }

    static let liveCallTypes = "code NOT IN (SELECT code FROM retired_pack_entries WHERE kind = 'call_type')"
    static let liveResolutionCodes = "code NOT IN (SELECT code FROM retired_pack_entries WHERE kind = 'resolution_code')"
}
