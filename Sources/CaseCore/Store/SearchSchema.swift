import Foundation
import GRDB

/// The search index's tables (one home with `SearchIndex`): one FTS5 document per case
/// (rowid = case id) and one per customer (rowid = customer id). Built once for an
/// existing database by the migration; kept in step by every write afterwards.
enum SearchSchema {
    static let tokenizer = "unicode61 remove_diacritics 2"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE case_search USING fts5(customer, subject, body, tokenize = '\(tokenizer)');
            CREATE VIRTUAL TABLE customer_search USING fts5(name, contact, tokenize = '\(tokenizer)', prefix = '1 2 3');
            CREATE INDEX customers_by_email_nocase ON customers(email COLLATE NOCASE);
            CREATE INDEX customers_by_account_nocase ON customers(account COLLATE NOCASE);
            """)
        try SearchIndex.rebuild(in: db)
    }
}

/// Contact-handling columns: the follow-up time of a pending case, and whether the
/// priority was set by hand (then a new call type keeps it).
enum ContactSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE cases ADD COLUMN follow_up_at REAL;
            ALTER TABLE cases ADD COLUMN priority_manual INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX cases_follow_up ON cases(assignee_id, follow_up_at) WHERE status = 'pending' AND follow_up_at IS NOT NULL;
            """)
        try SearchSchema.migrate(db)
    }
}
