import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Training copies carry no production numbers: pseudonym emails, phones and accounts do
/// not hold the customer's id, and a case's own number does not survive in its text.
@Suite struct TrainingPrivacyTests {
    @Test func pseudonymsAndTextCarryNoProductionNumbers() throws {
        let (store, path) = try Fixtures.store()
        // Customer 80 and case 80, as in the report that found the leak.
        try store.write { db in
            for i in 1...80 { try db.execute(sql: "INSERT INTO customers(name, email) VALUES (?, ?)", arguments: ["Customer Number\(i)", "c\(i)@example.org"]) }
        }
        var last: Int64 = 0
        for i in 1...80 {
            var new = Fixtures.newCase("case \(i)", customer: "Customer Number\(i)")
            new.customerId = Int64(i)   // a name alone picks no existing customer
            last = try store.createCase(new, by: "dana")
        }
        #expect(last == 80)
        let customerId = try store.record(last).customerId
        #expect(customerId == 80)
        try store.assign(last, to: "alice", by: "dana")
        let filled = try #require(try ResponseFiller.filled(store: store, caseId: last, responseId: "hello", agent: "alice")).text
        #expect(filled.contains("case 80"))
        try store.sendResponse(last, text: filled + " Your refund is under reference 80; amount 80.00, call 10:80.", responseId: "hello", by: "alice")

        let out = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-priv-\(UUID().uuidString).sqlite").path
        let summary = try Genericizer.run(from: path, to: out, options: GenericizeOptions(caseIds: [last]))
        let copyId = try #require(summary.caseMap.first?.1)
        #expect(copyId != 80)
        let copy = try CaseStore(path: out)
        let detail = try copy.detail(copyId)
        for value in [detail.customer.email, detail.customer.phone, detail.customer.account].compactMap({ $0 }) {
            #expect(!value.contains("80") || !CaseNumbers.numbers(in: value, column: "email").contains(80), "\(value)")
            #expect(!value.hasSuffix("000080") && !value.contains("80@"), "pseudonym carries the customer id: \(value)")
        }
        let response = try #require(detail.events.first { $0.kind == .response }?.body)
        #expect(!response.contains("reference 80"), "\(response)")
        #expect(!response.contains("case 80"), "\(response)")
        #expect(response.contains("reference \(copyId)") && response.contains("case \(copyId)"))
        #expect(response.contains("80.00") && response.contains("10:80"), "amounts and times are left alone: \(response)")
    }

    /// Pseudonym numbers are random, so a phone group of "080" or an email "…880@" for
    /// customer 80 came up now and then; no digit group a pseudonym shows may be or end
    /// with the customer's id.
    @Test func noDigitGroupOfAPseudonymIsOrEndsWithTheCustomersId() {
        var numbers = PseudonymNumbers()
        for id: Int64 in [7, 80, 123, 7724, 123_456] {
            for _ in 0..<4000 {
                let n = numbers.draw(avoiding: id)
                let shown = [n, n / 10_000, n % 10_000, n % 1000].map { Int64($0) }
                #expect(!shown.contains(id), "\(n) shows \(id)")
                #expect(!shown.contains { String($0).hasSuffix(String(id)) }, "\(n) ends with \(id)")
                #expect(!String(n).hasSuffix(String(id)) && !PseudonymNumbers.shownGroups(n).contains { $0.hasSuffix(String(id)) })
            }
        }
    }

    @Test func theLeakScanFindsCaseNumbersAndCustomerIds() throws {
        let (store, path) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase("first"), by: "dana")
        _ = try store.createCase(Fixtures.newCase("second"), by: "dana")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-priv-\(UUID().uuidString).sqlite").path
        _ = try Genericizer.run(from: path, to: out, options: GenericizeOptions(caseIds: [id + 1]))
        // Plant both leaks in the copy and scan it: source case 2 is training case 1; customer 1 is training customer 1.
        let queue = try DatabaseQueue(path: out)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO events(case_id, at, kind, body) VALUES (1, 0, 'note', 'see reference 2')")
            try db.execute(sql: "UPDATE customers SET account = 'TR-000001' WHERE id = 1")
        }
        let leaks = try Genericizer.numberLeaks(in: queue, cases: [(id + 1, 1)], customers: [1: 1])
        #expect(leaks.contains { $0.identifier == "case number 2" && $0.column == "body" })
        #expect(leaks.contains { $0.identifier == "customer id 1" && $0.column == "account" })
    }

    @Test func caseNumbersAreReplacedOnlyAsWholeNumbers() {
        let map: [Int64: Int64] = [2390: 7, 1: 9]
        #expect(CaseNumbers.replace(in: "under reference 2390.", map) == "under reference 7.")
        #expect(CaseNumbers.replace(in: "#2390 and 12390 and 2390.50 and 2025-07-01 and 01", map) == "#7 and 12390 and 2390.50 and 2025-07-01 and 01")
        #expect(CaseNumbers.replace(in: "case 1, see 1:30", map) == "case 9, see 1:30")
    }
}
