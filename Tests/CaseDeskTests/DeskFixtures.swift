import CaseCore
import CaseDesk
import Foundation
import Testing

/// A small contact centre at a fixed moment, for desk tests and golden screens.
enum DeskFixtures {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T10:00:00Z")!

    static let pack = ContentPack(
        callTypes: [
            CallType(code: "billing", name: "Billing", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 480),
            CallType(code: "billing.dispute", name: "Disputed charge", defaultPriority: .p2, firstResponseMinutes: 30, resolutionMinutes: 480),
            CallType(code: "device", name: "Device", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 480),
            CallType(code: "device.setup", name: "Device setup", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 240),
        ],
        resolutionCodes: [ResolutionCode(code: "fixed", name: "Fixed"), ResolutionCode(code: "refund_issued", name: "Refund issued")],
        scripts: [
            Script(callType: "billing.dispute", title: "Disputed charge", steps: [
                ScriptStep(id: "greet", kind: .greet, title: "Greet", responses: [
                    ResponseTemplate(id: "hello", title: "Hello", text: "Hello {{customer.first_name}}, this is {{agent.name}}. I'm looking at case {{case.id}} now."),
                ]),
                ScriptStep(id: "verify", kind: .verify, title: "Verify", responses: [
                    ResponseTemplate(id: "confirm", title: "Confirm identity", text: "Can you confirm the email on the account, {{customer.first_name}}?"),
                ]),
                ScriptStep(id: "diagnose", kind: .diagnose, title: "Diagnose", question: "Was the customer charged twice?",
                           choices: [StepChoice(answer: "yes", next: "refund"), StepChoice(answer: "no", next: "explain")],
                           responses: [ResponseTemplate(id: "ask", title: "Ask", text: "Which charge are you asking about?")]),
                ScriptStep(id: "refund", kind: .resolve, title: "Refund", next: "close", responses: [
                    ResponseTemplate(id: "refund", title: "Refund raised", text: "I've refunded the duplicate charge, {{customer.first_name}}. Expect it by {{case.due}}."),
                ]),
                ScriptStep(id: "explain", kind: .resolve, title: "Explain", responses: [
                    ResponseTemplate(id: "explain", title: "Explain the charge", text: "The second charge is your monthly plan."),
                ]),
                ScriptStep(id: "close", kind: .close, title: "Close", responses: [
                    ResponseTemplate(id: "bye", title: "Goodbye", text: "Thanks for calling, {{customer.first_name}}. Your reference is {{case.id}}."),
                ]),
            ]),
            Script(callType: "device.setup", title: "Device setup", steps: [
                ScriptStep(id: "greet", kind: .greet, title: "Greet", responses: [ResponseTemplate(id: "hi", title: "Hi", text: "Hi {{customer.first_name}}!")]),
                ScriptStep(id: "verify", kind: .verify, title: "Verify"),
                ScriptStep(id: "diagnose", kind: .diagnose, title: "Diagnose"),
                ScriptStep(id: "resolve", kind: .resolve, title: "Resolve"),
                ScriptStep(id: "close", kind: .close, title: "Close"),
            ]),
        ],
        businessHours: .always)

    /// alice has three cases (one nearing its due time, one overdue, one with a CJK name);
    /// three more wait unassigned.
    static func store() throws -> CaseStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-desk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try CaseStore(path: dir.appendingPathComponent("desk.sqlite").path, create: true, now: { now })
        try store.install(pack)
        try store.addUser(login: "alice", name: "Alice Martin", role: .agent, team: "Tier 1")
        try store.addUser(login: "dana", name: "Dana Lee", role: .lead, team: "Tier 1")
        try store.addUser(login: "ed", name: "Ed Park", role: .expert, department: "finance")
        func make(_ customer: String, _ channel: Channel, _ code: String?, _ subject: String, hoursAgo: Double,
                  priority: Priority? = nil, selfService: Bool = false) throws -> Int64 {
            try store.createCase(NewCase(customer: customer, channel: channel, callType: code, subject: subject, priority: priority,
                                         selfService: selfService, body: subject, createdAt: now.addingTimeInterval(-hoursAgo * 3600)), by: nil)
        }
        let oda = try make("Oda Ren", .chat, "device.setup", "Router will not pair", hoursAgo: 3.8)
        let maria = try make("María Núñez", .phone, "billing.dispute", "Charged twice for October", hoursAgo: 9, selfService: true)
        let lina = try make("李娜", .email, nil, "发票地址错误 — invoice address wrong", hoursAgo: 2)
        _ = try make("Søren Åberg", .web, "device.setup", "New handset will not activate", hoursAgo: 1, priority: .p1)
        _ = try make("فاطمة الزهراء", .social, "billing.dispute", "Refund still missing", hoursAgo: 5)
        _ = try make("Tunde Eze", .ivr, "device.setup", "Set-top box setup", hoursAgo: 0.5, priority: .p4)
        for id in [oda, maria, lina] { try store.assign(id, to: "alice", by: "dana", reason: "morning split") }
        try store.addCustomerMessage(maria, text: "I was charged twice for October, €39.99 each time.")
        try store.completeStep(maria, stepId: "greet", by: "alice")
        try store.addNote(maria, text: "verified identity by email on file", by: "alice")
        try store.completeStep(maria, stepId: "verify", by: "alice")
        return store
    }

    static func desk(cols: Int, rows: Int, unicode: Bool = true, color: Bool = true,
                     editor: @escaping (String) -> String? = { _ in nil }) throws -> (Desk, VirtualScreen, CaseStore) {
        let store = try store()
        let screen = VirtualScreen(cols: cols, rows: rows, supportsColor: color, unicode: unicode)
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: { now }, editor: editor)
        desk.start()
        return (desk, screen, store)
    }

    static func keys(_ desk: Desk, _ keys: [Key]) { for k in keys { desk.send(.key(k)) } }
    static func type(_ desk: Desk, _ text: String) { for c in text { desk.send(.key(.char(c))) } }
}

/// Compares a screen with `golden/NAME.txt`; `UPDATE_GOLDEN=1` rewrites the file.
func expectGolden(_ screen: VirtualScreen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden/\(name).txt")
    let actual = screen.text() + "\n"
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "screen differs from golden/\(name).txt (UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
}

/// Compares a screen's colours and attributes with `golden/NAME.colours.txt`, one letter a
/// cell (`VirtualScreen.colorMap`): where the meaning is in the colour (SLA states, the
/// selected row) the text golden alone would not notice a change. `UPDATE_GOLDEN=1` rewrites it.
func expectGoldenColours(_ screen: VirtualScreen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden/\(name).colours.txt")
    let legend = "# one letter a cell: n normal, a accent, o ok, w warn, d danger, m muted, s selection, b banner; capital: bold or reverse\n"
    let actual = legend + screen.colorMap() + "\n"
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "colours differ from golden/\(name).colours.txt (UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
}
