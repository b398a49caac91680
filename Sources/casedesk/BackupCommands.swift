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
        print(try store.open(adminOnly: true).backup(to: to, keep: keep, by: store.login))
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
        // file has nobody to ask but the login itself.
        var login = OSAccount.loginOrUid()
        if let refusal = SharedInstall.refusalToOpen(db) { throw Failure(refusal) }
        FailureLog.opened = (db, login)   // a refusal below is logged too
        if FileManager.default.fileExists(atPath: db) {
            let opened: CaseStore?
            do { opened = try CaseStore(path: db) } catch {
                // Too damaged to open, so nobody in it can be asked: only whoever owns the file may replace it.
                try Self.requireOwner(db, because: error)
                opened = nil
            }
            if let current = opened {
                login = try current.identify(osLogin: login, asLogin: asLogin, newcomerRole: .admin).login
                FailureLog.opened = (db, login)
                try current.require(login, .manageData)
                try current.checkpointAndClose()
            }
        }
        print(try DatabaseRestore.run(backup: backup, into: db, by: login))
    }

    /// Root, or the owner of the file (who could replace it with `mv` anyway).
    static func requireOwner(_ db: String, because error: Error) throws {
        var st = stat()
        guard stat(db, &st) == 0 else { throw error }
        if getuid() == 0 || getuid() == st.st_uid { return }
        let owner = getpwuid(st.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(st.st_uid)"
        let why = (error as? CaseError)?.description ?? "\(db) cannot be opened (\(error))"
        throw CaseError.notAllowed("\(why); nobody in it can be asked who you are, so only root or the file's owner (\(owner)) may restore over it; nothing was changed")
    }
}
