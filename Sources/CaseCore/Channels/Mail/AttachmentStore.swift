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
        // Already kept: freshen its time so a sweep of unnamed files does not take it before
        // the delivery that is about to name it commits.
        if utimensat(AT_FDCWD, path, nil, 0) == 0 { return sha }
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

extension CaseStore {
    /// The kept files of the attachments on `caseIds` (read inside the write that is about to
    /// remove or unlink their rows).
    static func attachmentFiles(_ db: Database, caseIds list: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM attachments WHERE case_id IN (\(list)) AND sha256 IS NOT NULL"))
    }

    /// Deletes the files among `shas` that no attachment row names any more. Called after the
    /// commit that removed their rows; a crash in between leaves a file that
    /// `sweepAttachmentFiles` removes later. Returns how many files went.
    @discardableResult
    func removeAttachmentFiles(_ shas: Set<String>) throws -> Int {
        guard !shas.isEmpty else { return 0 }
        let unreferenced = try read { db in
            try shas.filter { try !Bool(Int.fetchOne(db, sql: "SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1", arguments: [$0]) == 1) }
        }
        let files = AttachmentStore(directory: attachmentDirectory)
        return unreferenced.filter { unlink(files.path(for: $0)) == 0 }.count
    }

    /// Removes attachment files no row names that are older than `age` (what a crash between
    /// a purge's commit and its unlink left, or a delivery that never committed). Younger
    /// files are left: a delivery stores its bytes before the transaction that names them.
    @discardableResult
    public func sweepAttachmentFiles(olderThan age: TimeInterval = 86_400) throws -> Int {
        let fm = FileManager.default
        let root = attachmentDirectory
        guard let folders = try? fm.contentsOfDirectory(atPath: root) else { return 0 }
        let cutoff = Date().addingTimeInterval(-age)
        var candidates: [(sha: String, path: String)] = []
        for folder in folders where folder.count == 2 {
            let dir = (root as NSString).appendingPathComponent(folder)
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
                let path = (dir as NSString).appendingPathComponent(name)
                guard let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff else { continue }
                candidates.append((String(name.prefix(while: { $0 != "." })), path))
            }
        }
        guard !candidates.isEmpty else { return 0 }
        let named = try read { db in
            try Set(candidates.map(\.sha).filter { try Int.fetchOne(db, sql: "SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1", arguments: [$0]) == 1 })
        }
        // A temporary file (`sha.tmp-PID`) a day old belongs to no running delivery.
        return candidates.filter { ($0.path.contains(".tmp-") || !named.contains($0.sha)) && unlink($0.path) == 0 }.count
    }
}
