import Foundation
import GRDB

public struct TrainingParticipant: Codable, Equatable, Sendable {
    public var login: String
    public var name: String
    public var department: String
    public var caseId: Int64
    public var seat: Int
}

public struct TrainingSession: Codable, Equatable, Sendable {
    public var id: Int64
    public var module: String
    public var scenario: Scenario
    public var trainer: String
    public var createdAt: Date
    public var participants: [TrainingParticipant]

    /// Departments and how many come from each: the cross-functional mix.
    public var mix: [(department: String, count: Int)] {
        var counts: [String: Int] = [:]
        for p in participants { counts[p.department, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
    public var mixText: String {
        "\(participants.count) participant(s) from \(mix.count) department(s): " + mix.map { "\($0.department) \($0.count)" }.joined(separator: ", ")
    }
}

/// Where one trainee stands in the role-play, for the console and the debrief.
public struct TraineeProgress: Equatable, Sendable {
    public var participant: TrainingParticipant
    public var detail: CaseDetail
    public var script: Script?
    public var position: ScriptPosition?
    public var actions: TraineeActions
    public var handleSeconds: Double
    /// Scripted line ids already sent to this trainee, in order.
    public var linesSent: [String]
    public var customerLines: Int

    public var responsesSent: Int { actions.responsesSent.count }
    public var stepTitle: String {
        guard let script else { return detail.record.callType == nil ? "no call type" : "no script" }
        guard let current = position?.current else { return "script done" }
        return (script.steps.firstIndex { $0.id == current.id }.map { "\($0 + 1) " } ?? "") + current.title
    }

    /// The next scripted customer line, and the branch the trainee's actions point to.
    public func nextLine(in scenario: Scenario) -> (line: ScenarioLine, branch: ScenarioBranch?)? {
        guard let line = scenario.lines.first(where: { !linesSent.contains($0.id) }) else { return nil }
        return (line, line.branches.first { actions.matches($0.when) })
    }
}

public enum TrainingLimits {
    /// Role-plays are for small groups (PRODUCT.md): a 16th participant is refused.
    public static let maxParticipants = 15
}

extension CaseStore {
    // MARK: the training guard

    /// Training commands write only to a training database. The check opens the file
    /// read-only first, so pointing one at production changes nothing, not even the schema.
    public static func openTraining(path: String, now: @escaping @Sendable () -> Date = { Date() }) throws -> CaseStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CaseError.invalid("no database at \(path) (make one with: casedesk train genericize or casedesk train init)")
        }
        let kind = try Genericizer.openReadOnly(path).read { db -> String? in
            guard try db.tableExists("settings") else { return nil }
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'kind'")
        }
        guard kind == "training" else {
            throw CaseError.notAllowed("\(path) is not a training database; training commands only write to one made by 'casedesk train genericize' or 'casedesk train init'")
        }
        return try CaseStore(path: path, now: now)
    }

    func requireTraining(_ db: Database) throws {
        guard try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'kind'") == "training" else {
            throw CaseError.notAllowed("\(path) is not a training database; nothing was written")
        }
    }

    /// A new, empty training database with a content pack (for sessions on scenarios written fresh).
    /// `admin` (the login making it) becomes the database's first admin.
    public static func createTraining(path: String, pack: ContentPack, admin: String? = nil) throws {
        try NewDatabase.create(at: path) { store in
            try store.install(pack)
            try store.setSetting("kind", DatabaseKind.training.rawValue)
            if let admin { try store.addUser(login: admin, role: .admin, department: "administration") }
        }
    }

    // MARK: sessions

