import GRDB

/// Tables for training: sessions, participants, attempts, scores.
enum TrainingSchema {
    static func migrate(_ db: Database) throws {
    }
}
