import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Attachment bytes beside the database, one file per content (its SHA-256 names it:
/// `ab/abcdef…`), written to a temporary name and renamed into place, so a reader
/// never sees half a file and the same attachment twice is stored once.
struct AttachmentStore {
    var directory: String

    /// Stores the bytes; returns their SHA-256. A full disk is a `TemporaryFailure`.
    func put(_ data: [UInt8]) throws -> String {
        let sha = SHA256.hex(data)
        let dir = (directory as NSString).appendingPathComponent(String(sha.prefix(2)))
        let path = (dir as NSString).appendingPathComponent(sha)
        if FileManager.default.fileExists(atPath: path) { return sha }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw TemporaryFailure("cannot create \(dir): \(error.localizedDescription)")
        }
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard fd >= 0 else { throw TemporaryFailure("cannot write \(temp): \(String(cString: strerror(errno)))") }
        var written = 0
        let failure: Int32? = data.withUnsafeBytes { buf -> Int32? in
            while written < buf.count {
                let n = write(fd, buf.baseAddress! + written, buf.count - written)
                if n < 0 { if errno == EINTR { continue }; return errno }
                written += n
            }
            return fsync(fd) == 0 ? nil : errno
        }
        close(fd)
        if let err = failure {
            unlink(temp)
            throw TemporaryFailure("cannot write an attachment (\(String(cString: strerror(err))))")
        }
        guard rename(temp, path) == 0 else {
            let err = errno
            unlink(temp)
            throw TemporaryFailure("cannot store an attachment (\(String(cString: strerror(err))))")
        }
        return sha
    }

    func path(for sha: String) -> String {
        ((directory as NSString).appendingPathComponent(String(sha.prefix(2))) as NSString).appendingPathComponent(sha)
    }
}

/// One attachment as the timeline lists it.
public struct AttachmentInfo: Equatable, Sendable {
    public var filename: String
    public var contentType: String
    public var size: Int
    public var sha256: String?
    public var note: String?
}

extension CaseStore {
    public func attachments(caseId: Int64) throws -> [AttachmentInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT filename, content_type, size, sha256, note FROM attachments WHERE case_id = ? ORDER BY id",
                             arguments: [caseId]).map {
                AttachmentInfo(filename: $0["filename"], contentType: $0["content_type"], size: $0["size"], sha256: $0["sha256"], note: $0["note"])
            }
        }
    }

    /// Where a kept attachment's bytes are.
    public func attachmentPath(sha256: String) -> String { AttachmentStore(directory: attachmentDirectory).path(for: sha256) }
}
