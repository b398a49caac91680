import ArgumentParser
import CaseCore
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

    func open() throws -> CaseStore { try CaseStore(path: path) }
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

/// Left-aligned columns sized by display width (CJK names take two cells).
func table(_ header: [String], _ rows: [[String]]) -> String {
    func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) } }
    var widths = header.map(width)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - width(c)) }
            .joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}

private func isWide(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD: true
    default: false
    }
}
