import Foundation
import Testing
@testable import CaseCore

@Suite struct ImportTests {
    func write(_ text: String, ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func importFile(_ store: CaseStore, _ path: String) throws -> [Int64] {
        let parsed = try CaseImport.parse(file: path, callTypes: Set(try store.callTypes().map(\.code)))
        return try store.importCases(parsed, file: path, by: nil)
    }

    @Test func goodCSVImportsEveryRow() throws {
        let (store, _) = try Fixtures.store()
        let path = try write("""
            customer,email,channel,call_type,subject,priority,self_service
            María Núñez,maria@example.com,phone,billing.dispute,"Charged twice, October",P2,true
            李娜,li.na@example.cn,chat,device.setup,"Setup help
            over two lines",,no
            """, ext: "csv")
        let ids = try importFile(store, path)
        #expect(ids.count == 2)
        let first = try store.detail(ids[0])
        #expect(first.customer.name == "María Núñez" && first.record.subject == "Charged twice, October" && first.record.selfService)
        #expect(try store.record(ids[1]).subject == "Setup help\nover two lines")
    }

    @Test func aBadCSVRowNamesItsLineAndWritesNothing() throws {
        let (store, _) = try Fixtures.store()
        let path = try write("""
            customer,channel,call_type,subject
            Ann,phone,billing,"Quoted
            subject"
            Ben,fax,billing,Wrong channel
            """, ext: "csv")
        let error = try #require(throws: ImportError.self) { try importFile(store, path) }
        #expect(error.line == 4)
        #expect(error.description.contains(":4: unknown channel 'fax'"))
        #expect(try store.listCases().isEmpty)
    }

    @Test func aBadJSONLinesRowNamesItsLineAndWritesNothing() throws {
        let (store, _) = try Fixtures.store()
        let path = try write("""
            {"customer":"Ann","channel":"email","subject":"Hi","call_type":"billing"}
            {"customer":"Ben","channel":"email","subject":"Hi","call_type":"billing.nonsense"}
            """, ext: "jsonl")
        let error = try #require(throws: ImportError.self) { try importFile(store, path) }
        #expect(error.line == 2 && error.problem.contains("unknown call type 'billing.nonsense'"))
        #expect(try store.listCases().isEmpty)
        let broken = try write("{\"customer\":\"Ann\"\nnot json\n", ext: "jsonl")
        #expect(throws: ImportError.self) { try importFile(store, broken) }
    }

    @Test func missingColumnsAndUnknownColumnsAreNamed() throws {
        let (store, _) = try Fixtures.store()
        let missing = try write("customer,subject\nAnn,Hi\n", ext: "csv")
        #expect((try #require(throws: ImportError.self) { try importFile(store, missing) }).problem == "missing column 'channel'")
        let unknown = try write("customer,channel,subject,colour\nAnn,phone,Hi,red\n", ext: "csv")
        #expect((try #require(throws: ImportError.self) { try importFile(store, unknown) }).problem.hasPrefix("unknown column 'colour'"))
    }
}
