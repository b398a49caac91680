import ArgumentParser
import CaseCore
import CaseDesk
import Foundation

/// Where the database is and who is acting: `--db`, then `CASEDESK_DB`, then the XDG
/// data directory; `--as`, then the operating-system login.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CASEDESK_DB, then $XDG_DATA_HOME/casedesk/casedesk.sqlite).")
    var db: String?

    @Option(name: .customLong("as"), help: "Act as this login (default: your operating-system login).")
    var asLogin: String?

    var path: String { Self.resolve(db) }

    var login: String {
        if let asLogin { return asLogin }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return NSUserName()
    }

    static func resolve(_ explicit: String?) -> String {
        let env = ProcessInfo.processInfo.environment
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnv = env["CASEDESK_DB"], !fromEnv.isEmpty { return fromEnv }
        // XDG: $XDG_DATA_HOME, else $HOME/.local/share ($HOME first: it is what the user set).
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home as NSString).appendingPathComponent(".local/share")
        return ((base as NSString).appendingPathComponent("casedesk") as NSString).appendingPathComponent("casedesk.sqlite")
    }

    /// Opens the database. The gateway account may only run the channel commands
    /// (`gateway: true`: mail and ingest); everything else refuses it (GatewayRule).
    func open(gateway: Bool = false) throws -> CaseStore {
        let store = try CaseStore(path: path)
        if !gateway, let user = try? store.user(login: login), !GatewayRule.mayUsePeopleCommands(user) {
            throw Failure(GatewayRule.refusal(user))
        }
        return store
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// A failure to report as one line on stderr with a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    var description: String
    var code: Int32 = 1
    init(_ description: String, code: Int32 = 1) { self.description = description; self.code = code }
}

func loadPack(_ directory: String?) throws -> (ContentPack, URL) {
    let url: URL
    if let directory {
        url = URL(fileURLWithPath: directory)
    } else if let found = PackLocator.defaultPackDirectory() {
        url = found
    } else {
        throw Failure("cannot find the content pack (Resources/pack); name it with --pack DIR or CASEDESK_PACK")
    }
    let problems = PackLoader.lint(directory: url)
    if !problems.isEmpty {
        throw Failure(problems.map { "\($0)" }.joined(separator: "\n"))
    }
    return (try PackLoader.load(directory: url), url)
}

/// JSON with snake_case keys and ISO 8601 times, as every `--format json` prints.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Left-aligned columns sized by display width (CJK names take two cells), with the
/// desk's own width rules.
func table(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map { displayWidth(of: $0) }
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(of: cell)) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - displayWidth(of: c)) }
            .joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
