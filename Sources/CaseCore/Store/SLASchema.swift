import GRDB

/// The SLA clock's pause while a case is pending on the customer (per call type), and
/// the business seconds paused so far, so reports and the queue clock agree on every case;
/// and the index FCR finds first resolutions through.
enum SLASchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE call_types ADD COLUMN pause_when_pending INTEGER NOT NULL DEFAULT 0;
        -- Set while the resolution clock is stopped (pending on the customer); NULL otherwise.
        ALTER TABLE cases ADD COLUMN sla_paused_at REAL;
        -- Business seconds the resolution clock has been stopped, summed over finished pauses.
        ALTER TABLE cases ADD COLUMN sla_paused_seconds REAL NOT NULL DEFAULT 0;
        -- FCR: first resolutions in a period, without walking every event.
        CREATE INDEX events_resolve_at ON events(at) WHERE kind = 'resolve';
        """)
    }
}
