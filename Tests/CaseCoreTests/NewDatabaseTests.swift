import Foundation
import Testing
@testable import CaseCore

/// The one way a database file is created: whole or not at all, never over another file.
@Suite struct NewDatabaseTests {
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-newdb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    struct Stop: Error {}

    @Test func aFinishedBuildTakesItsNameAndLeavesNothingElse() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/new.sqlite"
        let users = try NewDatabase.create(at: path) { store in
            try store.install(Fixtures.pack)
            try store.addUser(login: "dana", role: .lead)
            return try store.users().count
        }
        #expect(users == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["new.sqlite"])
        #expect(try CaseStore(path: path).users().map(\.login) == ["dana"])
    }

    @Test func aFailureHalfWayLeavesNoFile() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/new.sqlite"
        #expect(throws: Stop.self) {
            try NewDatabase.create(at: path) { store in
                try store.install(Fixtures.pack)
                try store.addUser(login: "dana", role: .lead)
                throw Stop()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // A failure after the build (a shared install's chown) leaves nothing either.
        #expect(throws: Stop.self) {
            try NewDatabase.create(at: path, build: { store in try store.install(Fixtures.pack) },
                                   beforePublish: { _ in throw Stop() })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/taken.sqlite"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CaseError.alreadyExists(path)) {
            try NewDatabase.create(at: path) { store in try store.install(Fixtures.pack) }
        }
        // Another process creating the file while this one builds: the finished build still
        // does not replace it.
        let racing = dir + "/racing.sqlite"
        #expect(throws: CaseError.alreadyExists(racing)) {
            try NewDatabase.create(at: racing) { store in
                try store.install(Fixtures.pack)
                try Data("theirs".utf8).write(to: URL(fileURLWithPath: racing))
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: racing, encoding: .utf8) == "theirs")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["racing.sqlite", "taken.sqlite"])
    }
}