    /// Creates a session: the trainer and participants (users are created as needed, each
    /// with their department), and for each trainee a copy of the scenario's case assigned
    /// to them. All of it in one transaction, after every check.
    /// `fromCase` starts every copy from a case already in the training database (a
    /// genericized real case): its customer, channel, subject and customer lines.
    public func createSession(module: String, scenario: Scenario, trainer: String,
                              participants: [(login: String, department: String)], fromCase: Int64? = nil) throws -> TrainingSession {
        let module = module.trimmingCharacters(in: .whitespaces)
        guard !module.isEmpty else { throw CaseError.invalid("name the module (--module NAME)") }
        guard !participants.isEmpty else { throw CaseError.invalid("a session needs participants (--participants login:Department,…)") }
        guard participants.count <= TrainingLimits.maxParticipants else {
            throw CaseError.invalid("a session has at most \(TrainingLimits.maxParticipants) participants; \(participants.count) were named (participant \(TrainingLimits.maxParticipants + 1), '\(participants[TrainingLimits.maxParticipants].login)', is one too many); nothing was written")
        }
        var seen = Set<String>()
        for p in participants where !seen.insert(p.login).inserted { throw CaseError.invalid("'\(p.login)' is named twice in --participants") }
        if seen.contains(trainer) { throw CaseError.invalid("the trainer '\(trainer)' cannot also be a participant") }
        let id: Int64 = try write { db in
            try requireTraining(db)
            var scenario = scenario
            var history: [CaseEvent] = []
            if let fromCase {
                (scenario.startingCase, history) = try Self.startingCase(db, from: fromCase)
            }
            let json = String(decoding: try JSONEncoder().encode(scenario), as: UTF8.self)
            for code in [scenario.startingCase.callType, scenario.expectedCallType].compactMap({ $0 }) { _ = try Self.callType(db, code: code) }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM resolution_codes WHERE code = ?", arguments: [scenario.expectedResolution]) == true else {
                throw CaseError.noSuchResolutionCode(scenario.expectedResolution)
            }
            let trainerUser = try ensureUser(db, login: trainer, role: .trainer, department: "training")
            let at = now().timeIntervalSince1970
            try db.execute(sql: "INSERT INTO training_sessions(module, scenario_id, scenario, trainer_id, created_at) VALUES (?,?,?,?,?)",
                           arguments: [module, scenario.id, json, trainerUser.id, at])
            let sessionId = db.lastInsertedRowID
            let calendar = BusinessCalendar(try Self.businessHours(db))
            let c = scenario.startingCase
            for (seat, p) in participants.enumerated() {
                let user = try ensureUser(db, login: p.login, role: .agent, department: p.department)
                if user.role == .expert { throw CaseError.notAllowed("\(p.login) is an expert and cannot open the desk; name another login") }
                let customerId = try Self.findOrCreateCustomer(db, name: c.customer, email: c.email, phone: c.phone)
                var priority = Priority.p3, minutes = 24 * 60
                if let code = c.callType { let ct = try Self.callType(db, code: code); priority = ct.defaultPriority; minutes = ct.resolutionMinutes }
                let due = calendar.add(minutes: minutes, to: Date(timeIntervalSince1970: at))
                // Born assigned and open: the copy waits in the trainee's own "mine" queue.
                try db.execute(sql: """
                    INSERT INTO cases(customer_id, channel, call_type, subject, status, priority, assignee_id, created_at, due_at,
                                      updated_at, updated_by)
                    VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)
                    """, arguments: [customerId, c.channel.rawValue, c.callType, c.subject, priority.rawValue, user.id, at,
                                     due.timeIntervalSince1970, at, trainerUser.id])
                let caseId = db.lastInsertedRowID
                try Self.append(db, caseId: caseId, actor: trainerUser.id, at: Date(timeIntervalSince1970: at),
                                EventDraft(kind: .created, new: c.channel.rawValue, body: c.opening, channel: c.channel.rawValue))
                for e in history {
                    try Self.append(db, caseId: caseId, actor: nil, at: Date(timeIntervalSince1970: at),
                                    EventDraft(kind: e.kind, body: e.body, channel: e.channel))
                }
                try Self.append(db, caseId: caseId, actor: trainerUser.id, at: Date(timeIntervalSince1970: at),
                                EventDraft(kind: .assign, field: "assignee", old: nil, new: user.login, body: "role-play: \(module), session \(sessionId)"))
                try db.execute(sql: "INSERT INTO training_participants(session_id, user_id, department, case_id, seat) VALUES (?,?,?,?,?)",
                               arguments: [sessionId, user.id, p.department, caseId, seat + 1])
            }
            return sessionId
        }
        return try session(id)
    }

    /// A real (genericized) case as a scenario's starting case: the customer's words only,
    /// so the trainee meets the contact as it arrived, not how it was handled.
    static func startingCase(_ db: Database, from id: Int64) throws -> (ScenarioCase, [CaseEvent]) {
        let record = try Self.record(db, id: id)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [record.customerId]) else {
            throw CaseError.noSuchCase(id)
        }
        let customer = Customer(row: row)
        let events = try Row.fetchAll(db, sql: CaseEvent.selectSQL + " WHERE e.case_id = ? ORDER BY e.id", arguments: [id]).map(CaseEvent.init(row:))
        let opening = events.first { $0.kind == .created }?.body ?? record.subject
        let lines = events.filter { [.call, .message].contains($0.kind) && $0.body != nil }
        return (ScenarioCase(customer: customer.name, email: customer.email, phone: customer.phone, channel: record.channel,
                             callType: nil, subject: record.subject, opening: opening), lines)
    }

    private func ensureUser(_ db: Database, login: String, role: Role, department: String) throws -> User {
        if let existing = try? Self.user(db, login: login) { return existing }
        guard !login.isEmpty, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw CaseError.invalid("a login is letters, digits, '.', '_' or '-': '\(login)' is not")
        }
        try db.execute(sql: "INSERT INTO users(login, name, role, department) VALUES (?,?,?,?)",
                       arguments: [login, login, role.rawValue, department])
        return try Self.user(db, login: login)
    }

    public func session(_ id: Int64) throws -> TrainingSession {
        try read { db in try Self.session(db, id: id) }
    }

    static func session(_ db: Database, id: Int64) throws -> TrainingSession {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT s.*, u.login AS trainer FROM training_sessions s JOIN users u ON u.id = s.trainer_id WHERE s.id = ?
            """, arguments: [id]) else { throw CaseError.invalid("no training session #\(id)") }
        let scenario = try JSONDecoder().decode(Scenario.self, from: Data((row["scenario"] as String).utf8))
        let participants = try Row.fetchAll(db, sql: """
            SELECT u.login, u.name, p.department, p.case_id, p.seat FROM training_participants p JOIN users u ON u.id = p.user_id
            WHERE p.session_id = ? ORDER BY p.seat
            """, arguments: [id]).map {
                TrainingParticipant(login: $0["login"], name: $0["name"], department: $0["department"], caseId: $0["case_id"], seat: $0["seat"])
            }
        return TrainingSession(id: id, module: row["module"], scenario: scenario, trainer: row["trainer"],
                               createdAt: Date(timeIntervalSince1970: row["created_at"]), participants: participants)
    }

    public func sessions(module: String? = nil) throws -> [TrainingSession] {
        try read { db in
            let ids = module == nil ? try Int64.fetchAll(db, sql: "SELECT id FROM training_sessions ORDER BY id")
                : try Int64.fetchAll(db, sql: "SELECT id FROM training_sessions WHERE module = ? ORDER BY id", arguments: [module])
            return try ids.map { try Self.session(db, id: $0) }
        }
    }

    // MARK: the customer's lines

    /// Appends a customer line to each target trainee's case (nil: every trainee) and notes
    /// which scripted line it was. Returns the logins it went to.
    @discardableResult
    public func say(session sessionId: Int64, to logins: [String]?, text: String, lineId: String? = nil, branch: String? = nil,
                    by trainerLogin: String) throws -> [String] {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CaseError.invalid("the customer's line is empty") }
        return try write { db in
            try requireTraining(db)
            let session = try Self.session(db, id: sessionId)
            let actor = try Self.user(db, login: trainerLogin)
            try Policy.require(actor, .runTraining, PolicyContext(training: true))
            var targets = session.participants
            if let logins {
                targets = try logins.map { login in
                    guard let p = session.participants.first(where: { $0.login == login }) else {
                        throw CaseError.invalid("'\(login)' is not a participant of session #\(sessionId) (they are: \(session.participants.map(\.login).joined(separator: ", ")))")
                    }
                    return p
                }
            }
            let at = now()
            for p in targets {
                let record = try Self.record(db, id: p.caseId)
                let user = try Self.user(db, login: p.login)
                try Self.append(db, caseId: p.caseId, actor: actor.id, at: at,
                                EventDraft(kind: .customerLine, body: text, channel: record.channel.rawValue))
                let eventId = db.lastInsertedRowID
                try db.execute(sql: "INSERT INTO training_lines(session_id, user_id, line_id, branch, text, at, event_id) VALUES (?,?,?,?,?,?,?)",
                               arguments: [sessionId, user.id, lineId, branch, text, at.timeIntervalSince1970, eventId])
            }
            return targets.map(\.login)
        }
    }

    /// Sends one trainee a scripted line as `branch` words it (else the main line), noted with
    /// the line's id and the branch's label: how the console and `train say --next` send one.
    public func say(session sessionId: Int64, to login: String, line: ScenarioLine, branch: ScenarioBranch?,
                    by trainerLogin: String) throws {
        try say(session: sessionId, to: [login], text: branch?.say ?? line.say, lineId: line.id, branch: branch?.label, by: trainerLogin)
    }

    /// Each named trainee's (nil: every trainee's) next scripted line (`TraineeProgress.nextLine`),
    /// sent. A trainee with no line left comes back with `sent` nil.
    public func sayNext(session: TrainingSession, to logins: [String]?, by trainerLogin: String) throws
        -> [(login: String, sent: (line: ScenarioLine, branch: ScenarioBranch?)?)] {
        try progress(session: session).filter { logins?.contains($0.participant.login) ?? true }.map { p in
            let login = p.participant.login
            guard let next = p.nextLine(in: session.scenario) else { return (login, nil) }
            try say(session: session.id, to: login, line: next.line, branch: next.branch, by: trainerLogin)
            return (login, next)
        }
    }

    // MARK: progress

    public func progress(session: TrainingSession) throws -> [TraineeProgress] {
        try session.participants.map { p in
            let detail = try self.detail(p.caseId)
            let script = try detail.record.callType.flatMap { try self.script(for: $0) }
            let sent = try read { db in
                try String.fetchAll(db, sql: """
                    SELECT l.line_id FROM training_lines l JOIN users u ON u.id = l.user_id
                    WHERE l.session_id = ? AND u.login = ? AND l.line_id IS NOT NULL ORDER BY l.id
                    """, arguments: [session.id, p.login])
            }
            return TraineeProgress(participant: p, detail: detail, script: script,
                                   position: script.map { ScriptRunner.position(of: $0, done: detail.stepsDone) },
                                   actions: TraineeActions(detail: detail), handleSeconds: try handleSeconds(p.caseId),
                                   linesSent: sent, customerLines: detail.events.filter { $0.kind == .customerLine }.count)
        }
    }

    // MARK: scores

    public struct TrainingScore: Codable, Equatable, Sendable {
        public var trainee: String
        public var scorer: String
        public var criterion: String
        public var score: Int
    }

    /// One scorer's score for one criterion; scoring again replaces that scorer's own score.
    public func score(session sessionId: Int64, trainee: String, criterion: String, score: Int, by scorerLogin: String) throws {
        try write { db in
            try requireTraining(db)
            let session = try Self.session(db, id: sessionId)
            guard session.participants.contains(where: { $0.login == trainee }) else {
                throw CaseError.invalid("'\(trainee)' is not a participant of session #\(sessionId)")
            }
            guard let c = session.scenario.rubric.first(where: { $0.id == criterion }) else {
                throw CaseError.invalid("no criterion '\(criterion)' in the rubric (it has: \(session.scenario.rubric.map(\.id).joined(separator: ", ")))")
            }
            guard (0...c.max).contains(score) else { throw CaseError.invalid("'\(criterion)' is scored 0 to \(c.max), not \(score)") }
            let scorer = try Self.user(db, login: scorerLogin)
            try Policy.require(scorer, .scoreTraining, PolicyContext(training: true))
            let traineeUser = try Self.user(db, login: trainee)
            try db.execute(sql: """
                INSERT INTO training_scores(session_id, trainee_id, scorer_id, criterion, score, at) VALUES (?,?,?,?,?,?)
                ON CONFLICT(session_id, trainee_id, scorer_id, criterion) DO UPDATE SET score = excluded.score, at = excluded.at
                """, arguments: [sessionId, traineeUser.id, scorer.id, criterion, score, now().timeIntervalSince1970])
        }
    }

    public func scores(session sessionId: Int64) throws -> [TrainingScore] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.login AS trainee, s.login AS scorer, x.criterion, x.score FROM training_scores x
                JOIN users t ON t.id = x.trainee_id JOIN users s ON s.id = x.scorer_id
                WHERE x.session_id = ? ORDER BY t.login, x.criterion, s.login
                """, arguments: [sessionId]).map { TrainingScore(trainee: $0["trainee"], scorer: $0["scorer"], criterion: $0["criterion"], score: $0["score"]) }
        }
    }
}
