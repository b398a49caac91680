import Foundation

public struct MaildirSummary: Equatable, Sendable {
    public var filed = 0
    public var opened = 0
    public var duplicates = 0
    public var dropped = 0
    public var bounced = 0
    public var quarantined = 0
}

/// `mail fetch --maildir DIR`: files the messages in `new/` in name order, up to 100 in
/// a transaction, and moves each to `cur/` only after its case has committed. Killed half-way, the next run sees
/// what is left in `new/`; a message committed but not yet moved is a duplicate by
/// its Message-ID (or its content's hash) and is filed once.
public enum MaildirFetch {
    /// Messages per transaction.
    public static let batchSize = 100

    public static func run(store: CaseStore, maildir: String, login: String, team: String? = nil,
                           each: (String, MailDeliveryResult) -> Void = { _, _ in }) throws -> MaildirSummary {
        let fm = FileManager.default
        let newDir = (maildir as NSString).appendingPathComponent("new")
        let curDir = (maildir as NSString).appendingPathComponent("cur")
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: newDir, isDirectory: &isDir), isDir.boolValue else {
            throw CaseError.invalid("\(maildir) is not a Maildir (no new/ folder)")
        }
        if !fm.fileExists(atPath: curDir) { try fm.createDirectory(atPath: curDir, withIntermediateDirectories: true) }
        var summary = MaildirSummary()
        let names = try fm.contentsOfDirectory(atPath: newDir).sorted().filter { !$0.hasPrefix(".") }
        // Batches of messages, each batch one transaction; each file moves only after its batch committed.
        var start = 0
        while start < names.count {
            var batch: [(String, [UInt8])] = []
            var bytes = 0
            while start < names.count, batch.count < batchSize, bytes < 16 * 1_048_576 {
                let name = names[start]
                start += 1
                guard let data = fm.contents(atPath: (newDir as NSString).appendingPathComponent(name)) else { continue }   // gone meanwhile
                batch.append((name, [UInt8](data)))
                bytes += data.count
            }
            let results = try store.deliverMails(batch.map(\.1), as: login, team: team)
            for ((name, _), result) in zip(batch, results) {
                switch result {
                case .filed(.filed(_, _, let opened, _)): summary.filed += 1; if opened { summary.opened += 1 }
                case .filed(.duplicate): summary.duplicates += 1
                case .dropped: summary.dropped += 1
                case .bounced: summary.bounced += 1
                case .quarantined: summary.quarantined += 1
                }
                let base = name.contains(":2,") ? name : name + ":2,S"
                if rename((newDir as NSString).appendingPathComponent(name), (curDir as NSString).appendingPathComponent(base)) != 0 && errno != ENOENT {
                    throw TemporaryFailure("cannot move \(name) to cur/: \(String(cString: strerror(errno)))")
                }
                each(name, result)
            }
        }
        return summary
    }
}
