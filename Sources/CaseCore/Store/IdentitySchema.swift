import GRDB

/// Who really acted: when an admin acts on behalf of another user (`--as`), each event
/// keeps the acting user in `actor_id` and the admin in `via_id` ("dana as alice").
/// The value comes from the connection's `casedesk_via()` function (see CaseStore).
enum IdentitySchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE events ADD COLUMN via_id INTEGER REFERENCES users(id)")
    }
}
