import Foundation
import Testing
@testable import CaseCore

/// Import refuses what it cannot store as written, and names the real line and column.
@Suite struct ImportRefusalTests {
    func write(_ bytes: [UInt8], ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).\(ext)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ text: String, ext: String) throws -> String { try write(Array(text.utf8), ext: ext) }

    func parse(_ store: CaseStore, _ path: String) throws -> CaseImport.Parsed {
        try CaseImport.parse(file: path, callTypes: Set(try store.callTypes().map(\.code)))
    }

    func refusal(_ store: CaseStore, _ path: String) throws -> ImportError {
        try #require(throws: ImportError.self) { _ = try store.importCases(try parse(store, path), file: path, by: nil) }
    }

    @Test func nulAndControlCharactersAreRefusedNotCutShort() throws {
        let (store, _) = try Fixtures.store()
        let onlyNul = try write("customer,channel,subject\n\u{0},phone,Hi\n", ext: "csv")
        let e1 = try refusal(store, onlyNul)
        #expect(e1.line == 2 && e1.column == "customer" && e1.problem.contains("NUL"))
        let inside = try write(#"{"customer":"Ann","channel":"chat","subject":"Hi\u0000there"}"# + "\n", ext: "jsonl")
        let e2 = try refusal(store, inside)
        #expect(e2.line == 1 && e2.column == "subject" && e2.problem.contains("NUL"))
        let escape = try write("customer,channel,subject\nAnn,phone,\"\u{1B}]0;owned\u{07}\"\n", ext: "csv")
        #expect(try refusal(store, escape).problem.contains("escape character"))
        let blank = try write("customer,channel,subject\n   ,phone,Hi\n", ext: "csv")
        #expect(try refusal(store, blank).problem == "'customer' is empty")
        #expect(try store.listCases().isEmpty)
    }

    @Test func timesOutsideTheYearsTheDatabaseHoldsAreRefused() throws {
        let (store, _) = try Fixtures.store()
        for bad in ["99999999-01-01", "-1000-01-01", "1969-12-31T23:59:59Z", "2201-01-01T00:00:00Z", "yesterday", "2026-02-30T10:00:00Z"] {
            let path = try write("customer,channel,subject,created_at\nAnn,phone,Hi,2026-11-20T10:00:00Z\nBen,phone,Hi,\(bad)\n", ext: "csv")
            let e = try refusal(store, path)
            #expect(e.line == 3 && e.column == "created_at", "\(bad): \(e)")
        }
        let dueFirst = try write("customer,channel,subject,created_at,due_at\nAnn,phone,Hi,2026-11-20T10:00:00Z,2026-11-19T10:00:00Z\n", ext: "csv")
        #expect(try refusal(store, dueFirst).problem == "due_at is before created_at")
        let good = try write("customer,channel,subject,created_at\nAnn,phone,Hi,2200-12-31T23:59:59Z\nBen,phone,Hi,1970-01-01T00:00:00Z\n", ext: "csv")
        let ids = try store.importCases(try parse(store, good), file: good, by: nil)
        #expect(try store.record(ids[0]).createdAt == Date(timeIntervalSince1970: 7_289_654_399))
    }

    @Test func duplicateAndEmptyHeadersAreRefused() throws {
        let (store, _) = try Fixtures.store()
        let twice = try write("customer,channel,subject,subject\nAnn,phone,Hi,Hello\n", ext: "csv")
        let e = try refusal(store, twice)
        #expect(e.line == 1 && e.problem == "column 'subject' appears twice in the header")
        let empty = try write("customer,channel,,subject\nAnn,phone,x,Hi\n", ext: "csv")
        #expect(try refusal(store, empty).problem == "header 3 is empty")
    }

    @Test func crlfAndByteOrderMarkAreAcceptedInCSVAndJSONLines() throws {
        let (store, _) = try Fixtures.store()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let csv = try write(bom + Array("customer,channel,subject\r\nAnn,phone,\"Two\r\nlines\"\r\nBen,chat,Hi\r\n".utf8), ext: "csv")
        let ids = try store.importCases(try parse(store, csv), file: csv, by: nil)
        #expect(ids.count == 2)
        #expect(try store.record(ids[0]).subject == "Two\nlines")
        let jsonl = try write(bom + Array(#"{"customer":"Cy","channel":"email","subject":"Hi"}"#.utf8) + [13, 10]
                              + Array(#"{"customer":"Di","channel":"email","subject":"Yo"}"#.utf8) + [13, 10], ext: "jsonl")
        #expect(try store.importCases(try parse(store, jsonl), file: jsonl, by: nil).count == 2)
    }

    @Test func badEncodingAndMalformedCSVNameTheRealLine() throws {
        let (store, _) = try Fixtures.store()
        let latin1 = try write(Array("customer,channel,subject\nAnn,phone,Hi\nBen,phone,Caf".utf8) + [0xE9] + [10], ext: "csv")
        let e1 = try refusal(store, latin1)
        #expect(e1.line == 3 && e1.problem.contains("not UTF-8") && e1.problem.contains("column 14"))
        let malformed = try write("customer,channel,subject\nAnn,phone,\"Quoted\nsubject\"\nBen,phone,Bad \"quote\" here\n", ext: "csv")
        let e2 = try refusal(store, malformed)
        #expect(e2.line == 4 && e2.problem.hasPrefix("malformed CSV"))
        let jsonl = try write("{\"customer\":\"Ann\",\"channel\":\"chat\",\"subject\":\"Hi\"}\n\n{\"customer\":\n", ext: "jsonl")
        #expect(try refusal(store, jsonl).line == 3)
    }

    @Test func aDryRunCheckReportsEveryBadLine() throws {
        let (store, _) = try Fixtures.store()
        let path = try write("""
            customer,channel,subject,priority
            Ann,phone,Hi,P1
            Ben,fax,Hi,P1
            Cy,phone,Hi,P9
            Di,phone,,P2
            Eve,phone,Fine,P4
            """, ext: "csv")
        let (parsed, problems) = try CaseImport.check(file: path, known: CaseImport.Known(callTypes: []))
        #expect(problems.map(\.line) == [3, 4, 5])
        #expect(problems.map { $0.column ?? "" } == ["channel", "priority", "subject"])
        #expect(parsed.rows.count == 2)
        let (_, firstTwo) = try CaseImport.check(file: path, known: CaseImport.Known(callTypes: []), limit: 2)
        #expect(firstTwo.count == 2)
    }

    @Test func exportedColumnsImportBackIntoANewDatabase() throws {
        let (source, _) = try Fixtures.store()
        let a = try source.createCase(NewCase(customer: "María Núñez", customerEmail: "maria@example.com", channel: .phone,
                                              callType: "billing.dispute", subject: "Charged twice, \"October\"", priority: .p1), by: "dana")
        try source.assign(a, to: "alice", by: "dana")
        try source.resolve(a, code: "refund_issued", csat: 4, by: "alice")
        let b = try source.createCase(NewCase(customer: "李娜", channel: .chat, callType: nil, subject: "Line one\nline two", selfService: true), by: nil)
        for format in ["csv", "jsonl"] {
            var text = format == "csv" ? CaseExport.columns.joined(separator: ",") + "\n" : ""
            for c in try source.listCases(ascending: true) {
                let f = CaseExport.fields(c, try source.customer(c.customerId))
                if format == "csv" {
                    text += CaseExport.columns.map { CaseExport.csvField(f[$0]) }.joined(separator: ",") + "\n"
                } else {
                    text += String(decoding: try JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]), as: UTF8.self) + "\n"
                }
            }
            let path = try write(text, ext: format)
            let (target, _) = try Fixtures.store()
            let ids = try target.importCases(try parse(target, path), file: path, by: nil)
            #expect(ids == [a, b])
            for id in ids {
                let (x, y) = (try source.record(id), try target.record(id))
                #expect(x.subject == y.subject && x.status == y.status && x.priority == y.priority && x.channel == y.channel)
                #expect(x.callType == y.callType && x.assignee == y.assignee && x.resolutionCode == y.resolutionCode && x.csat == y.csat)
                #expect(x.selfService == y.selfService)
                #expect(Int(x.createdAt.timeIntervalSince1970) == Int(y.createdAt.timeIntervalSince1970))
                #expect(Int(x.dueAt.timeIntervalSince1970) == Int(y.dueAt.timeIntervalSince1970))
                #expect(x.resolvedAt.map { Int($0.timeIntervalSince1970) } == y.resolvedAt.map { Int($0.timeIntervalSince1970) })
                #expect(try source.customer(x.customerId).name == target.customer(y.customerId).name)
            }
            // The same file again: the ids are taken now, and nothing is written.
            let again = try refusal(target, path)
            #expect(again.problem == "case #\(a) already exists in this database" && again.column == "id")
            #expect(try target.listCases().count == 2)
        }
    }
}
