import GRDB

/// Tables for the live team: presence, assignment-policy state.
enum LiveTeamSchema {
    static func migrate(_ db: Database) throws {
    }
}
