import Foundation
import Testing

/// Times the command line prints are the pack's business zone (London for the demo), as
/// on the desk, whatever the zone of the terminal running the command.
@Suite(.serialized) struct ShownTimeCommandLineTests {
    static let db: String = try! DeskTerminalTests.demoDatabase()

    @Test func tablesAndTimelinesShowThePacksZoneNotTheTerminals() throws {
        for args in [["case", "list"], ["case", "show", "1"], ["customer", "show", "1"], ["team", "board"]] {
            let inUTC = try MailEndToEndTests.run(args + ["--db", Self.db, "--as", "dana"], env: ["TZ": "UTC"])
            let inAuckland = try MailEndToEndTests.run(args + ["--db", Self.db, "--as", "dana"], env: ["TZ": "Pacific/Auckland"])
            #expect(inUTC.status == 0, "\(args): \(inUTC.stderr)")
            #expect(inUTC.stdout.contains(":"), "\(args) shows no time")
            #expect(inUTC.stdout == inAuckland.stdout, "\(args) depends on the terminal's zone")
        }
    }
}
