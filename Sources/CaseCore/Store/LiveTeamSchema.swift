import GRDB

/// Tables for the live team: presence, assignment-policy state, and the indexes the
/// lead board reads through.
enum LiveTeamSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        -- One row per open desk (session), refreshed by its heartbeat. Rows are never
        -- trusted past CaseStore.presenceExpiry: a desk killed with SIGKILL just goes stale.
        CREATE TABLE presence(
          session TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id),
          case_id INTEGER REFERENCES cases(id),
          typing INTEGER NOT NULL DEFAULT 0,
          seen_at REAL NOT NULL);
        CREATE INDEX presence_by_case ON presence(case_id, seen_at);
        CREATE INDEX presence_by_user ON presence(user_id, seen_at);

        -- Round robin's cursor per team, in the database so every process continues it.
        CREATE TABLE assignment_cursors(
          team_id INTEGER PRIMARY KEY REFERENCES teams(id),
          last_user_id INTEGER REFERENCES users(id));

        -- Board: waiting cases per team and call type (depth and oldest). assignee_id and
        -- status ride along only so the count never touches the table (a covering index).
        CREATE INDEX cases_waiting_by_team_call_type ON cases(team_id, call_type, created_at, assignee_id, status)
          WHERE assignee_id IS NULL AND \(Schema.openStatuses);
        -- Board: a team's open cases by due time (SLA risk).
        CREATE INDEX cases_open_by_team_due ON cases(team_id, due_at, id)
          WHERE \(Schema.openStatuses);
        -- Board: each agent's open cases by due time (SLA risk), covering.
        CREATE INDEX cases_open_by_assignee_due ON cases(assignee_id, due_at, id, status)
          WHERE \(Schema.openStatuses);
        -- Board: what each agent resolved today.
        CREATE INDEX events_resolve_by_actor ON events(actor_id, at) WHERE kind = 'resolve';
        """)
    }
}
