import ArgumentParser
import CaseCore
import Foundation

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a consistent copy of the database while desks keep working, and check it.",
        discussion: "The copy is read from one snapshot (SQLite's online backup API), checked (integrity, schema version, row counts) and only then renamed into place. With --keep N, FILE is the newest backup and FILE.1 … FILE.(N-1) the older ones.")
    @Option(help: "The backup file to write.") var to: String
    // Unconditional: `--keep -1` is a wrong number (said so by the backup), not a missing one.
    @Option(parsing: .unconditional, help: "Rotate: keep this many backups (FILE, FILE.1, …).") var keep: Int?
    @OptionGroup var store: StoreOptions

    func run() throws {
        print(try store.open().backup(to: to, keep: keep, by: store.login))
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of a database (refused while desks have it open).",
        discussion: "The backup is checked first; an older schema is migrated, a newer one refused. The swap is one rename; the old database is kept beside it as PATH.before-restore-TIME.")
    @Argument(help: "The backup file.") var backup: String
    @Option(help: "The database to replace (required: a restore never guesses).") var db: String
    @Option(name: .customLong("as"), help: "Who is restoring (default: your operating-system login).") var asLogin: String?

    func run() throws {
        // Who restores is asked of the database being replaced, as for any command; a new
        // file (or one too damaged to open) has nobody to ask but the login itself.
        var login = OSAccount.loginOrUid()
        if let refusal = SharedInstall.refusalToOpen(db) { throw Failure(refusal) }
        if FileManager.default.fileExists(atPath: db), let current = try? CaseStore(path: db) {
            login = try current.identify(osLogin: login, asLogin: asLogin).login
            try current.require(login, .manageData)
            try current.checkpointAndClose()
        }
        FailureLog.opened = (db, login)
        print(try DatabaseRestore.run(backup: backup, into: db, by: login))
    }
}
