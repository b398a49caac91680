import Foundation
import Testing
@testable import CaseCore

/// The shipped pack, found from this file.
private let shippedPack = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Resources/pack", isDirectory: true)

/// A pack import says what it added, changed and retired, and does exactly that.
@Suite struct PackInstallTests {
    @Test func aCallTypeLeftOutOfThePackIsRetiredNotKeptOrDeleted() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: "alice")   // billing.dispute
        var smaller = Fixtures.pack
        smaller.callTypes.removeAll { $0.code == "billing.dispute" }
        smaller.scripts.removeAll { $0.callType == "billing.dispute" }
        smaller.resolutionCodes.removeAll { $0.code == "refund_issued" }
        let changes = try store.install(smaller)
        #expect(changes.callTypes.retired == ["billing.dispute"] && changes.callTypes.unchanged == 3 && changes.callTypes.added.isEmpty)
        #expect(changes.scripts.retired == ["billing.dispute"])
        #expect(changes.resolutionCodes.retired == ["refund_issued"])
        #expect(changes.lines[0] == "call types: 1 retired (billing.dispute), 3 unchanged")
        // Hidden from pickers and refused for new work ...
        #expect(!(try store.callTypes().map(\.code)).contains("billing.dispute"))
        #expect(!(try store.resolutionCodes().map(\.code)).contains("refund_issued"))
        #expect(throws: CaseError.self) { try store.createCase(Fixtures.newCase(), by: "alice") }
        #expect(throws: CaseError.self) { try store.resolve(id, code: "refund_issued", by: "alice") }
        // ... kept for the case that has it, with its script.
        #expect(try store.record(id).callType == "billing.dispute")
        #expect(try store.script(for: "billing.dispute")?.title == "Disputed charge")
        // Back in the pack: offered again.
        let back = try store.install(Fixtures.pack)
        #expect(back.callTypes.changed == ["billing.dispute"] && back.resolutionCodes.changed == ["refund_issued"])
        #expect(try store.callTypes().map(\.code).contains("billing.dispute"))
        let again = try store.install(Fixtures.pack)
        #expect(again.callTypes.unchanged == 4 && again.callTypes.changed.isEmpty && again.scripts.unchanged == 1)
    }

    @Test func aScriptLeftOutOfThePackIsRemovedWhenItsCallTypeStays() throws {
        let (store, _) = try Fixtures.store()
        var noScripts = Fixtures.pack
        noScripts.scripts = []
        var renamed = noScripts
        renamed.callTypes[0].name = "Billing and payments"
        renamed.callTypes.append(CallType(code: "orders", name: "Orders", defaultPriority: .p3, firstResponseMinutes: 60, resolutionMinutes: 480))
        let changes = try store.install(renamed)
        #expect(changes.scripts.removed == ["billing.dispute"])
        #expect(changes.callTypes.changed == ["billing"] && changes.callTypes.added == ["orders"])
        #expect(try store.script(for: "billing.dispute") == nil)
    }

    @Test func lintChecksTheFolderShape() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pack-shape-\(UUID())")
        try FileManager.default.copyItem(at: shippedPack, to: dir)
        #expect(PackLoader.lint(directory: dir).isEmpty)
        let scripts = dir.appendingPathComponent("scripts")
        try FileManager.default.removeItem(at: scripts)
        try "not a folder\n".write(to: scripts, atomically: true, encoding: .utf8)
        let problems = PackLoader.lint(directory: dir).map(\.description)
        #expect(problems.contains { $0.contains("scripts") && $0.contains("is a file; it must be a folder of .yaml files") })
        try FileManager.default.removeItem(at: scripts)
        try FileManager.default.createDirectory(at: scripts.appendingPathComponent("billing.yaml"), withIntermediateDirectories: true)
        try "x".write(to: scripts.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let more = PackLoader.lint(directory: dir).map(\.description)
        #expect(more.contains { $0.contains("scripts/billing.yaml") && $0.contains("is a folder") })
        #expect(more.contains { $0.contains("scripts/notes.txt") && $0.contains("not a .yaml file") })
    }
}
