import GRDB

/// Quality reviews of resolved cases against the pack's scorecard: one review per scorer
/// per case, one row per criterion (a NULL score: not applicable).
enum QASchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE qa_reviews(
          id INTEGER PRIMARY KEY,
          case_id INTEGER NOT NULL REFERENCES cases(id),
          scorer_id INTEGER NOT NULL REFERENCES users(id),
          agent_id INTEGER REFERENCES users(id),
          scorecard TEXT NOT NULL,
          at REAL NOT NULL,
          note TEXT NOT NULL,
          UNIQUE(case_id, scorer_id));
        CREATE INDEX qa_reviews_by_at ON qa_reviews(at);
        CREATE INDEX qa_reviews_by_agent ON qa_reviews(agent_id, at);
        CREATE INDEX qa_reviews_by_case ON qa_reviews(case_id);
        -- The board's QA queue: each agent's cases resolved this week.
        CREATE INDEX cases_resolved_by_assignee ON cases(assignee_id, resolved_at) WHERE resolved_at IS NOT NULL;
        CREATE TABLE qa_scores(
          review_id INTEGER NOT NULL REFERENCES qa_reviews(id),
          criterion TEXT NOT NULL,
          score INTEGER,
          PRIMARY KEY(review_id, criterion));
        """)
    }
}
