import Foundation
import GRDB

/// People and teams.
extension CaseStore {
    public func user(login: String) throws -> User {
        try read { db in try Self.user(db, login: login) }
    }

    static func user(_ db: Database, login: String) throws -> User {
        guard let user = try Row.decodeOne(db.cachedStatement(sql: User.selectSQL + " WHERE u.login = ?"), [login], User.init(row:)) else {
            throw CaseError.noSuchUser(login)
        }
        return user
    }

    public func users(role: Role? = nil) throws -> [User] {
        try read { db in
            let rows = role == nil
                ? try Row.fetchAll(db, sql: User.selectSQL + " ORDER BY u.login")
                : try Row.fetchAll(db, sql: User.selectSQL + " WHERE u.role = ? ORDER BY u.login", arguments: [role!.rawValue])
            return try rows.map(User.init(row:))
        }
    }

    @discardableResult
    public func addTeam(_ name: String, policy: String = "manual") throws -> Int64 {
        try write { db in try Self.team(db, name: name, create: true, policy: policy) }
    }

    static func team(_ db: Database, name: String, create: Bool, policy: String = "manual") throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [name]) { return id }
        guard create else { throw CaseError.noSuchTeam(name) }
        try db.execute(sql: "INSERT INTO teams(name, policy) VALUES (?, ?)", arguments: [name, policy])
        return db.lastInsertedRowID
    }

    /// Adds a person; a team named here that does not exist yet is created.
    @discardableResult
    public func addUser(login: String, name: String? = nil, role: Role, team: String? = nil,
                        skills: [String] = [], department: String? = nil) throws -> User {
        let trimmed = login.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw CaseError.invalid("a login is letters, digits, '.', '_' or '-': '\(login)' is not")
        }
        return try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE login = ?", arguments: [trimmed]) == true {
                throw CaseError.alreadyExists("user '\(trimmed)'")
            }
            for code in skills where try Bool.fetchOne(db, sql: "SELECT 1 FROM call_types WHERE code = ?", arguments: [code]) != true {
                throw CaseError.noSuchCallType(code)
            }
            let teamId = try team.map { try Self.team(db, name: $0, create: true) }
            let dept = department ?? (role == .expert ? "outside customer care" : "customer care")
            try db.execute(sql: "INSERT INTO users(login, name, role, team_id, department, skills) VALUES (?,?,?,?,?,?)",
                           arguments: [trimmed, name ?? trimmed, role.rawValue, teamId, dept, skills.joined(separator: ",")])
            return try Self.user(db, login: trimmed)
        }
    }
}
