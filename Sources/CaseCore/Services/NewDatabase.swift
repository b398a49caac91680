import Foundation

/// The one way a database file comes into being (`init`, a training database, genericize).
/// It is built under a temporary name in the same directory, created with O_EXCL so no two
/// runs share it, its WAL folded in, and only then linked into place: a failure half-way
/// leaves nothing at `path`, and a file already there is never replaced (link, unlike
/// rename, refuses an existing name).
public enum NewDatabase {
    /// `build` fills the new store; `beforePublish` may adjust the finished temporary file
    /// (a shared install's group and mode) before it takes its name.
    public static func create<T>(at path: String, now: @escaping @Sendable () -> Date = { Date() },
                                 build: (CaseStore) throws -> T,
                                 beforePublish: (String) throws -> Void = { _ in }) throws -> T {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else { throw CaseError.alreadyExists(path) }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let temp = path + ".creating-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // 0666 less the umask, as CaseStore gives the files it creates itself.
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw CaseError.invalid("cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        defer { for suffix in ["", "-wal", "-shm", "-writers"] { try? fm.removeItem(atPath: temp + suffix) } }
        let result: T
        do {
            let store = try CaseStore(path: temp, create: true, now: now)
            result = try build(store)
            try store.checkpointAndClose()
        }
        try beforePublish(temp)
        guard link(temp, path) == 0 else {
            if errno == EEXIST { throw CaseError.alreadyExists(path) }
            throw CaseError.invalid("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return result
    }
}
