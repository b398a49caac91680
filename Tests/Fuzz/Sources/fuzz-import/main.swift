import CaseCore
import Foundation

// One input = one import file. The first byte picks how it is read (CSV or JSON Lines);
// the rest is the file. Whatever the bytes, the reader must return rows or problems,
// never crash, hang or read out of bounds.
let known = CaseImport.Known(callTypes: ["billing", "billing.dispute", "device.setup"],
                             resolutionCodes: ["fixed", "refund_issued"], logins: ["alice", "bob", "dana"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let name = bytes[0] & 1 == 0 ? "fuzz.csv" : "fuzz.jsonl"
    let data = Data(bytes.dropFirst())
    if let (parsed, problems) = try? CaseImport.check(data: data, name: name, known: known, limit: 5) {
        // Every row that passed is storable as written: no control characters, times in range.
        for row in parsed.rows {
            for text in [row.new.customer, row.new.subject] where text.unicodeScalars.contains(where: { $0.value == 0 || $0.value == 0x1B }) {
                fatalError("a control character passed the import check at line \(row.line)")
            }
            if let created = row.new.createdAt, created.timeIntervalSince1970 < 0 { fatalError("a time before 1970 passed at line \(row.line)") }
        }
        _ = problems
    }
    return 0
}
