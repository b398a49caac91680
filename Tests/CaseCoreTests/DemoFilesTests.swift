import Foundation
import Testing
@testable import CaseCore

/// The demo's data files under Resources/demo: found from the tests as from the binary, read
/// whole, and a broken one named in one line.
@Suite struct DemoFilesTests {
    @Test func theShippedFilesAreFoundAndRead() throws {
        let dir = try #require(PackLocator.resourceDirectory(DemoFiles.directoryName, marker: "names.yaml"))
        let files = try DemoFiles.load(directory: dir)
        #expect(files.names.showcase.contains { $0.name == "María Núñez" })
        #expect(files.names.cultures.contains { $0.lang == "zh" && $0.familyFirst && $0.separator.isEmpty })
        #expect(files.staff.staff.contains { $0.login == "alice" && $0.role == .agent && $0.team == 0 })
        #expect(files.topics.byCallType["billing.dispute"]?.isEmpty == false)
        #expect(files.outcomes.resolutions.allSatisfy { $0.codes.count == $0.weights.count })
    }

    @Test func aBrokenFileIsNamed() throws {
        let shipped = try #require(PackLocator.resourceDirectory(DemoFiles.directoryName, marker: "names.yaml"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-demo-files-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: shipped, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "teams: []\nstaff:\n- {login: x, name: X, role: wizard}\n".write(to: dir.appendingPathComponent("staff.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try DemoFiles.load(directory: dir)
            Issue.record("a staff file with an unknown role was accepted")
        } catch let error as CaseError {
            #expect(error.description.contains("staff.yaml"))
            #expect(!error.description.contains("\n"))
        }
    }
}
