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

    @Option(help: "The first admin's login (default: the operating-system login running init).")
    var admin: String?

    @Option(help: "A shared install: this group owns the database's directory (mode 2770) and file (0660); needs --db.")
    var shared: String?

    func run() throws {
        let path = StoreOptions.resolve(db)
        if FileManager.default.fileExists(atPath: path) {
            throw Failure("\(path) already exists; nothing was changed")
        }
        var group: gid_t?
        if let shared {
            guard db != nil else { throw Failure("--shared needs --db PATH: the shared database's place is chosen, not inferred") }
            guard let gid = SharedInstall.groupId(shared) else {
                throw Failure("no group '\(shared)' (create it first: groupadd --system \(shared))")
            }
            group = gid
            try SharedInstall.prepareDirectory((path as NSString).deletingLastPathComponent, group: gid)
        } else if let refusal = SharedInstall.refusalToOpen(path) {
            throw Failure(refusal)
        }
        let summary = try createDatabase(at: path, demo: demo, pack: pack, admin: admin ?? OSAccount.loginOrUid(), group: group)
        print(summary)
    }
}

/// Creates the file whole or not at all (`NewDatabase`). `admin` becomes the database's
/// first admin; `group` (a shared install) owns the file.
func createDatabase(at path: String, demo: Bool, pack packDir: String?, admin: String?, group: gid_t? = nil) throws -> String {
    let (pack, _) = try loadPack(packDir)
    return try NewDatabase.create(at: path, build: { store in
        try store.install(pack)
        var summary = "created \(path): \(pack.callTypes.count) call types, \(pack.scripts.count) scripts"
        if demo {
            let result = try DemoData.populate(store, pack: pack, now: Date())
            try store.setSetting("kind", DatabaseKind.demo.rawValue)
            summary += "\ndemo: \(result)"
        }
        if let admin {
            if let existing = try? store.user(login: admin) {
                summary += "\nfirst admin: \(admin) is already a user (\(existing.role.rawValue)) of the demo"
            } else {
                try store.addUser(login: admin, role: .admin, department: "administration")
                summary += "\nfirst admin: \(admin)"
            }
        }
        return summary
    }, beforePublish: { temp in
        if let group { try SharedInstall.share(temp, group: group) }
    })
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage people.",
                                                    subcommands: [Add.self, List.self, Disable.self, Enable.self])

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
            let user = try store.open().addUser(login: login, name: name, role: role, team: team, skills: skillList,
                                                department: department, by: store.login)
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
                print("login,name,role,team,skills,active")
                for u in users {
                    printData([u.login, u.name, u.role.rawValue, u.team ?? "", u.skills.joined(separator: ";"), u.active ? "yes" : "no"]
                        .map(CaseExport.csvField).joined(separator: ","))
                }
            case .table:
                print(table(["LOGIN", "NAME", "ROLE", "TEAM", "SKILLS", "ACTIVE"],
                            users.map { [$0.login, $0.name, $0.role.rawValue, $0.team ?? "", $0.skills.joined(separator: ","), $0.active ? "yes" : "no"] }))
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a person (admins): they keep their history but can no longer act or be assigned.")
        @Argument(help: "The login.") var login: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().setActive(login, false, by: store.login)
            print("disabled \(login)")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled person again (admins).")
        @Argument(help: "The login.") var login: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().setActive(login, true, by: store.login)
            print("enabled \(login)")
        }
    }
}

extension Role: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension CaseStatus: ExpressibleByArgument {}

/// A status `case status` may set (`CaseStatus.settable`): help and errors list only those.
struct SettableStatus: ExpressibleByArgument {
    let status: CaseStatus
    init?(argument: String) {
        guard let s = CaseStatus(rawValue: argument), CaseStatus.settable.contains(s) else { return nil }
        status = s
    }
    static var allValueStrings: [String] { CaseStatus.settable.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database's integrity, schema and indexes (--repair rebuilds missing indexes), and its files' modes and ownership.")
    @Flag(help: "Rebuild every index the schema has and the file lacks (one transaction), then check.") var repair = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try store.checkedPath()
        if repair {
            let rebuilt = try SchemaIndexes.repair(try store.open())
            print(rebuilt.isEmpty ? "indexes: none missing" : "rebuilt: \(rebuilt.joined(separator: ", "))")
        }
        let report = try DatabaseDoctor.check(path: path)
        let files = SharedInstall.checkFiles(path)
        print((report.lines + files.lines).joined(separator: "\n"))
        if !report.healthy || !files.healthy { throw Failure("\(path) has problems (see above)") }
    }
}
