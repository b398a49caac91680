import GRDB

/// Who really acted: when an admin acts on behalf of another user (`--as`), each event
/// keeps the acting user in `actor_id` and the admin in `via_id` ("dana as alice").
/// The value comes from the connection's `casedesk_via()` function (see CaseStore).
/// The policy's facts about a case include the experts consulted on it: indexed by case.
enum IdentitySchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE events ADD COLUMN via_id INTEGER REFERENCES users(id)")
        // The policy reads who was consulted on a case on every change to it.
        try db.execute(sql: "CREATE INDEX consults_by_case ON consults(case_id)")
    }
}
