import Foundation
import GRDB

/// What a failed database or file operation means to the person who ran the command:
/// one line saying what failed, what was kept and what to do, and the exit status
/// (docs/command-line.md): 75 when trying again later can work (the database is busy),
/// 74 for a full disk or an I/O error, 1 otherwise.
public struct StoreFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var exitStatus: Int32

    public static let busyStatus: Int32 = 75      // EX_TEMPFAIL
    public static let ioStatus: Int32 = 74        // EX_IOERR

    /// The one line for an error from SQLite (GRDB's `DatabaseError`).
    public init(_ error: DatabaseError, path: String?) {
        let file = path.map { " \($0)" } ?? ""
        let dir = path.map { ($0 as NSString).deletingLastPathComponent }.flatMap { $0.isEmpty ? nil : $0 } ?? "."
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL:
            description = "the disk holding the database\(file) is full: nothing of this command was saved and what was stored before is intact; free space in \(dir) and run it again"
            exitStatus = Self.ioStatus
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            description = "the database\(file) is busy: another process (an import, a bulk load, a backup) held its write lock for \(Int(WriteLockWait.limit)) s; nothing of this command was saved; run it again when that process has finished"
            exitStatus = Self.busyStatus
        case .SQLITE_READONLY:
            description = "the database\(file) is read-only for you: nothing was saved; check the file's and its directory's permissions"
            exitStatus = 1
        case .SQLITE_IOERR:
            description = "cannot read or write the database\(file) (I/O error: \(message)): nothing of this command was saved; check the disk, then run casedesk doctor"
            exitStatus = Self.ioStatus
        case .SQLITE_CANTOPEN:
            description = "cannot open the database\(file): check that \(dir) exists and that you may write to it"
            exitStatus = 1
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            description = CaseError.notADatabase(path ?? "the database").description + "; nothing was changed; run casedesk doctor"
            exitStatus = 1
        case .SQLITE_CONSTRAINT:
            description = "the database refused the change (\(message)): nothing of this command was saved"
            exitStatus = 1
        default:
            description = "database error (\(message)): nothing of this command was saved; run casedesk doctor if it happens again"
            exitStatus = 1
        }
    }

    /// The one line for a file that could not be read or written (an import file, an export, a pack).
    public init(file: String, writing: Bool, _ error: Error) {
        let reason: String
        if let posix = error as? POSIXError { reason = String(cString: strerror(posix.code.rawValue)) }
        else if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else { reason = (error as NSError).localizedDescription }
        let full = reason.lowercased().contains("no space")
        description = "cannot \(writing ? "write" : "read") \(file): \(reason)" + (full ? "; free some space and run it again" : "")
        exitStatus = full ? Self.ioStatus : 1
    }
}

extension StoreFailure {
    /// The one line for any error from the store or the file system, or nil for errors
    /// that are not about storage (those have their own wording).
    public static func from(_ error: Error, path: String?) -> StoreFailure? {
        switch error {
        case let failure as StoreFailure: return failure
        case let db as DatabaseError: return StoreFailure(db, path: path)
        case let posix as POSIXError: return StoreFailure(file: path ?? "the database", writing: true, posix)
        default:
            let ns = error as NSError
            guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
            let file = (ns.userInfo[NSFilePathErrorKey] as? String) ?? path ?? "a file"
            return StoreFailure(file: file, writing: ns.code >= 512 && ns.code < 1024 || ns.domain == NSPOSIXErrorDomain, error)
        }
    }
}
