import Foundation

public struct MaildirSummary: Equatable, Sendable {
    public var filed = 0
    public var opened = 0
    public var duplicates = 0
    public var dropped = 0
    public var quarantined = 0
}

/// `mail fetch --maildir DIR`: files each message in `new/` in name order and moves it
/// to `cur/` only after its case has committed. Killed half-way, the next run sees
/// what is left in `new/`; a message committed but not yet moved is a duplicate by
/// its Message-ID (or its content's hash) and is filed once.
public enum MaildirFetch {
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
        for name in try fm.contentsOfDirectory(atPath: newDir).sorted() where !name.hasPrefix(".") {
            let path = (newDir as NSString).appendingPathComponent(name)
            guard let data = fm.contents(atPath: path) else { continue }   // gone meanwhile (another fetch took it)
            let result = try store.deliverMail([UInt8](data), as: login, team: team)
            switch result {
            case .filed(.filed(_, _, let opened, _)): summary.filed += 1; if opened { summary.opened += 1 }
            case .filed(.duplicate): summary.duplicates += 1
            case .dropped: summary.dropped += 1
            case .quarantined: summary.quarantined += 1
            }
            let base = name.contains(":2,") ? name : name + ":2,S"
            if rename(path, (curDir as NSString).appendingPathComponent(base)) != 0 && errno != ENOENT {
                throw TemporaryFailure("cannot move \(name) to cur/: \(String(cString: strerror(errno)))")
            }
            each(name, result)
        }
        return summary
    }
}
