import GRDB

/// Tables for looking after the data: the one sanctioned way past the events table's
/// append-only guard, the log of data operations (backups, restores, purges, erasures),
/// and the record of training databases made from real cases.
enum DataCareSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        -- A row here exists only inside the transaction of a retention purge or an erasure
        -- (inserted first, deleted before commit), so no other connection ever sees one.
        -- While it exists the append-only guard stands aside; at any other time it refuses.
        CREATE TABLE event_rewrite_permits(
          id INTEGER PRIMARY KEY,
          operation TEXT NOT NULL CHECK (operation IN ('retention','erasure')));

        DROP TRIGGER events_refuse_update;
        DROP TRIGGER events_refuse_delete;
        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
          WHEN NOT EXISTS (SELECT 1 FROM event_rewrite_permits WHERE operation = 'erasure')
          BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END;
        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
          WHEN NOT EXISTS (SELECT 1 FROM event_rewrite_permits)
          BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END;

        -- What was done to the data as a whole: counts, who, when, why. Never any content.
        CREATE TABLE data_operations(
          id INTEGER PRIMARY KEY,
          at REAL NOT NULL,
          actor TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('backup','restore','retention','erasure')),
          summary TEXT NOT NULL);

        -- Training databases made from this database's cases (train genericize), one row per
        -- source case, so an erasure can say which copies were made from a customer's cases.
        CREATE TABLE training_copies(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL,
          output TEXT NOT NULL,
          made_at REAL NOT NULL,
          made_by TEXT NOT NULL);
        CREATE INDEX training_copies_by_case ON training_copies(case_id);

        -- Deleting a case checks every table that points at it: without these, each purged
        -- case would scan all rule flags and consults.
        CREATE INDEX rule_flags_by_case ON rule_flags(case_id);
        CREATE INDEX IF NOT EXISTS consults_by_case ON consults(case_id);   -- also made by the identity migration
        """)
    }
}
