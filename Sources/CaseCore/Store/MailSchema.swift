import GRDB

/// Channels: the `gateway` role, messages in and out (threading and dedupe), the
/// outbox, attachments and the mail quarantine.
enum MailSchema {
    static func migrate(_ db: Database) throws {
        // users.role has a CHECK constraint: SQLite changes one by rebuilding the table
        // (https://sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
        // new table, copy every row, drop, rename. GRDB runs migrations with foreign keys
        // off and checks them before commit (foreign_key_check), as that procedure asks.
        try db.execute(sql: """
        CREATE TABLE users_new(
          id INTEGER PRIMARY KEY,
          login TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('agent','lead','trainer','expert','admin','gateway')),
          team_id INTEGER REFERENCES teams(id),
          department TEXT NOT NULL DEFAULT 'customer care',
          skills TEXT NOT NULL DEFAULT '',
          active INTEGER NOT NULL DEFAULT 1);
        INSERT INTO users_new(id, login, name, role, team_id, department, skills, active)
          SELECT id, login, name, role, team_id, department, skills, active FROM users;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;

        -- Every contact that came in or went out on a channel, by its own id there
        -- (Message-ID for mail, the relay's external id otherwise): the same id twice
        -- files once, and a reply naming one of them threads onto its case.
        CREATE TABLE channel_messages(
          id INTEGER PRIMARY KEY,
          channel TEXT NOT NULL,
          external_id TEXT NOT NULL,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          event_id INTEGER REFERENCES events(id),
          direction TEXT NOT NULL CHECK (direction IN ('in','out')),
          sender TEXT,
          subject TEXT,
          full_text TEXT,
          at REAL NOT NULL,
          UNIQUE(channel, external_id));
        CREATE INDEX channel_messages_by_case ON channel_messages(case_id, id);

        -- Responses to send by mail: written in the response's transaction, sent after commit.
        CREATE TABLE outbox(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          event_id INTEGER NOT NULL UNIQUE REFERENCES events(id),
          message_id TEXT NOT NULL,
          to_addr TEXT,
          body TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at REAL,
          last_error TEXT,
          created_at REAL NOT NULL,
          sent_at REAL);
        CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status != 'sent';
        CREATE INDEX outbox_by_case ON outbox(case_id);

        -- Attachments as listed on the timeline; the bytes live next to the database,
        -- named by their SHA-256 (sha256 NULL: not kept, see note).
        CREATE TABLE attachments(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          event_id INTEGER NOT NULL REFERENCES events(id),
          filename TEXT NOT NULL,
          content_type TEXT NOT NULL,
          size INTEGER NOT NULL,
          sha256 TEXT,
          note TEXT);
        CREATE INDEX attachments_by_case ON attachments(case_id);

        -- Messages that could not be read at all, kept whole with the reason.
        CREATE TABLE mail_quarantine(
          id INTEGER PRIMARY KEY,
          at REAL NOT NULL,
          reason TEXT NOT NULL,
          raw BLOB NOT NULL,
          filed_case_id INTEGER REFERENCES cases(id));
        """)
    }
}

/// v12: attachment files are deleted when no row names them any more (retention, erasure),
/// so "is this file still named?" needs an index.
enum AttachmentFilesSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX attachments_by_file ON attachments(sha256) WHERE sha256 IS NOT NULL")
    }
}

/// v14: every column that points at an event or a case has an index, so deleting a case's
/// events (retention) finds the rows that point at them instead of scanning each table.
enum PurgeIndexSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX training_lines_by_event ON training_lines(event_id);
            CREATE INDEX channel_messages_by_event ON channel_messages(event_id);
            CREATE INDEX attachments_by_event ON attachments(event_id);
            CREATE INDEX mail_quarantine_by_case ON mail_quarantine(filed_case_id) WHERE filed_case_id IS NOT NULL;
            """)
    }
}
