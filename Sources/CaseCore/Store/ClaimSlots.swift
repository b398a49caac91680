import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Take-next requests left in the writer queue's side file, so that the writer holding
/// the lock claims for the agents queued behind it in its own transaction (combining):
/// one lock hand-over and one commit for many claims, on pages already in that
/// connection's cache, where claims in turn each paid for both.
///
/// Each ticket has a 128-byte record: the ticket + 1 (0: never written), the admin acting
/// on the agent's behalf (0: none), the case and assign event claimed for it (0: not
/// served), and the agent's login. A record is only a claim: the waiter that finds one
/// checks in the database that the event names it and the case (`CaseStore.takeNext`), so
/// a writer killed before its commit, or a record someone wrote by hand, makes the waiter
/// claim for itself, never hand out a case it was not given.
struct ClaimSlots {
    struct Request: Equatable { var login: String; var via: Int64? }
    struct Waiting: Equatable { var ticket: Int64; var request: Request }
    struct Served: Equatable { var caseId: Int64; var eventId: Int64 }

    static let records: Int64 = 4096
    static let size = 128
    static let loginBytes = size - 33
    let fd: Int32
    let base: Int64

    private func offset(_ ticket: Int64) -> off_t {
        off_t(base + ((ticket % Self.records) + Self.records) % Self.records * Int64(Self.size))
    }

    /// Written by `WriterQueue.enter` under the counter's mutex: every writer overwrites
    /// its ticket's record, a take-next with its request, any other write with none.
    func publish(_ ticket: Int64, _ request: Request?) {
        var record = [UInt8](repeating: 0, count: Self.size)
        put(ticket &+ 1, at: 0, in: &record)
        let login = Array(request?.login.utf8 ?? "".utf8)
        if let request, !login.isEmpty, login.count <= Self.loginBytes {
            put(request.via ?? 0, at: 8, in: &record)
            record[32] = UInt8(login.count)
            record.replaceSubrange(33..<(33 + login.count), with: login)
        }
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, Self.size, offset(ticket)) }
    }

    /// The request of `ticket`, if it is a take-next no one has served yet.
    func waiting(_ ticket: Int64) -> Waiting? {
        guard let record = read(ticket), record[32] > 0, get(16, record) == 0,
              let login = String(validating: record[33..<(33 + Int(record[32]))], as: UTF8.self) else { return nil }
        let via = get(8, record)
        return Waiting(ticket: ticket, request: Request(login: login, via: via == 0 ? nil : via))
    }

    /// Records what the writer holding the lock claimed for the waiting `ticket`.
    func serve(_ ticket: Int64, _ served: Served) {
        var bytes = [UInt8](repeating: 0, count: 16)
        put(served.caseId, at: 0, in: &bytes)
        put(served.eventId, at: 8, in: &bytes)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, 16, offset(ticket) + 16) }
    }

    /// What was claimed for `ticket` while it waited, if anything (read once it holds the lock).
    func served(_ ticket: Int64) -> Served? {
        guard let record = read(ticket) else { return nil }
        let caseId = get(16, record), eventId = get(24, record)
        return caseId > 0 && eventId > 0 ? Served(caseId: caseId, eventId: eventId) : nil
    }

    private func read(_ ticket: Int64) -> [UInt8]? {
        var record = [UInt8](repeating: 0, count: Self.size)
        let n = record.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Self.size, offset(ticket)) }
        guard n == Self.size, get(0, record) == ticket &+ 1, Int(record[32]) <= Self.loginBytes else { return nil }
        return record
    }

    private func put(_ value: Int64, at index: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(index..<(index + 8), with: $0) }
    }

    private func get(_ index: Int, _ bytes: [UInt8]) -> Int64 {
        var value: Int64 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes[index..<(index + 8)]) }
        return Int64(littleEndian: value)
    }
}
