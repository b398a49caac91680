import Foundation
@testable import CaseCore

/// A small pack written in code so core tests do not depend on the shipped YAML.
enum Fixtures {
    static let pack = ContentPack(
        callTypes: [
            CallType(code: "billing", name: "Billing", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 480),
            CallType(code: "billing.dispute", name: "Disputed charge", defaultPriority: .p2, firstResponseMinutes: 30, resolutionMinutes: 240),
            CallType(code: "device", name: "Device", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 480),
            CallType(code: "device.setup", name: "Device setup", defaultPriority: .p4, firstResponseMinutes: 120, resolutionMinutes: 960),
        ],
        resolutionCodes: [ResolutionCode(code: "fixed", name: "Fixed"), ResolutionCode(code: "refund_issued", name: "Refund issued")],
        scripts: [Script(callType: "billing.dispute", title: "Disputed charge", steps: [
            ScriptStep(id: "greet", kind: .greet, title: "Greet",
                       responses: [ResponseTemplate(id: "hello", title: "Hello", text: "Hello {{customer.first_name}}, this is {{agent.name}} about case {{case.id}}.")]),
            ScriptStep(id: "verify", kind: .verify, title: "Verify"),
            ScriptStep(id: "diagnose", kind: .diagnose, title: "Diagnose", question: "Charged twice?",
                       choices: [StepChoice(answer: "yes", next: "refund"), StepChoice(answer: "no", next: "explain")]),
            ScriptStep(id: "refund", kind: .resolve, title: "Refund", next: "close"),
            ScriptStep(id: "explain", kind: .resolve, title: "Explain"),
            ScriptStep(id: "close", kind: .close, title: "Close"),
        ])],
        scorecards: [],
        businessHours: .always)

    /// A fresh database file with the pack, a lead, two agents and an expert.
    static func store(now: @escaping @Sendable () -> Date = { Date() }) throws -> (CaseStore, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("test.sqlite").path
        let store = try CaseStore(path: path, create: true, now: now)
        try store.install(pack)
        try store.addUser(login: "dana", name: "Dana Lee", role: .lead, team: "Tier 1")
        try store.addUser(login: "alice", name: "Alice Martin", role: .agent, team: "Tier 1")
        try store.addUser(login: "bob", name: "Bob Okafor", role: .agent, team: "Tier 1", skills: ["device"])
        try store.addUser(login: "ed", name: "Ed Park", role: .expert, department: "finance")
        return (store, path)
    }

    static func newCase(_ subject: String = "Charged twice", callType: String? = "billing.dispute",
                        customer: String = "María Núñez", priority: Priority? = nil) -> NewCase {
        NewCase(customer: customer, channel: .phone, callType: callType, subject: subject, priority: priority)
    }
}

/// A clock tests move by hand: presence expiry, "today", SLA risk, handle time.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}
