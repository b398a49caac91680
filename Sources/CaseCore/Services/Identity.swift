import Foundation
import GRDB

/// Who is acting: the operating-system account of the real uid, matched to a CaseDesk
/// user by login. `$USER`, `$LOGNAME` and `--as` do not change it, with two exceptions:
/// an admin may act on behalf of another user (the timeline says "dana as alice"), and
/// in a demo or training database (marked so when it was created) `--as` picks anyone.
public struct Identity: Sendable, Equatable {
    /// The CaseDesk user whose desk and cases these are.
    public var login: String
    /// The operating-system login of the real uid.
    public var osLogin: String
    /// The admin acting on `login`'s behalf, if it is not `login` themselves.
    public var via: String?
    /// Something to tell the person before going on (a demo fallback), if any.
    public var notice: String?

    public var description: String { via.map { "\($0) as \(login)" } ?? login }
}

public enum OSAccount {
    /// The login of the real uid, from the password database; nil when it has no entry.
    public static func login() -> String? {
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return nil }
        let login = String(cString: name)
        return login.isEmpty ? nil : login
    }

    /// The login, or the uid as a number when the account has no name.
    public static func loginOrUid() -> String { login() ?? "uid \(getuid())" }
}

/// What a database is for: set when it is created, never changed.
public enum DatabaseKind: String, CaseIterable, Sendable {
    /// A production database: identity from the OS login only.
    case production
    /// `casedesk init --demo`: a sample contact centre; `--as` picks any user.
    case demo
    /// Made by `casedesk train init` or `train genericize`; `--as` picks any user.
    case training
}

extension CaseStore {
    /// The demo agent a newcomer's desk opens as when their login is not in the demo.
    public static let demoAgent = "alice"

    public func kind() throws -> DatabaseKind {
        try read { db in try Self.kind(db) }
    }

    static func kind(_ db: Database) throws -> DatabaseKind {
        // No row: a production database. An unknown kind is an error, never production by default.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT key, value FROM settings WHERE key = 'kind'")) else { return .production }
        return try row.value("value", of: "settings", key: "key")
    }

    /// Resolves who is acting, or refuses with one line naming the login and what to do.
    /// `newcomerRole`: the role the hint for an unknown login names (`admin` where only an
    /// admin may run the command asked for).
    public func identify(osLogin: String, asLogin: String?, newcomerRole: Role = .agent) throws -> Identity {
        let kind = try kind()
        let asLogin = asLogin.flatMap { $0.isEmpty ? nil : $0 }
        let real = try read { db in try Row.fetchOne(db, sql: User.selectSQL + " WHERE u.login = ?", arguments: [osLogin]).map(User.init(row:)) }
        if kind != .production {
            if let asLogin {
                _ = try user(login: asLogin)
                return Identity(login: asLogin, osLogin: osLogin)
            }
            if let real { return Identity(login: real.login, osLogin: osLogin) }
            if kind == .demo, (try? user(login: Self.demoAgent)) != nil {
                return Identity(login: Self.demoAgent, osLogin: osLogin,
                                notice: "no user '\(osLogin)' in this demo database; acting as the demo agent \(Self.demoAgent) (use --as LOGIN)")
            }
            throw CaseError.notAllowed("no user '\(osLogin)' in the \(kind.rawValue) database \(path); name one with --as LOGIN")
        }
        guard let real else {
            throw CaseError.notAllowed("the login '\(osLogin)' is not a CaseDesk user of \(path); an admin adds it with: casedesk user add \(osLogin) --role \(newcomerRole.rawValue) --db \(path)")
        }
        guard real.active else {
            throw CaseError.notAllowed("\(osLogin) is disabled in \(path); an admin re-enables it with: casedesk user enable \(osLogin) --db \(path)")
        }
        guard let asLogin, asLogin != osLogin else { return Identity(login: osLogin, osLogin: osLogin) }
        if let refusal = Policy.decide(real, .actAs) {
            throw CaseError.notAllowed("\(refusal.login) may not act as \(asLogin) (--as): \(refusal.whoMay) (\(refusal.why ?? ""))")
        }
        _ = try user(login: asLogin)
        return Identity(login: asLogin, osLogin: osLogin, via: osLogin)
    }

    /// From now on every event this store appends names `identity.via` as the admin acting.
    public func adopt(_ identity: Identity) throws {
        via.userId = try identity.via.map { try user(login: $0).id }
    }

    // MARK: users (admins only)

    /// Disables (or re-enables) a user: they keep their history but can no longer act or be
    /// assigned. Their open cases stay where they are for a lead to move.
    public func setActive(_ login: String, _ active: Bool, by adminLogin: String) throws {
        try write { db in
            let admin = try Self.user(db, login: adminLogin)
            try Policy.require(admin, .manageUsers)
            let target = try Self.user(db, login: login)
            if !active, target.id == admin.id { throw CaseError.invalid("\(login) cannot disable themselves; another admin can") }
            try db.execute(sql: "UPDATE users SET active = ? WHERE id = ?", arguments: [active, target.id])
        }
    }

    /// `addUser` on someone's behalf: admins only.
    @discardableResult
    public func addUser(login: String, name: String? = nil, role: Role, team: String? = nil, skills: [String] = [],
                        department: String? = nil, by adminLogin: String) throws -> User {
        try Policy.require(try user(login: adminLogin), .manageUsers)
        return try addUser(login: login, name: name, role: role, team: team, skills: skills, department: department)
    }

    /// Asks the policy on behalf of `login` about something that is not a case.
    public func require(_ login: String, _ action: Action) throws {
        let me = try user(login: login)
        try Policy.require(me, action, PolicyContext(training: try kind() == .training))
    }

    /// Asks the policy whether `login` may do `action` to case `caseId`.
    public func require(_ login: String, _ action: Action, case caseId: Int64) throws {
        try read { db in
            let me = try Self.user(db, login: login)
            try Self.require(db, me, action, Self.record(db, id: caseId))
        }
    }

    public func allows(_ login: String, _ action: Action, case caseId: Int64? = nil) -> Bool {
        guard let me = try? user(login: login) else { return false }
        guard let caseId else { return Policy.allows(me, action, PolicyContext(training: (try? kind()) == .training)) }
        return (try? read { db in try Self.require(db, me, action, Self.record(db, id: caseId)) }) != nil
    }

    /// The one way the core asks the policy about a case: facts read in the caller's transaction.
    static func require(_ db: Database, _ actor: User, _ action: Action, _ current: CaseRecord) throws {
        try Policy.require(actor, action, try context(db, current))
    }

    static func context(_ db: Database, _ c: CaseRecord) throws -> PolicyContext {
        let team = try c.teamId.flatMap { try String.fetchOne(db, sql: "SELECT name FROM teams WHERE id = ?", arguments: [$0]) }
        let assigneeTeam = try c.assigneeId.flatMap { try Int64.fetchOne(db, sql: "SELECT team_id FROM users WHERE id = ?", arguments: [$0]) }
        let experts = try Int64.fetchAll(db, sql: "SELECT expert_id FROM consults WHERE case_id = ?", arguments: [c.id])
        let facts = CaseFacts(id: c.id, assigneeId: c.assigneeId, assignee: c.assignee, teamId: c.teamId, team: team,
                              assigneeTeamId: assigneeTeam, callType: c.callType, consultedExperts: Set(experts))
        return PolicyContext(facts: facts, training: try kind(db) == .training)
    }
}
