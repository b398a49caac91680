import ArgumentParser
import CaseCore
import CaseDesk
import Foundation

/// `casedesk ingest`: JSON Lines from a chat, SMS or social relay.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "File contacts from a relay, one JSON object a line (see docs/mail.md).",
        discussion: """
        Each line: {"channel": "sms", "customer": {"name": …, "email": …, "phone": …, "handle": …}, "text": …, \
        "external_id": …, "case_id": 12, "reply_to": [earlier external ids], "subject": …, "at": "2026-11-29T09:00:00Z" \
        (the last four optional)}. A case_id that names no case refuses its line. Each line is filed in its \
        own transaction or not at all; a bad line is reported as FILE:LINE: … and the rest go on. Exit 65 when any \
        line was refused, 75 when the database is busy or missing (run it again: filed lines are not filed twice).
        """)
    @Option(help: "Read this file instead of stdin.") var file: String?
    @Option(help: "The team whose queue new cases join.") var team: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        let name = file ?? "stdin"
        let data: Data
        if let file {
            guard let d = FileManager.default.contents(atPath: file) else { throw Failure("cannot read \(file)") }
            data = d
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        // The setup (database, gateway account) is checked once: wrong, nothing is read (exit 75).
        let s = try MailCommand.gateway { () -> CaseStore in
            let s = try store.open(gateway: true)
            try s.require(store.login, .fileContacts)
            return s
        }
        var refused = 0, filed = 0, duplicates = 0
        for (index, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            func refuse(_ why: String) {
                FileHandle.standardError.write(Data("\(name):\(lineNo): \(SafeText.line(why))\n".utf8)); refused += 1
            }
            guard let line = String(validating: Array(raw), as: UTF8.self) else { refuse("not UTF-8 text"); continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            do {
                // A line's own fault (bad JSON, a case_id that names no case) refuses that line
                // alone; busy or a full disk stops the run with 75, and a rerun files the rest.
                let outcome = try s.ingest(try Ingest.contact(line, team: team), as: store.login)
                switch outcome {
                case .filed(let id, _, _, _): print("\(name):\(lineNo): case \(id)"); filed += 1
                case .duplicate(let id): print("\(name):\(lineNo): already filed on case \(id)"); duplicates += 1
                }
            } catch let error as CaseError {
                refuse(error.description)
            } catch let error where TemporaryFailure.isTemporary(error) {
                throw Failure("\(name):\(lineNo): \(error) (temporary failure: run it again; lines filed are not filed twice)",
                              code: MailCommand.Sysexit.tempFail)
            }
        }
        FileHandle.standardError.write(Data("casedesk: filed \(filed), \(duplicates) already filed, \(refused) refused\n".utf8))
        if refused > 0 { throw ExitCode(MailCommand.Sysexit.dataErr) }
    }
}
