import Foundation
import GRDB

/// The database schema, as ordered migrations. `user_version` mirrors the number of
/// migrations so that an older program can recognise a newer database and refuse it.
enum Schema {
    static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("v1", v1),
        ("v2-live-team", LiveTeamSchema.migrate),
        ("v3-training", TrainingSchema.migrate),
        ("v4-pack-retire", PackRetireSchema.migrate),
        ("v5-identity", IdentitySchema.migrate),
        ("v6-data-care", DataCareSchema.migrate),
        ("v7-sla-pause", SLASchema.migrate),
        ("v8-csat", CSATSchema.migrate),
        ("v9-mail", MailSchema.migrate),
        ("v10-contact-search", ContactSchema.migrate),
        ("v11-qa", QASchema.migrate),
        ("v12-attachment-files", AttachmentFilesSchema.migrate),
        ("v13-sla-pause-in-open-indexes", SLARiskIndexSchema.migrate),
        ("v14-purge-indexes", PurgeIndexSchema.migrate),
    ]
    static var version: Int { migrations.count }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for (index, (name, body)) in migrations.enumerated() {
            m.registerMigration(name) { db in
                try body(db)
                try db.execute(sql: "PRAGMA user_version = \(index + 1)")
            }
        }
        return m
    }

    static let openStatuses = CaseStatus.openSQL()

    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE teams(
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          policy TEXT NOT NULL DEFAULT 'manual'
            CHECK (policy IN ('manual','round_robin','least_loaded','skills')));

        CREATE TABLE users(
          id INTEGER PRIMARY KEY,
          login TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('agent','lead','trainer','expert','admin')),
          team_id INTEGER REFERENCES teams(id),
          department TEXT NOT NULL DEFAULT 'customer care',
          skills TEXT NOT NULL DEFAULT '',
          active INTEGER NOT NULL DEFAULT 1);

        CREATE TABLE customers(
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          email TEXT, phone TEXT, account TEXT, language TEXT, address TEXT);
        CREATE INDEX customers_by_name ON customers(name);
        CREATE INDEX customers_by_email ON customers(email);

        CREATE TABLE call_types(
          code TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          parent TEXT REFERENCES call_types(code),
          default_priority INTEGER NOT NULL CHECK (default_priority BETWEEN 1 AND 4),
          first_response_minutes INTEGER NOT NULL,
          resolution_minutes INTEGER NOT NULL);

        CREATE TABLE resolution_codes(code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE scripts(call_type TEXT PRIMARY KEY REFERENCES call_types(code), body TEXT NOT NULL);
        CREATE TABLE scorecards(id TEXT PRIMARY KEY, body TEXT NOT NULL);

        CREATE TABLE cases(
          id INTEGER PRIMARY KEY,
          customer_id INTEGER NOT NULL REFERENCES customers(id),
          channel TEXT NOT NULL CHECK (channel IN ('phone','email','chat','web','ivr','mobile','retail','social')),
          call_type TEXT REFERENCES call_types(code),
          subject TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('new','open','pending','resolved','closed')),
          priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
          assignee_id INTEGER REFERENCES users(id),
          team_id INTEGER REFERENCES teams(id),
          created_at REAL NOT NULL,
          first_response_at REAL,
          due_at REAL NOT NULL,
          resolved_at REAL,
          resolution_code TEXT REFERENCES resolution_codes(code),
          csat INTEGER CHECK (csat BETWEEN 1 AND 5),
          self_service INTEGER NOT NULL DEFAULT 0,
          version INTEGER NOT NULL DEFAULT 1,
          updated_at REAL NOT NULL,
          updated_by INTEGER REFERENCES users(id));
        -- Queue pages walk these in (priority, due_at, id) order: keyset pagination, no OFFSET.
        CREATE INDEX cases_open_by_assignee ON cases(assignee_id, priority, due_at, id) WHERE \(openStatuses);
        CREATE INDEX cases_open_by_team ON cases(team_id, priority, due_at, id) WHERE \(openStatuses);
        CREATE INDEX cases_open_by_call_type ON cases(call_type, priority, due_at, id) WHERE \(openStatuses);
        CREATE INDEX cases_open ON cases(priority, due_at, id) WHERE \(openStatuses);
        CREATE INDEX cases_open_by_due ON cases(due_at, id) WHERE \(openStatuses);
        CREATE INDEX cases_by_customer ON cases(customer_id, created_at);
        CREATE INDEX cases_by_status ON cases(status, id);

        -- The case timeline and the audit log in one: append-only, enforced below.
        CREATE TABLE events(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          at REAL NOT NULL,
          actor_id INTEGER REFERENCES users(id),
          kind TEXT NOT NULL,
          channel TEXT,
          field TEXT,
          old_value TEXT,
          new_value TEXT,
          body TEXT);
        CREATE INDEX events_by_case ON events(case_id, id);
        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END;
        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END;

        CREATE TABLE work_intervals(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          user_id INTEGER NOT NULL REFERENCES users(id),
          started_at REAL NOT NULL,
          ended_at REAL);
        CREATE INDEX work_intervals_by_case ON work_intervals(case_id);

        CREATE TABLE rule_flags(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          user_id INTEGER NOT NULL REFERENCES users(id),
          at REAL NOT NULL,
          rule TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered')),
          answer TEXT);

        CREATE TABLE consults(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          from_id INTEGER NOT NULL REFERENCES users(id),
          expert_id INTEGER NOT NULL REFERENCES users(id),
          question TEXT NOT NULL,
          answer TEXT,
          asked_at REAL NOT NULL,
          answered_at REAL);
        CREATE INDEX consults_by_expert ON consults(expert_id, answered_at);
        """)
    }
}
