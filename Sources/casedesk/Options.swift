import ArgumentParser
import CaseCore
import CaseDesk
import Foundation

/// Where the database is and who is acting: `--db`, then `CASEDESK_DB`, then the XDG
/// data directory; the operating-system login of the real uid (`--as` only for an admin,
/// or in a demo or training database).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CASEDESK_DB, then $XDG_DATA_HOME/casedesk/casedesk.sqlite).")
    var db: String?

    @Option(name: .customLong("as"), help: "Act on behalf of this login (admins; anyone in a demo or training database).")
    var asLogin: String?

    var path: String { Self.resolve(db) }

    /// Who is acting, as resolved when the store was opened (`open`, `openTraining`).
    var login: String {
        if let identity = Acting.identity { return identity.login }
        return OSAccount.loginOrUid()
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

    /// Opens the database and resolves who is acting; every command that reads or
    /// writes cases comes through here (or `openTraining`).
    /// The gateway account may only run the channel commands (`gateway: true`: mail and
    /// ingest); everything else refuses it (GatewayRule).
    /// `adminOnly`: the command is an admin's (backups, retention, a customer's data), so an
    /// unknown login is told to be added as one.
    func open(gateway: Bool = false, adminOnly: Bool = false) throws -> CaseStore {
        let store = try Acting.identify(try CaseStore(path: try checkedPath()), asLogin: asLogin, newcomerRole: adminOnly ? .admin : .agent)
        if !gateway, let user = try? store.user(login: login), !GatewayRule.mayUsePeopleCommands(user) {
            throw Failure(GatewayRule.refusal(user))
        }
        return store
    }

    /// Opens the database and asks the policy whether the acting user may do `action`
    /// (`listCases` for commands that read many cases or customers: not experts, not the gateway).
    func open(asking action: Action) throws -> CaseStore {
        let store = try open()
        try store.require(login, action)
        return store
    }

    /// Opens the database and checks that the acting user may see case `id`.
    func open(viewing id: Int64) throws -> CaseStore {
        let store = try open()
        try store.require(login, .view, case: id)
        return store
    }

    /// A training database, checked to be one before anything is written.
    func openTraining() throws -> CaseStore {
        try Acting.identify(try CaseStore.openTraining(path: try checkedPath()), asLogin: asLogin)
    }

    /// A training database and one of its sessions.
    func openSession(_ id: Int64) throws -> (CaseStore, TrainingSession) {
        let s = try openTraining()
        return (s, try s.session(id))
    }

    /// The path, refused when a setgid run may not open it (see `SharedInstall.refusalToOpen`).
    func checkedPath() throws -> String {
        let path = self.path
        if let refusal = SharedInstall.refusalToOpen(path) { throw Failure(refusal) }
        return path
    }
}

/// The case an edit command works on, and the version the caller last saw. Declared first,
/// so the id stays the first argument (`case note ID TEXT`).
struct CaseTarget: ParsableArguments {
    @Argument(help: "The case id.") var id: Int64
    @Option(name: .customLong("expect-version"), help: ArgumentHelp("Fail if the case is no longer at this version (case show prints it).", valueName: "n"))
    var expectVersion: Int?
}

/// The identity this process acts as, resolved once when a store is opened.
enum Acting {
    nonisolated(unsafe) static var identity: Identity?

    static func identify(_ store: CaseStore, asLogin: String?, newcomerRole: Role = .agent) throws -> CaseStore {
        let identity = try store.identify(osLogin: OSAccount.loginOrUid(), asLogin: asLogin, newcomerRole: newcomerRole)
        try store.adopt(identity)
        if let notice = identity.notice { FileHandle.standardError.write(Data("casedesk: \(notice)\n".utf8)) }
        Acting.identity = identity
        FailureLog.opened = (store.path, identity.login)
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
    try requireReadable(url.path)
    let problems = PackLoader.lint(directory: url)
    if !problems.isEmpty {
        throw Failure(problems.map { "\($0)" }.joined(separator: "\n"))
    }
    return (try PackLoader.load(directory: url), url)
}

/// A setgid run reads only what the real user could read (see `SharedInstall`).
func requireReadable(_ path: String) throws {
    if let refusal = SharedInstall.refusalToRead(path) { throw Failure(refusal) }
}

/// JSON with snake_case keys and ISO 8601 times, as every `--format json` prints.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(value), as: UTF8.self)
    // The encoder leaves DEL, C1 controls and bidi controls raw inside strings;
    // as \uXXXX they are the same JSON data and nothing a terminal would act on.
    guard json.unicodeScalars.contains(where: { $0 != "\n" && SafeText.isUnsafe($0.value) }) else { return json }
    var out = ""
    for u in json.unicodeScalars {
        if u != "\n", SafeText.isUnsafe(u.value) { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
    }
    return out
}

/// Left-aligned columns sized by display width (CJK names take two cells, a
/// grapheme cluster its terminal cells), with the desk's own width and safety rules.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let rows = rows.map { $0.map(SafeText.line) }   // one line per row, nothing for the terminal to run
    var widths = header.map { displayWidth(of: $0) }
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(of: cell)) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - displayWidth(of: c)) }
            .joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
