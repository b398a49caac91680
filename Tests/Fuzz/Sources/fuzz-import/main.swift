import CaseCore
import FuzzDriver
import Foundation

// One input = one import file. The first byte picks how it is read (CSV or JSON Lines);
// the rest is the file. Whatever the bytes, the reader must return rows or problems,
// never crash, hang or read out of bounds; and no row it accepts may hold what import
// promises to refuse.
let known = CaseImport.Known(callTypes: ["billing", "billing.dispute", "device.setup"],
                             resolutionCodes: ["fixed", "refund_issued"], logins: ["alice", "bob", "dana"])

func fuzzImport(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let name = start[0] & 1 == 0 ? "fuzz.csv" : "fuzz.jsonl"
    let data = Data(bytes: start + 1, count: count - 1)
    guard let (parsed, _) = try? CaseImport.check(data: data, name: name, known: known, limit: 5) else { return 0 }
    for row in parsed.rows {
        for text in [row.new.customer, row.new.subject, row.new.customerEmail ?? ""]
        where text.unicodeScalars.contains(where: { $0.value == 0 || $0.value == 0x1B }) {
            fatalError("a control character passed the import check at line \(row.line)")
        }
        if row.new.customer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fatalError("an empty customer passed at line \(row.line)") }
        for time in [row.new.createdAt, row.dueAt, row.resolvedAt].compactMap({ $0 })
        where time.timeIntervalSince1970 < 0 || time.timeIntervalSince1970 >= 7_289_654_400 {
            fatalError("a time outside 1970–2200 passed at line \(row.line)")
        }
    }
    return 0
}

exit(runFuzzer(fuzzImport))
