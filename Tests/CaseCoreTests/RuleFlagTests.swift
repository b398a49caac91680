import Foundation
import Testing
@testable import CaseCore

@Suite struct RuleFlagTests {
    @Test func flagsGroupByRuleAndALeadAnswersThemAll() throws {
        let (store, _) = try Fixtures.store()
        let a = try store.createCase(Fixtures.newCase("one"), by: nil)
        let b = try store.createCase(Fixtures.newCase("two"), by: nil)
        try store.flagRule(a, rule: "No refunds after 30 days", by: "alice")
        try store.flagRule(b, rule: "  no refunds  after 30 DAYS ", by: "bob")
        try store.flagRule(b, rule: "Proof of address by post only", by: "bob")
        let groups = try store.ruleFlagGroups()
        #expect(groups.count == 2)
        let refunds = try #require(groups.first)
        #expect(refunds.count == 2 && refunds.open == 2 && Set(refunds.agents) == ["alice", "bob"] && Set(refunds.caseIds) == [a, b])
        #expect(throws: CaseError.self) { try store.answerRuleFlag(refunds.flagId, answer: "no", by: "alice") }
        #expect(try store.answerRuleFlag(refunds.flagId, answer: "Changed: 60 days from December.", by: "dana") == 2)
        #expect(try store.ruleFlagGroups().map(\.rule) == ["Proof of address by post only"])
        #expect(try store.ruleFlagGroups(includeAnswered: true).first { $0.answer != nil }?.answer == "Changed: 60 days from December.")
        for id in [a, b] {
            let last = try #require(try store.detail(id).events.last)
            #expect(last.kind == .flag && last.field == "answer" && last.actor == "dana")
            #expect(TimelineText.line(for: last) == "rule flag answered (dana): Changed: 60 days from December.")
        }
    }
}
