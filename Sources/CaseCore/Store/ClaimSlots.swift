import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Take-next requests left in the writer queue's side file, so that the writer holding
/// the lock claims for the agents queued behind it in its own transaction (combining):
/// one lock hand-over and one commit for many claims, on pages already in that
/// connection's cache, where claims in turn each paid for both.
///
/// Each ticket has a record: the ticket + 1 (0: never written), the admin acting on the
/// agent's behalf (0: none), the agent's login, and once served the case and assign event
/// claimed for it, the case's row as read in that transaction, and a flag set after the
/// commit. A waiter whose claim is flagged committed returns that row without reading the
/// database; one served but not flagged (its writer was killed before or just after the
/// commit) checks the database (`CaseStore.servedRecord`), and claims for itself if the
/// claim is not there. The side file has the database's own mode: whoever may write it
/// may write the database.
struct ClaimSlots {
    struct Request: Equatable { var login: String; var via: Int64? }
    struct Waiting: Equatable { var ticket: Int64; var request: Request }
    struct Served: Equatable { var caseId: Int64; var eventId: Int64; var row: Row? = nil; var committed = false }

    static let records: Int64 = 1024
    static let size = 4096
    static let loginBytes = 63
    // Offsets: ticket + 1 at 0, via at 8, login length at 16 and bytes at 17, case at 80,
    // event at 88, committed flag at 96, row length at 104, row at 112.
    private static let loginAt = 16, caseAt = 80, committedAt = 96, rowAt = 112
    let fd: Int32
    let base: Int64

    private func offset(_ ticket: Int64) -> off_t {
        off_t(base + ((ticket % Self.records) + Self.records) % Self.records * Int64(Self.size))
    }

    /// Written by `WriterQueue.enter` under the counter's mutex: every writer overwrites
    /// its ticket's header, a take-next with its request, any other write with none.
    func publish(_ ticket: Int64, _ request: Request?) {
        var header = [UInt8](repeating: 0, count: Self.rowAt)
        put(ticket &+ 1, at: 0, in: &header)
        let login = Array(request?.login.utf8 ?? "".utf8)
        if let request, !login.isEmpty, login.count <= Self.loginBytes {
            put(request.via ?? 0, at: 8, in: &header)
            header[Self.loginAt] = UInt8(login.count)
            header.replaceSubrange((Self.loginAt + 1)..<(Self.loginAt + 1 + login.count), with: login)
        }
        write(header, at: 0, of: ticket)
    }

    /// The request of `ticket`, if it is a take-next no one has served yet.
    func waiting(_ ticket: Int64) -> Waiting? {
        guard let header = read(ticket, count: Self.rowAt), header[Self.loginAt] > 0, get(Self.caseAt, header) == 0,
              let login = String(validating: header[(Self.loginAt + 1)...(Self.loginAt + Int(header[Self.loginAt]))], as: UTF8.self)
        else { return nil }
        let via = get(8, header)
        return Waiting(ticket: ticket, request: Request(login: login, via: via == 0 ? nil : via))
    }

    /// Records, inside the serving transaction, what was claimed for the waiting `ticket`
    /// (the row only when it fits).
    func serve(_ ticket: Int64, _ served: Served) {
        var bytes = [UInt8](repeating: 0, count: Self.rowAt - Self.caseAt)   // the committed flag cleared
        put(served.caseId, at: 0, in: &bytes)
        put(served.eventId, at: 8, in: &bytes)
        if let row = served.row.flatMap(RowBytes.encode), row.count <= Self.size - Self.rowAt {
            put(Int64(row.count), at: Self.rowAt - 8 - Self.caseAt, in: &bytes)
            bytes += row
        }
        write(bytes, at: Self.caseAt, of: ticket)
    }

    /// Flags the claim made for `ticket` as committed (after the commit).
    func committed(_ ticket: Int64) { write([1], at: Self.committedAt, of: ticket) }

    /// What was claimed for `ticket` while it waited, if anything (read once it holds the lock).
    func served(_ ticket: Int64) -> Served? {
        guard let record = read(ticket, count: Self.size) else { return nil }
        let caseId = get(Self.caseAt, record), eventId = get(Self.caseAt + 8, record), length = Int(get(Self.rowAt - 8, record))
        guard caseId > 0, eventId > 0 else { return nil }
        let row = (1...(Self.size - Self.rowAt)).contains(length) ? RowBytes.decode(record[Self.rowAt..<(Self.rowAt + length)]) : nil
        return Served(caseId: caseId, eventId: eventId, row: row, committed: record[Self.committedAt] == 1)
    }

    private func read(_ ticket: Int64, count: Int) -> [UInt8]? {
        precondition(count >= Self.rowAt)
        var record = [UInt8](repeating: 0, count: count)
        let n = record.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, offset(ticket)) }
        // The file may end before a record's end (a row shorter than the record): the rest reads as zeros.
        guard n >= Self.rowAt, get(0, record) == ticket &+ 1, Int(record[Self.loginAt]) <= Self.loginBytes else { return nil }
        return record
    }

    private func write(_ bytes: [UInt8], at index: Int, of ticket: Int64) {
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset(ticket) + off_t(index)) }
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

/// A database row as bytes, to hand a row read in one process to another: per column its
/// name, a type tag and the value. Decoding gives nil for anything malformed.
enum RowBytes {
    static func encode(_ row: Row) -> [UInt8]? {
        var out: [UInt8] = []
        for (name, value) in row {
            let nameBytes = Array(name.utf8)
            guard nameBytes.count < 256 else { return nil }
            out.append(UInt8(nameBytes.count)); out += nameBytes
            switch value.storage {
            case .null: out.append(0)
            case .int64(let i): out.append(1); out += bytes(of: UInt64(bitPattern: i))
            case .double(let d): out.append(2); out += bytes(of: d.bitPattern)
            case .string(let s): out.append(3); let b = Array(s.utf8); out += bytes(of: UInt64(b.count)); out += b
            case .blob(let data): out.append(4); out += bytes(of: UInt64(data.count)); out += data
            }
        }
        return out
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> Row? {
        var values: [String: DatabaseValue] = [:]
        var i = bytes.startIndex
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, bytes.endIndex - i >= n else { return nil }
            defer { i += n }
            return bytes[i..<(i + n)]
        }
        func number() -> UInt64? {
            take(8).map { $0.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        }
        while i < bytes.endIndex {
            guard let n = take(1)?.first, let nameBytes = take(Int(n)), let name = String(validating: nameBytes, as: UTF8.self),
                  let tag = take(1)?.first else { return nil }
            switch tag {
            case 0: values[name] = .null
            case 1: guard let v = number() else { return nil }; values[name] = Int64(bitPattern: v).databaseValue
            case 2: guard let v = number() else { return nil }; values[name] = Double(bitPattern: v).databaseValue
            case 3:
                guard let n = number(), n <= UInt64(bytes.count), let b = take(Int(n)), let s = String(validating: b, as: UTF8.self) else { return nil }
                values[name] = s.databaseValue
            case 4:
                guard let n = number(), n <= UInt64(bytes.count), let b = take(Int(n)) else { return nil }
                values[name] = Data(b).databaseValue
            default: return nil
            }
        }
        return Row(values)
    }

    private static func bytes(of value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
