import ArgumentParser
import CaseCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a database, loaded with the content pack (and, with --demo, a sample contact centre).")

    @Option(help: "The database file to create (default: as for every command).")
    var db: String?

    @Flag(help: "Add a demo team, customers and eight weeks of cases.")
    var demo = false

    @Option(help: "The content pack directory (default: the one shipped in Resources/pack).")
    var pack: String?

    func run() throws {
        let path = StoreOptions.resolve(db)
        if FileManager.default.fileExists(atPath: path) {
            throw Failure("\(path) already exists; nothing was changed")
        }
        let summary = try createDatabase(at: path, demo: demo, pack: pack)
        print(summary)
    }
}

/// Creates the file whole or not at all: built under a temporary name, then renamed.
func createDatabase(at path: String, demo: Bool, pack packDir: String?) throws -> String {
    let (pack, _) = try loadPack(packDir)
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    let temp = path + ".creating-\(getpid())"
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temp + suffix) } }
    var summary: String
    do {
        let store = try CaseStore(path: temp, create: true)
        try store.install(pack)
        summary = "created \(path): \(pack.callTypes.count) call types, \(pack.scripts.count) scripts"
        if demo {
            let result = try DemoData.populate(store, pack: pack, now: Date())
            summary += "\ndemo: \(result)"
        }
        try store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try store.pool.close()
    }
    guard rename(temp, path) == 0 else { throw Failure("cannot create \(path): \(String(cString: strerror(errno)))") }
    return summary
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage people.",
                                                    subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person.")
        @Argument(help: "The login.") var login: String
        @Option(help: "agent, lead, trainer, expert, admin, or gateway (the mail and ingest account, docs/mail.md).") var role: Role
        @Option(help: "Full name (default: the login).") var name: String?
        @Option(help: "Team (created if new).") var team: String?
        @Option(help: "Call types handled, comma-separated (billing covers billing.*).") var skills: String?
        @Option(help: "Department (experts: where they sit in the company).") var department: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let skillList = (skills ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let user = try store.open().addUser(login: login, name: name, role: role, team: team, skills: skillList, department: department)
            print("added \(user.login) (\(user.role.rawValue))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people.")
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let users = try store.open().users()
            switch format {
            case .json: print(try jsonString(users))
            case .csv:
                print("login,name,role,team,skills")
                for u in users { print([u.login, u.name, u.role.rawValue, u.team ?? "", u.skills.joined(separator: ";")].map(CaseExport.csvField).joined(separator: ",")) }
            case .table:
                print(table(["LOGIN", "NAME", "ROLE", "TEAM", "SKILLS"],
                            users.map { [$0.login, $0.name, $0.role.rawValue, $0.team ?? "", $0.skills.joined(separator: ",")] }))
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension CaseStatus: ExpressibleByArgument {}

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the database's integrity and schema.")
    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try DatabaseDoctor.check(path: store.path)
        print(report.lines.joined(separator: "\n"))
        if !report.healthy { throw Failure("\(store.path) has problems (see above)") }
    }
}
