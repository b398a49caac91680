import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A first-come, first-served queue in front of SQLite's write lock, shared by every
/// process that writes the database through `CaseStore.write`.
///
/// SQLite has no queue: waiters poll the lock, so under contention whoever polls at the
/// right moment wins, the others keep sleeping and polling (on two cores, 32 pollers
/// also steal the CPU the lock holder needs). Here a writer takes a ticket from a
/// counter in the side file `DB-writers`, holds a one-byte lock for its ticket, and
/// sleeps in the kernel on the lock of the ticket before its own. When that writer
/// finishes, exactly one waiter wakes: the next. Locks are open-file-description locks
/// (F_OFD_SETLKW), so two stores in one process queue too, and the kernel releases them
/// when a process dies, so a killed writer never blocks the queue.
///
/// Only order is decided here; SQLite's lock still guards every write, so a writer that
/// does not use the queue (the sqlite3 shell, a backup) stays safe, and when the queue
/// cannot be used (a read-only directory) writes simply go straight to SQLite's lock.
final class WriterQueue: @unchecked Sendable {
    static let slots: Int64 = 1 << 16
    private static let setLock: Int32 = 37        // F_OFD_SETLK
    private static let setLockWait: Int32 = 38    // F_OFD_SETLKW
    private let fd: Int32

    /// `CASEDESK_WRITER_QUEUE=off` leaves waiting to SQLite's lock alone (the benchmark
    /// measures both ways).
    init?(databasePath: String) {
        if ProcessInfo.processInfo.environment["CASEDESK_WRITER_QUEUE"] == "off" { return nil }
        fd = open(databasePath + "-writers", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    /// Waits until every writer that came earlier has finished; returns the ticket to
    /// hand to `leave`, or nil when the queue could not be joined (then SQLite's own
    /// waiting applies). A take-next passes its request, which the writer holding the lock
    /// may serve meanwhile (`ClaimSlots`).
    func enter(claim request: ClaimSlots.Request? = nil) -> Int64? {
        guard lock(0, wait: true) else { return nil }           // byte 0: the counter's mutex
        var ticket: Int64 = 0
        let read = pread(fd, &ticket, 8, 0)
        if read != 8 { ticket = 0 }
        var next = ticket &+ 1
        let written = pwrite(fd, &next, 8, 0)
        let joined = written == 8 && lock(slot(ticket), wait: false)
        // Published under the counter's mutex, so a writer scanning the slots sees it whole.
        if joined { claims.publish(ticket, request) }
        unlock(0)
        guard joined else { return nil }
        // Sleep until the writer before us lets go of its ticket.
        let before = slot(ticket &- 1)
        if lock(before, wait: true) { unlock(before) }
        return ticket
    }

    func leave(_ ticket: Int64) { unlock(slot(ticket)) }

    /// The take-next requests of the writers queued behind `ticket` that no one has served
    /// yet, in their order (at most `limit`).
    func waitingClaims(after ticket: Int64, limit: Int) -> [ClaimSlots.Waiting] {
        guard lock(0, wait: true) else { return [] }
        defer { unlock(0) }
        var next: Int64 = 0
        guard pread(fd, &next, 8, 0) == 8 else { return [] }
        var found: [ClaimSlots.Waiting] = []
        var t = ticket &+ 1
        // Bounded by the records there are: a counter that is not what it should be (the file
        // rewritten by hand) never makes this walk long.
        while t != next, t &- ticket <= ClaimSlots.records, found.count < limit {
            if let waiting = claims.waiting(t) { found.append(waiting) }
            t = t &+ 1
        }
        return found
    }

    /// Slots for take-next requests and what was claimed for them, after the lock bytes.
    var claims: ClaimSlots { ClaimSlots(fd: fd, base: 8 + Self.slots) }

    private func slot(_ ticket: Int64) -> Int64 { 8 + ((ticket % Self.slots) + Self.slots) % Self.slots }

    private func lock(_ byte: Int64, wait: Bool) -> Bool {
        var region = flock()
        region.l_type = Int16(F_WRLCK)
        region.l_whence = Int16(SEEK_SET)
        region.l_start = off_t(byte)
        region.l_len = 1
        while fcntl(fd, wait ? Self.setLockWait : Self.setLock, &region) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    private func unlock(_ byte: Int64) {
        var region = flock()
        region.l_type = Int16(F_UNLCK)
        region.l_whence = Int16(SEEK_SET)
        region.l_start = off_t(byte)
        region.l_len = 1
        _ = fcntl(fd, Self.setLock, &region)
    }
}
