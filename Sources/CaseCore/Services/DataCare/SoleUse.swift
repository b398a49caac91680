import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Proof that no other process has a database open, held across a restore's swap.
///
/// Why the swap is then safe: every SQLite connection in WAL mode holds a shared lock on
/// the "dead man switch" byte of the `-shm` file for as long as it is open, and a new
/// connection must take that lock before its first read. Holding it exclusively here
/// means no process has the old database open (no writer — a desk, an import, a mail
/// delivery — can be writing into the file about to be kept, or into the `-wal` about to
/// be deleted), and any process that tries to open it meanwhile is refused by SQLite
/// (busy) instead of reading a file being swapped. The lock is let go only once the new
/// file is in place and the old `-wal` and `-shm` are gone, so the next opener finds the
/// restored database and fresh side files. A presence check alone cannot give this: a
/// command that writes has no presence, and may open between the check and the rename.
///
/// The lock is an open-file-description lock, which conflicts with SQLite's POSIX locks,
/// this process's own included: the caller has closed its connections to the database.
final class SoleUse {
    /// Byte 128 of the -shm file: SQLite's unix VFS `UNIX_SHM_DMS`.
    private static let deadManSwitch: off_t = 128
    private static let setLock: Int32 = 37        // F_OFD_SETLK
    private var fd: Int32

    /// `walFolded`: the WAL was checkpointed into the file before (it must still be empty).
    init(_ path: String, walFolded: Bool) throws {
        let shm = path + "-shm"
        fd = open(shm, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        SharedInstall.inherit(shm, from: path)   // SQLite may find it there if the restore is refused
        guard fd >= 0 else {
            throw CaseError.invalid("cannot lock \(shm) for the swap: \(String(cString: strerror(errno))); nothing was changed")
        }
        // A command that is just finishing (a mail delivery) gets a moment to close.
        var locked = Self.lock(fd, F_WRLCK)
        for _ in 0..<40 where !locked { usleep(50_000); locked = Self.lock(fd, F_WRLCK) }
        guard locked else {
            close(fd)
            throw CaseError.notAllowed("\(path) is still open in another process (a desk, an import or a mail delivery); restore again once it has finished; nothing was changed")
        }
        // Written to since the check (by a process that has closed since) and not folded
        // into the file: the kept file would lack it.
        var st = stat()
        if walFolded, stat(path + "-wal", &st) == 0, st.st_size > 32 {
            release()
            throw CaseError.notAllowed("\(path) was written to while the restore was being prepared; restore again; nothing was changed")
        }
    }

    func release() {
        guard fd >= 0 else { return }
        _ = Self.lock(fd, F_UNLCK)
        close(fd)
        fd = -1
    }

    private static func lock(_ fd: Int32, _ type: Int32) -> Bool {
        var region = flock()
        region.l_type = Int16(type)
        region.l_whence = Int16(SEEK_SET)
        region.l_start = deadManSwitch
        region.l_len = 1
        return fcntl(fd, setLock, &region) == 0
    }
}
