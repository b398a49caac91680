import Foundation
import GRDB

/// The contact after the case was opened: the customer calling back or replying,
/// waiting on them (pending with a follow-up time), priority, team, call type.
extension CaseStore {
    // MARK: customer contact

    /// The customer contacted us again on this case: what they said lands on the timeline
    /// as a customer message. A pending case opens again; a resolved or closed one is
    /// reopened (a repeat contact, so it counts against first-contact resolution).
    public func recordContact(_ caseId: Int64, text: String, channel: Channel, by login: String,
                              expectedVersion: Int? = nil) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CaseError.invalid("a contact needs what the customer said") }
        try edit(caseId, .logContact, by: login, expectedVersion: expectedVersion) { db, current in
            var sets: [String: DatabaseValueConvertible?] = [:]
            var events = [EventDraft(kind: .message, body: text, channel: channel.rawValue)]
            if current.status != .new, current.status != .open {
                sets = try Self.slaClockSets(db, current, to: .open, at: self.now())   // the SLA clock runs again
            }
            switch current.status {
            case .pending:
                sets["status"] = CaseStatus.open.rawValue; sets["follow_up_at"] = .some(nil)
                events.append(EventDraft(kind: .status, field: "status", old: current.status.rawValue, new: CaseStatus.open.rawValue,
                                         body: "the customer got in touch"))
            case .resolved, .closed:
                sets["status"] = CaseStatus.open.rawValue; sets["resolved_at"] = .some(nil); sets["resolution_code"] = .some(nil)
                events.append(EventDraft(kind: .status, field: "status", old: current.status.rawValue, new: CaseStatus.open.rawValue,
                                         body: "reopened: the customer got in touch again"))
            case .new, .open:
                break
            }
            return (sets, events)
        }
    }

    // MARK: pending and follow-ups

    /// Waiting on the customer or a third party; at `until` the case comes back to the top
    /// of its owner's queue marked "follow-up due".
    public func setPending(_ caseId: Int64, until: Date?, by login: String, expectedVersion: Int? = nil) throws {
        if let until, until <= now() {
            throw CaseError.invalid("the follow-up time \(DateText.format(until, "yyyy-MM-dd HH:mm", .current)) is in the past; give a later one")
        }
        try edit(caseId, .setStatus, by: login, expectedVersion: expectedVersion) { db, current in
            guard current.status.isOpen else { throw CaseError.invalid("case #\(caseId) is \(current.status.rawValue); only an open case can wait") }
            let body = until.map { "follow up at " + ISOTime().string(from: $0) }
            var sets = try Self.slaClockSets(db, current, to: .pending, at: self.now())   // paused where the call type says so
            sets["status"] = CaseStatus.pending.rawValue; sets["follow_up_at"] = until?.timeIntervalSince1970
            return (sets,
                    [EventDraft(kind: .status, field: "status", old: current.status.rawValue, new: CaseStatus.pending.rawValue, body: body)])
        }
    }

    /// Pending cases of an owner whose follow-up time has come, oldest follow-up first.
    public func followUpsDue(assigneeId: Int64, at time: Date, limit: Int = 50) throws -> [QueueRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.priority, c.due_at, c.created_at, c.status, c.call_type, c.channel, c.subject,
                       cu.name AS customer, u.login AS assignee
                FROM cases c INDEXED BY cases_follow_up
                JOIN customers cu ON cu.id = c.customer_id LEFT JOIN users u ON u.id = c.assignee_id
                WHERE c.assignee_id = ? AND c.status = 'pending' AND c.follow_up_at IS NOT NULL AND c.follow_up_at <= ?
                ORDER BY c.follow_up_at, c.id LIMIT ?
                """, arguments: [assigneeId, time.timeIntervalSince1970, limit]).map(QueueRow.init(row:))
        }
    }

    // MARK: priority, team, call type

    /// A priority set by hand, with the reason on the timeline; a later call type keeps it.
    public func setPriority(_ caseId: Int64, to priority: Priority, reason: String, by login: String,
                            expectedVersion: Int? = nil) throws {
        let reason = try Self.priorityReason(reason)
        try edit(caseId, .setPriority, by: login, expectedVersion: expectedVersion) { current in
            (["priority": priority.rawValue, "priority_manual": true],
             [EventDraft(kind: .priority, field: "priority", old: current.priority.description, new: priority.description, body: reason)])
        }
    }

    /// The reason a priority set by hand needs (the CLI's `--reason`, the desk's form), trimmed.
    public static func priorityReason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw CaseError.invalid("say why the priority changes: the reason goes on the timeline") }
        return reason
    }

    /// Moves a case to another team's queue (unassigned there; the team's policy may pick someone).
    public func moveToTeam(_ caseId: Int64, team name: String, by login: String, expectedVersion: Int? = nil) throws {
        try write { db in
            let actor = try Self.user(db, login: login)
            let current = try Self.record(db, id: caseId)
            try Self.require(db, actor, .reassign, current)
            guard let teamId = try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [name]) else {
                let teams = try String.fetchAll(db, sql: "SELECT name FROM teams ORDER BY name")
                throw CaseError.invalid("no team '\(name)' (teams: \(teams.isEmpty ? "none yet" : teams.joined(separator: ", ")))")
            }
            guard current.teamId != teamId || current.assigneeId != nil else { throw CaseError.invalid("case #\(caseId) is already in \(name)'s queue") }
            let old = try current.teamId.flatMap { try String.fetchOne(db, sql: "SELECT name FROM teams WHERE id = ?", arguments: [$0]) }
            var events = [EventDraft(kind: .assign, field: "team", old: old, new: name)]
            if let who = current.assignee { events.append(EventDraft(kind: .assign, field: "assignee", old: who, new: nil, body: "moved to team \(name)")) }
            try change(db, current, actor: actor, expectedVersion: expectedVersion,
                       sets: ["team_id": teamId, "assignee_id": nil], events: events)
            try autoAssign(db, caseId: caseId, actor: actor)
        }
    }

    /// Sets the call type; the case's priority and due time follow from it, measured from
    /// when the case was created, in business hours (a priority set by hand stays).
    public func setCallType(_ caseId: Int64, to code: String, by login: String, expectedVersion: Int? = nil) throws {
        try write { db in
            let ct = try Self.callType(db, code: code)
            let actor = try Self.user(db, login: login)
            let current = try Self.record(db, id: caseId)
            try Self.require(db, actor, .setCallType, current)
            guard current.callType != code else { return }
            let plan = Self.serviceLevel(ct, for: current, calendar: BusinessCalendar(try Self.businessHours(db)))
            var sets: [String: DatabaseValueConvertible?] = ["call_type": ct.code]
            var events = [EventDraft(kind: .callType, field: "call_type", old: current.callType, new: ct.code)]
            if plan.priority != current.priority {
                sets["priority"] = plan.priority.rawValue
                events.append(EventDraft(kind: .priority, field: "priority", old: current.priority.description,
                                         new: plan.priority.description, body: "from call type \(ct.code)"))
            }
            if plan.due != current.dueAt {
                sets["due_at"] = plan.due.timeIntervalSince1970
                let iso = ISOTime()
                events.append(EventDraft(kind: .priority, field: "due", old: iso.string(from: current.dueAt),
                                         new: iso.string(from: plan.due), body: "from call type \(ct.code)"))
            }
            try change(db, current, actor: actor, expectedVersion: expectedVersion, sets: sets, events: events)
        }
    }

    /// The priority and due time a call type gives a case (one rule for creation and retyping).
    static func serviceLevel(_ ct: CallType, for current: CaseRecord, calendar: BusinessCalendar) -> (priority: Priority, due: Date) {
        let priority = current.priorityManual ? current.priority : ct.defaultPriority
        return (priority, calendar.add(minutes: ct.resolutionMinutes, to: current.createdAt))
    }
}

/// Follow-up times as people type them, in their time zone: one reader for desk and CLI.
public enum FollowUpTime {
    public static let accepted = "YYYY-MM-DD HH:MM, HH:MM (today) or tomorrow HH:MM"

    public static func parse(_ text: String, now: Date, zone: TimeZone) throws -> Date {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        func clock(_ s: Substring) -> (Int, Int)? {
            let parts = s.split(separator: ":")
            guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                  (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            return (h, m)
        }
        let words = t.split(separator: " ", omittingEmptySubsequences: true)
        var day = cal.startOfDay(for: now)
        var time: (Int, Int)?
        switch words.count {
        case 1: time = clock(words[0])
        case 2 where words[0] == "tomorrow" || words[0] == "today":
            if words[0] == "tomorrow" { day = cal.date(byAdding: .day, value: 1, to: day)! }
            time = clock(words[1])
        case 2:
            let ymd = words[0].split(separator: "-").compactMap { Int($0) }
            if ymd.count == 3, let d = cal.date(from: DateComponents(year: ymd[0], month: ymd[1], day: ymd[2])),
               cal.component(.day, from: d) == ymd[2] {
                day = d
                time = clock(words[1])
            }
        default: break
        }
        guard let (h, m) = time, let at = cal.date(bySettingHour: h, minute: m, second: 0, of: day) else {
            throw CaseError.invalid("cannot read the follow-up time '\(text)' (use \(accepted))")
        }
        return at
    }
}
