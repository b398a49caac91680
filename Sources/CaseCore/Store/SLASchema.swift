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

/// The open-case indexes carry `sla_paused_at` last, so the at-risk test (`SLAClock.atRiskSQL`)
/// is answered from the index alone: without it a queue's or the board's at-risk count
/// reads every open case's row. Each index keeps its name (queries name them) and its order.
enum SLARiskIndexSchema {
    static func migrate(_ db: Database) throws {
        let open = Schema.openStatuses
        try db.execute(sql: """
        DROP INDEX cases_open; DROP INDEX cases_open_by_assignee; DROP INDEX cases_open_by_team;
        DROP INDEX cases_open_by_call_type; DROP INDEX cases_open_by_due; DROP INDEX cases_open_by_team_due;
        DROP INDEX cases_open_by_assignee_due;
        CREATE INDEX cases_open ON cases(priority, due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_assignee ON cases(assignee_id, priority, due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_team ON cases(team_id, priority, due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_call_type ON cases(call_type, priority, due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_due ON cases(due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_team_due ON cases(team_id, due_at, id, sla_paused_at) WHERE \(open);
        CREATE INDEX cases_open_by_assignee_due ON cases(assignee_id, due_at, id, status, sla_paused_at) WHERE \(open);
        """)
    }
}
