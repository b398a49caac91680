import Foundation
import GRDB

/// Everything that changes a case. Each operation is one IMMEDIATE transaction that
/// checks the case's `version`, bumps it, and appends what changed to the events table.
extension CaseStore {
    /// One line appended to a case's timeline.
    struct EventDraft {
        var kind: CaseEvent.Kind
        var field: String? = nil
        var old: String? = nil
        var new: String? = nil
        var body: String? = nil
        var channel: String? = nil
    }

    // MARK: create

    /// Creates a case; the due time is the call type's resolution target in business hours.
    @discardableResult
    public func createCase(_ new: NewCase, by actorLogin: String?) throws -> Int64 {
        try createCases([new], by: actorLogin)[0]
    }

    /// Creates many cases in one transaction: all of them, or (on any error) none.
    @discardableResult
    public func createCases(_ cases: [NewCase], by actorLogin: String?) throws -> [Int64] {
        try createCasesReporting(cases, by: actorLogin).map(\.id)
    }

    /// Creates cases and says which customer each one got and how (`CustomerMatch`).
    public func createCasesReporting(_ cases: [NewCase], by actorLogin: String?) throws -> [CreatedCase] {
        try write { db in
            let actor = try actorLogin.map { try Self.user(db, login: $0) }
            if let actor { try Policy.require(actor, .createCase, PolicyContext(training: try Self.kind(db) == .training)) }
            let calendar = BusinessCalendar(try Self.businessHours(db))
            return try cases.map { try insertCase(db, $0, actor: actor, calendar: calendar) }
        }
    }

    public struct CreatedCase: Equatable, Sendable {
        public var id: Int64
        public var customerId: Int64
        public var customer: CustomerMatch
    }

