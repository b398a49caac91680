import Foundation
import Testing
@testable import CaseCore

/// A session can start from a (genericized) case already in the training database.
@Suite struct TrainingFromCaseTests {
    @Test func copiesStartFromTheCaseAsTheCustomerBroughtIt() throws {
        let (store, _) = try TrainingSessionTests.trainingStore()
        let source = try store.createCase(NewCase(customer: "Avery Ashdown", customerEmail: "avery.ashdown1@example.invalid",
                                                  channel: .email, callType: "billing.dispute", subject: "Charged twice",
                                                  body: "I see two payments this month."), by: nil)
        try store.addCustomerMessage(source, text: "Still waiting for an answer, please.")
        try store.addUser(login: "agent1", name: "Agent 1", role: .agent)
        try store.addNote(source, text: "internal: refund approved", by: "agent1")
        let scenario = try TrainingSessionTests.scenario("rapport-first-time-caller")
        let session = try store.createSession(module: "From life", scenario: scenario, trainer: "tess",
                                              participants: [("bea", "Finance"), ("cal", "R&D")], fromCase: source)
        #expect(session.scenario.startingCase.customer == "Avery Ashdown")
        for p in session.participants {
            let copy = try store.detail(p.caseId)
            #expect(copy.customer.name == "Avery Ashdown")
            #expect(copy.record.subject == "Charged twice" && copy.record.channel == .email)
            #expect(copy.record.callType == nil)          // choosing it is the trainee's job
            #expect(copy.record.assignee == p.login)
            let bodies = copy.events.compactMap(\.body)
            #expect(bodies.contains("I see two payments this month."))
            #expect(bodies.contains("Still waiting for an answer, please."))
            #expect(!bodies.contains("internal: refund approved"))   // how it was handled is not shown
        }
    }
}
