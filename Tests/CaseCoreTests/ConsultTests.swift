import Foundation
import Testing
@testable import CaseCore

@Suite struct ConsultTests {
    @Test func expertSeesOnlyTheirConsultsAndAnswersIntoTheCase() throws {
        let (store, _) = try Fixtures.store()
        try store.addUser(login: "nora", name: "Nora Quist", role: .expert, department: "R&D")
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.consult(id, expert: "ed", question: "Can we waive the fee?", by: "alice")
        try store.consult(id, expert: "nora", question: "Is firmware 2.1 affected?", by: "alice")
        let mine = try store.consults(for: "ed")
        #expect(mine.map(\.question) == ["Can we waive the fee?"])
        #expect(mine.first?.from == "alice" && mine.first?.subject == "Charged twice")
        let noras = try #require(try store.consults(for: "nora").first)
        #expect(throws: CaseError.self) { try store.answerConsult(noras.id, answer: "yes", by: "ed") }
        try store.answerConsult(mine[0].id, answer: "Yes, once per customer per year.", by: "ed")
        #expect(throws: CaseError.self) { try store.answerConsult(mine[0].id, answer: "again", by: "ed") }
        #expect(try store.consults(for: "ed").isEmpty)
        #expect(try store.consults(for: "ed", includeAnswered: true).first?.answer == "Yes, once per customer per year.")
        let last = try #require(try store.detail(id).events.last)
        #expect(last.kind == .consultReply && last.actor == "ed" && last.body == "Yes, once per customer per year.")
    }
}