    func insertCase(_ db: Database, _ new: NewCase, actor: User?, calendar: BusinessCalendar) throws -> CreatedCase {
        let subject = new.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        let customerName = new.customer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw CaseError.invalid("a case needs a subject") }
        guard !customerName.isEmpty || new.customerId != nil else { throw CaseError.invalid("a case needs a customer") }
        let created = new.createdAt ?? now()
        var priority = new.priority ?? .p3
        var resolutionMinutes = 24 * 60
        if let code = new.callType {
            let ct = try Self.callType(db, code: code)
            priority = new.priority ?? ct.defaultPriority
            resolutionMinutes = ct.resolutionMinutes
        }
        let due = calendar.add(minutes: resolutionMinutes, to: created)
        let teamId = try new.team.map { try Self.team(db, name: $0, create: false) }
        let (customerId, match) = try Self.customer(for: new, in: db)
        try db.execute(sql: """
            INSERT INTO cases(customer_id, channel, call_type, subject, status, priority, team_id, created_at, due_at,
                              self_service, updated_at, updated_by)
            VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [customerId, new.channel.rawValue, new.callType, subject, priority.rawValue, teamId,
                             created.timeIntervalSince1970, due.timeIntervalSince1970, new.selfService,
                             created.timeIntervalSince1970, actor?.id])
        let id = db.lastInsertedRowID
        try Self.append(db, caseId: id, actor: actor?.id, at: created,
                        EventDraft(kind: .created, new: new.channel.rawValue, body: new.body ?? subject, channel: new.channel.rawValue))
        if let login = new.assignTo {
            let agent = try Self.user(db, login: login)
            try change(db, try Self.record(db, id: id), actor: actor ?? agent, expectedVersion: nil,
                       sets: ["assignee_id": agent.id, "status": CaseStatus.open.rawValue],
                       events: [EventDraft(kind: .assign, field: "assignee", old: nil, new: agent.login, body: "took the contact")])
        } else {
            // A team's policy may hand the case to an agent at once, in this same transaction.
            try autoAssign(db, caseId: id, actor: actor)
        }
        return CreatedCase(id: id, customerId: customerId, customer: match)
    }


    // MARK: assign

    /// Moves a case to another person (nil: back to the queue, where the team's policy may
    /// pick someone else). Who may: `Policy` (take, release, reassign).
    /// Several at once, in one transaction: `reassign(_:to:by:reason:)`.
    @discardableResult
    public func assign(_ caseId: Int64, to login: String?, by actorLogin: String, reason: String? = nil,
                       expectedVersion: Int? = nil) throws -> CaseRecord {
        try write { db in
            let actor = try Self.user(db, login: actorLogin)
            let current = try Self.record(db, id: caseId)
            let target = try login.map { try Self.user(db, login: $0) }
            try Self.requireMayMove(db, actor, current, to: target)
            if let target { try Self.requireAssignable(db, target) }
            // Shared with reassign(): the audited assign event, and a release lets the team's policy act.
            try move(db, current, to: target, actor: actor, reason: reason, expectedVersion: expectedVersion)
            return try Self.record(db, id: caseId)
        }
    }

    // MARK: edits

    public func addNote(_ caseId: Int64, text: String, by login: String, expectedVersion: Int? = nil) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CaseError.invalid("a note cannot be empty") }
        try edit(caseId, .note, by: login, expectedVersion: expectedVersion, sets: [:], events: [EventDraft(kind: .note, body: text)])
    }

    /// A line from the customer (a call, a message) on the case's channel or another.
    public func addCustomerMessage(_ caseId: Int64, text: String, channel: Channel? = nil, by login: String? = nil) throws {
        try write { db in
            let current = try Self.record(db, id: caseId)
            let actor = try login.map { try Self.user(db, login: $0) }
            if let actor { try Self.require(db, actor, .logContact, current) }
            try Self.append(db, caseId: caseId, actor: actor?.id, at: now(),
                            EventDraft(kind: .message, body: text, channel: (channel ?? current.channel).rawValue))
        }
    }

    public func setStatus(_ caseId: Int64, to status: CaseStatus, by login: String, expectedVersion: Int? = nil) throws {
        guard status != .resolved else { throw CaseError.invalid("resolve a case with a resolution code (casedesk case resolve ID --code CODE)") }
        try edit(caseId, .setStatus, by: login, expectedVersion: expectedVersion) { db, current in
            guard current.status != status else { throw CaseError.invalid("case #\(caseId) is already \(status.rawValue)") }
            // Closing files a resolved case away; an open case needs its resolution code first.
            if status == .closed, current.status != .resolved {
                throw CaseError.invalid("case #\(caseId) is \(current.status.rawValue): resolve it with a resolution code first (casedesk case resolve \(caseId) --code CODE), then close it")
            }
            var sets = try Self.slaClockSets(db, current, to: status, at: self.now())
            sets["status"] = status.rawValue
            if status.isOpen { sets["resolved_at"] = .some(nil); sets["resolution_code"] = .some(nil) }
            if status != .pending { sets["follow_up_at"] = .some(nil) }
            return (sets, [EventDraft(kind: .status, field: "status", old: current.status.rawValue, new: status.rawValue)])
        }
    }

    /// Resolves with a resolution code (required) and an optional CSAT score.
    public func resolve(_ caseId: Int64, code: String, csat: Int? = nil, by login: String, expectedVersion: Int? = nil) throws {
        if let csat, !(1...5).contains(csat) { throw CaseError.invalid("CSAT is 1 to 5, not \(csat)") }
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM resolution_codes WHERE code = ? AND \(PackRetireSchema.liveResolutionCodes)", arguments: [code]) == true else {
                throw CaseError.noSuchResolutionCode(code)
            }
            let actor = try Self.user(db, login: login)
            let current = try Self.record(db, id: caseId)
            try Self.require(db, actor, .resolve, current)
            guard current.status.isOpen else { throw CaseError.invalid("case #\(caseId) is already \(current.status.rawValue)") }
            var sets = try Self.slaClockSets(db, current, to: .resolved, at: now())
            sets["status"] = CaseStatus.resolved.rawValue; sets["resolution_code"] = code
            sets["resolved_at"] = now().timeIntervalSince1970; sets["follow_up_at"] = .some(nil)
            var events = [EventDraft(kind: .resolve, field: "status", old: current.status.rawValue, new: CaseStatus.resolved.rawValue, body: code)]
            if let csat {
                sets["csat"] = csat; sets["csat_at"] = now().timeIntervalSince1970
                events.append(EventDraft(kind: .csat, field: "csat", old: current.csat.map(String.init), new: String(csat)))
            }
            try change(db, current, actor: actor, expectedVersion: expectedVersion, sets: sets, events: events)
            try db.execute(sql: "UPDATE work_intervals SET ended_at = ? WHERE case_id = ? AND ended_at IS NULL",
                           arguments: [now().timeIntervalSince1970, caseId])
        }
    }

    /// A standardized response sent to the customer; the first one stops the first-response clock.
    /// On an email case it is queued for mail in the same transaction (true: queued;
    /// `casedesk mail flush` sends it after commit).
    @discardableResult
    public func sendResponse(_ caseId: Int64, text: String, responseId: String? = nil, by login: String,
                             expectedVersion: Int? = nil) throws -> Bool {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CaseError.invalid("a response cannot be empty") }
        // No half-filled response reaches a customer.
        if let problem = ResponseFiller.unfilledProblem(text, caseId: caseId) { throw CaseError.invalid(problem) }
        return try write { db in
            let actor = try Self.user(db, login: login)
            let current = try Self.record(db, id: caseId)
            try Self.require(db, actor, .respond, current)
            var sets: [String: DatabaseValueConvertible?] = [:]
            if current.firstResponseAt == nil { sets["first_response_at"] = self.now().timeIntervalSince1970 }
            if current.status == .new { sets["status"] = CaseStatus.open.rawValue }
            try change(db, current, actor: actor, expectedVersion: expectedVersion, sets: sets,
                       events: [EventDraft(kind: .response, field: responseId, body: text, channel: current.channel.rawValue)])
            // The response's own id (the search index writes rows after the event).
            let eventId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM events WHERE case_id = ?", arguments: [caseId]) ?? 0
            return try Self.enqueueResponse(db, caseId: caseId, eventId: eventId, text: text, at: now())
        }
    }

    /// Marks a script step done (with the answer, for a question step): script adherence.
    public func completeStep(_ caseId: Int64, stepId: String, answer: String? = nil, by login: String,
                             expectedVersion: Int? = nil) throws {
        try edit(caseId, .completeStep, by: login, expectedVersion: expectedVersion, sets: [:],
                 events: [EventDraft(kind: .step, field: stepId, new: answer)])
    }

    /// "Kill the stupid rule": the agent names the policy that forced a no.
    public func flagRule(_ caseId: Int64, rule: String, by login: String) throws {
        let rule = rule.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rule.isEmpty else { throw CaseError.invalid("name the rule to flag") }
        try write { db in
            let actor = try Self.user(db, login: login)
            try Self.require(db, actor, .flagRule, Self.record(db, id: caseId))
            try db.execute(sql: "INSERT INTO rule_flags(case_id, user_id, at, rule) VALUES (?,?,?,?)",
                           arguments: [caseId, actor.id, now().timeIntervalSince1970, rule])
            try Self.append(db, caseId: caseId, actor: actor.id, at: now(), EventDraft(kind: .flag, body: rule))
        }
    }

    /// Asks an expert anywhere in the company; the answer comes back into the case.
    public func consult(_ caseId: Int64, expert expertLogin: String, question: String, by login: String) throws {
        let question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else { throw CaseError.invalid("a consult needs a question") }
        try write { db in
            let actor = try Self.user(db, login: login)
            let expert = try Self.user(db, login: expertLogin)
            try Self.require(db, actor, .consult, Self.record(db, id: caseId))
            // A consult goes to an expert, active, and never back to the one asking.
            guard expert.id != actor.id else { throw CaseError.invalid("\(actor.login) cannot consult themselves on case #\(caseId); name an expert (casedesk user list)") }
            guard expert.role == .expert else {
                throw CaseError.invalid("\(expert.login) is \(Policy.article(expert.role.rawValue)) \(expert.role.rawValue), not an expert; consults go to experts (casedesk user list shows them)")
            }
            guard expert.active else { throw CaseError.invalid("\(expert.login) is disabled and cannot be consulted") }
            try db.execute(sql: "INSERT INTO consults(case_id, from_id, expert_id, question, asked_at) VALUES (?,?,?,?,?)",
                           arguments: [caseId, actor.id, expert.id, question, now().timeIntervalSince1970])
            try Self.append(db, caseId: caseId, actor: actor.id, at: now(),
                            EventDraft(kind: .consult, field: "expert", new: expert.login, body: question))
        }
    }

    // MARK: handle time

    /// Opens an interval of active work on a case; close it with `stopWork`. It is
    /// stored as already ending when it starts, and `touchWork` moves the end on: a
    /// desk killed before its first touch is charged nothing more, never "until the
    /// case is resolved".
    public func startWork(_ caseId: Int64, by login: String) throws -> Int64 {
        try write { db in
            let actor = try Self.user(db, login: login)
            try Self.require(db, actor, .view, Self.record(db, id: caseId))
            let at = now().timeIntervalSince1970
            try db.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                           arguments: [caseId, actor.id, at, at])
            return db.lastInsertedRowID
        }
    }

    public func stopWork(_ intervalId: Int64) throws {
        try touchWork(intervalId)
    }

    /// "Worked on this until now": a live desk moves the interval's end every few
    /// seconds, so a desk that dies (SIGKILL, power) leaves an interval that ends
    /// when the work really stopped, not one that runs on forever.
    public func touchWork(_ intervalId: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE work_intervals SET ended_at = ? WHERE id = ?",
                           arguments: [now().timeIntervalSince1970, intervalId])
        }
    }

    /// Seconds of recorded work on a case (open intervals count up to now).
    public func handleSeconds(_ caseId: Int64) throws -> Double {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT coalesce(sum(coalesce(ended_at, ?) - started_at), 0) FROM work_intervals WHERE case_id = ?",
                                arguments: [now().timeIntervalSince1970, caseId]) ?? 0
        }
    }

    // MARK: the shared mechanism

    func edit(_ caseId: Int64, _ action: Action, by login: String, expectedVersion: Int?,
                      sets: [String: DatabaseValueConvertible?], events: [EventDraft]) throws {
        try edit(caseId, action, by: login, expectedVersion: expectedVersion) { _, _ in (sets, events) }
    }

    func edit(_ caseId: Int64, _ action: Action, by login: String, expectedVersion: Int?,
                      _ plan: (CaseRecord) throws -> ([String: DatabaseValueConvertible?], [EventDraft])) throws {
        try edit(caseId, action, by: login, expectedVersion: expectedVersion) { _, current in try plan(current) }
    }

    /// Reads the actor and the case, asks the policy, then applies the plan: one transaction.
    func edit(_ caseId: Int64, _ action: Action, by login: String, expectedVersion: Int?,
                      _ plan: (Database, CaseRecord) throws -> ([String: DatabaseValueConvertible?], [EventDraft])) throws {
        try write { db in
            let actor = try Self.user(db, login: login)
            let current = try Self.record(db, id: caseId)
            try Self.require(db, actor, action, current)
            let (sets, events) = try plan(db, current)
            try change(db, current, actor: actor, expectedVersion: expectedVersion, sets: sets, events: events)
        }
    }

    /// Applies `sets` only if the case is still at the version the caller saw:
    /// zero rows updated means someone else won, and the caller hears who.
    func change(_ db: Database, _ current: CaseRecord, actor: User, expectedVersion: Int?,
                sets: [String: DatabaseValueConvertible?], events: [EventDraft]) throws {
        let seen = expectedVersion ?? current.version
        if seen != current.version {
            throw CaseError.conflict(caseId: current.id, by: current.updatedBy ?? "another process", version: current.version)
        }
        try change(db, caseId: current.id, version: seen, actor: actor, sets: sets, events: events)
    }

    /// The one write every change to a case goes through: the update guarded by the
    /// version, the version bump, and the events.
    /// Returns the ids of the events appended.
    @discardableResult
    func change(_ db: Database, caseId: Int64, version seen: Int, actor: User,
                sets: [String: DatabaseValueConvertible?], events: [EventDraft]) throws -> [Int64] {
        let at = now().timeIntervalSince1970
        let columns = sets.keys.sorted()
        let assignments = (columns.map { "\($0) = ?" } + ["version = version + 1", "updated_at = ?", "updated_by = ?"]).joined(separator: ", ")
        var args: [DatabaseValueConvertible?] = columns.map { sets[$0]! }
        args += [at, actor.id, caseId, seen]
        try db.cachedStatement(sql: "UPDATE cases SET \(assignments) WHERE id = ? AND version = ?").execute(arguments: StatementArguments(args))
        if db.changesCount == 0 {
            let latest = try Self.record(db, id: caseId)
            throw CaseError.conflict(caseId: caseId, by: latest.updatedBy ?? "another process", version: latest.version)
        }
        return try events.map { try Self.append(db, caseId: caseId, actor: actor.id, at: Date(timeIntervalSince1970: at), $0) }
    }

    /// Appends one timeline entry and returns its id.
    @discardableResult
    static func append(_ db: Database, caseId: Int64, actor: Int64?, at: Date, _ e: EventDraft) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO events(case_id, at, actor_id, kind, channel, field, old_value, new_value, body, via_id)
            VALUES (?,?,?,?,?,?,?,?,?,casedesk_via())
            """).execute(arguments: [caseId, at.timeIntervalSince1970, actor, e.kind.rawValue, e.channel, e.field, e.old, e.new, e.body])
        let id = db.lastInsertedRowID   // before the search index writes its own rows
        try SearchIndex.eventAppended(db, caseId: caseId, kind: e.kind)
        return id
    }

    static func record(_ db: Database, id: Int64) throws -> CaseRecord {
        guard let record = try Row.decodeOne(db.cachedStatement(sql: CaseRecord.selectSQL + " WHERE c.id = ?"), [id], CaseRecord.init(row:)) else {
            throw CaseError.noSuchCase(id)
        }
        return record
    }
}
