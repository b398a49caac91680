import Foundation
import GRDB
import Testing
@testable import CaseCore

/// `train genericize`: real cases become case studies with no identifying detail left.
@Suite struct TrainingGenericizeTests {
    static func temp(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// Every text value of every column of every table (the test's own scan, independent of the genericizer's).
    static func allText(_ path: String) throws -> [String] {
        var config = Configuration(); config.readonly = true
        return try DatabaseQueue(path: path, configuration: config).read { db in
            var out: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for column in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]) {
                    out += try String.fetchAll(db, sql: "SELECT \"\(column)\" FROM \"\(table)\" WHERE typeof(\"\(column)\") = 'text'")
                }
            }
            return out
        }
    }

    @Test func demoDatabaseLeavesNoCustomerIdentifier() throws {
        let (source, _, _) = try DemoDataTests.populated()
        let out = try Self.temp("training.sqlite")
        let summary = try Genericizer.run(from: source.path, to: out, now: DemoDataTests.now)
        #expect(summary.cases > 100)
        #expect(summary.replacements["customer name", default: 0] > 0)

        // Every source customer's name, email, phone and account number, searched everywhere.
        let sourceCustomers = try source.pool.read { db in try Row.fetchAll(db, sql: "SELECT name, email, phone, account FROM customers") }
        var needles = Set<String>()
        for row in sourceCustomers {
            for key in ["name", "email", "phone", "account"] { if let v = row[key] as String? { needles.insert(v.lowercased()) } }
        }
        // Lower-cased UTF-8 of every text value, searched with memmem (String.contains is far slower on megabytes).
        let blob = Array(try Self.allText(out).joined(separator: "\u{1}").lowercased().utf8)
        let found = needles.filter { needle in
            let n = Array(needle.utf8)
            return blob.withUnsafeBytes { b in n.withUnsafeBytes { testMemmem(b.baseAddress, b.count, $0.baseAddress, $0.count) } } != nil
        }
        #expect(found.isEmpty, "still in the training database: \(found.sorted().prefix(10))")
        // The scan is not vacuous: the source's free text does name customers.
        #expect(try Self.allText(source.path).contains { $0.contains("María") && !$0.contains("@") })

        // The output is marked as training, and staff are role labels.
        let training = try CaseStore(path: out)
        #expect(try training.setting("kind") == "training")
        let logins = try training.users().map(\.login)
        #expect(logins.allSatisfy { $0.hasPrefix("agent") || $0.hasPrefix("lead") || $0.hasPrefix("expert") || $0.hasPrefix("trainer") || $0.hasPrefix("admin") })
        #expect(try training.users().contains { $0.name == "Agent 1" })
    }

    @Test func pseudonymIsConsistentAcrossACaseAndItsText() throws {
        let (source, _, _) = try DemoDataTests.populated()
        // A case of María Núñez's whose responses greet her by first name.
        let caseId = try #require(try source.pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT c.id FROM cases c JOIN customers cu ON cu.id = c.customer_id JOIN events e ON e.case_id = c.id
                WHERE cu.name = 'María Núñez' AND e.kind = 'response' AND e.body LIKE '%María%' ORDER BY c.id LIMIT 1
                """)
        })
        let out = try Self.temp("one.sqlite")
        let summary = try Genericizer.run(from: source.path, to: out, options: GenericizeOptions(caseIds: [caseId]), now: DemoDataTests.now)
        #expect(summary.cases == 1)
        let training = try CaseStore(path: out)
        let detail = try training.detail(summary.caseMap[0].1)
        let pseudonym = detail.customer
        #expect(pseudonym.name != "María Núñez")
        #expect(pseudonym.email?.hasSuffix("@example.invalid") == true)
        let texts = detail.events.compactMap(\.body).joined(separator: "\n")
        #expect(texts.contains(pseudonym.firstName), "responses greet the pseudonym: \(texts)")
        #expect(!texts.contains("María") && !texts.contains("Núñez"))
        // Staff appear only as role labels, in the timeline too.
        #expect(detail.events.allSatisfy { $0.actor == nil || $0.actor!.range(of: #"^(agent|lead|trainer|expert|admin)\d+$"#, options: .regularExpression) != nil })
    }

    @Test func freeTextInManyScriptsAndNumbers() throws {
        let (store, path) = try Fixtures.store()
        try store.write { db in
            try db.execute(sql: "INSERT INTO customers(name, email, phone, account, address) VALUES ('李娜', 'li.na@example.cn', '+86 138 0013 8000', 'AC-7654321', '12 Rue des Lilas, Paris')")
            try db.execute(sql: "INSERT INTO customers(name, email, phone, account) VALUES ('فاطمة الزهراء', 'fatima@example.ae', '+971 50 123 4567', 'AC-1234567')")
            try db.execute(sql: "INSERT INTO customers(name, email, phone, account) VALUES ('Zoë Lefèvre', 'zoe@example.fr', '+33 6 12 34 56 78', 'AC-5555555')")
        }
        let lina = try store.createCase(NewCase(customer: "李娜", customerEmail: "li.na@example.cn", channel: .email, callType: "billing.dispute",
                                                subject: "李娜的发票 invoice"), by: "alice")
        try store.addCustomerMessage(lina, text: "我是李娜，电话 +86 138 0013 8000。娜 here again; my card 4111 1111 1111 1111 was charged on 2025-07-01.")
        try store.addNote(lina, text: "Called 李娜 back; she mentioned فاطمة الزهراء and ZOE LEFEVRE (account ac-5555555, phone ٠٦١٢٣٤٥٦٧٨ / +33612345678). Lives at 12 Rue des Lilas, Paris. Alice Martin checked.", by: "alice")
        let out = try Self.temp("scripts.sqlite")
        let summary = try Genericizer.run(from: path, to: out, options: GenericizeOptions(caseIds: [lina]))
        let text = try Self.allText(out).joined(separator: "\n")
        for needle in ["李娜", "娜", "فاطمة", "الزهراء", "Zoë", "ZOE LEFEVRE", "Lefèvre", "li.na@example.cn", "+86 138 0013 8000",
                       "4111 1111 1111 1111", "ac-5555555", "AC-5555555", "+33612345678", "٠٦١٢٣٤٥٦٧٨", "12 Rue des Lilas", "Alice Martin"] {
            #expect(!text.contains(needle), "'\(needle)' survived")
        }
        #expect(text.contains("2025-07-01"), "dates are not phone numbers")
        #expect(text.contains("[card number removed]"))
        #expect(summary.replacements["customer name", default: 0] >= 4)
        let detail = try CaseStore(path: out).detail(summary.caseMap[0].1)
        // The same person has the same pseudonym in the customer row and in the text.
        #expect(detail.events.contains { $0.body?.contains(detail.customer.name) == true })
        #expect(detail.events.contains { $0.body?.contains(detail.customer.phone ?? "?") == true })
    }

    @Test func refusesAnExistingOutputAndWritesNothingOnNoMatch() throws {
        let (_, path) = try Fixtures.store()
        let out = try Self.temp("none.sqlite")
        #expect(throws: CaseError.self) { try Genericizer.run(from: path, to: out) }   // no cases at all
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(throws: CaseError.self) { try Genericizer.run(from: path, to: path) }
    }
}

@_silgen_name("memmem")
private func testMemmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int, _ needle: UnsafeRawPointer?, _ needleLength: Int) -> UnsafeMutableRawPointer?
