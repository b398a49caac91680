import GRDB

/// CSAT as it arrives from a survey: the customer's comment and when the answer came, so a
/// low score can alert the lead board and the report can count responses per week.
enum CSATSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE cases ADD COLUMN csat_comment TEXT;
        ALTER TABLE cases ADD COLUMN csat_at REAL;
        -- Board: the low scores that arrived lately.
        CREATE INDEX cases_csat_at ON cases(csat_at, csat) WHERE csat_at IS NOT NULL;
        """)
    }
}
