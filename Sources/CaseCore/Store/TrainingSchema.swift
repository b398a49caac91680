import GRDB

/// Tables for training: sessions, participants, the customer lines a trainer sent, scores.
/// They exist in every database (the migration is shared) but only a database whose
/// setting `kind` is `training` ever gets rows in them: every training write checks it.
enum TrainingSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE training_sessions(
          id INTEGER PRIMARY KEY,
          module TEXT NOT NULL,
          scenario_id TEXT NOT NULL,
          -- The whole scenario as JSON: a session keeps running even if the YAML changes later.
          scenario TEXT NOT NULL,
          trainer_id INTEGER NOT NULL REFERENCES users(id),
          created_at REAL NOT NULL);

        CREATE TABLE training_participants(
          session_id INTEGER NOT NULL REFERENCES training_sessions(id),
          user_id INTEGER NOT NULL REFERENCES users(id),
          department TEXT NOT NULL,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          seat INTEGER NOT NULL,
          PRIMARY KEY(session_id, user_id));
        CREATE INDEX training_participants_by_case ON training_participants(case_id);

        -- Which scripted line (and branch) went to whom: the console's "line n of N".
        CREATE TABLE training_lines(
          id INTEGER PRIMARY KEY,
          session_id INTEGER NOT NULL REFERENCES training_sessions(id),
          user_id INTEGER NOT NULL REFERENCES users(id),
          line_id TEXT,
          branch TEXT,
          text TEXT NOT NULL,
          at REAL NOT NULL,
          event_id INTEGER NOT NULL REFERENCES events(id));
        CREATE INDEX training_lines_by_session ON training_lines(session_id, user_id, id);

        -- One row per scorer, trainee and criterion; a re-score replaces the scorer's own.
        CREATE TABLE training_scores(
          id INTEGER PRIMARY KEY,
          session_id INTEGER NOT NULL REFERENCES training_sessions(id),
          trainee_id INTEGER NOT NULL REFERENCES users(id),
          scorer_id INTEGER NOT NULL REFERENCES users(id),
          criterion TEXT NOT NULL,
          score INTEGER NOT NULL CHECK (score >= 0),
          at REAL NOT NULL,
          UNIQUE(session_id, trainee_id, scorer_id, criterion));
        """)
    }
}
