import Foundation

/// Standardized responses with their placeholders filled from the case, customer and agent.
public enum ResponseFiller {
    public static func values(detail: CaseDetail, agent: User?, timeZone: TimeZone = .current) -> [String: String] {
        let r = detail.record, c = detail.customer
        var v: [String: String] = [
            "customer.first_name": c.firstName, "customer.last_name": c.lastName, "customer.name": c.name,
            "case.id": String(r.id), "case.subject": r.subject, "case.channel": r.channel.rawValue,
            "case.due": DateText.format(r.dueAt, "EEE d MMM HH:mm", timeZone), "case.priority": r.priority.description,
        ]
        v["customer.email"] = c.email; v["customer.phone"] = c.phone; v["customer.account"] = c.account
        v["case.call_type"] = r.callType
        if let agent { v["agent.name"] = agent.name; v["agent.first_name"] = agent.firstName }
        return v
    }

    public static func fill(_ template: ResponseTemplate, detail: CaseDetail, agent: User?, timeZone: TimeZone = .current) -> String {
        Placeholders.fill(template.text, with: values(detail: detail, agent: agent, timeZone: timeZone))
    }

    /// Placeholders still in a response, named: nothing on the case fills them.
    public static func unfilled(_ text: String) -> [String] {
        Placeholders.names(in: text).filter { Placeholders.known[$0] != nil }
    }

    /// The one refusal for a response with a placeholder nothing fills.
    public static func unfilledProblem(_ text: String, caseId: Int64) -> String? {
        let missing = unfilled(text)
        guard !missing.isEmpty else { return nil }
        let names = missing.map { "{{\($0)}}" }.joined(separator: ", ")
        return "not sent: case #\(caseId) has nothing to fill \(names) with; edit the response first"
    }

    /// The one form a response's id is recorded in, from every entry point: `step.response`.
    public static func fullId(step: String?, response: String) -> String {
        step.map { "\($0).\(response)" } ?? response
    }

    /// Whether two response ids name the same response: equal, or one is the other's
    /// `response` part (timelines recorded before every entry point wrote `step.response`).
    public static func sameResponse(_ a: String, _ b: String) -> Bool {
        a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a)
    }

    /// A response of the case's script by id (`step.response` or just `response`), filled
    /// in, with its full id (`step.response`) as the timeline records it.
    public static func filled(store: CaseStore, caseId: Int64, responseId: String, agent login: String) throws -> (id: String, text: String)? {
        let detail = try store.detail(caseId)
        guard let code = detail.record.callType, let script = try store.script(for: code) else { return nil }
        let agent = try? store.user(login: login)
        for step in script.steps {
            for response in step.responses where response.id == responseId || fullId(step: step.id, response: response.id) == responseId {
                return (fullId(step: step.id, response: response.id), fill(response, detail: detail, agent: agent))
            }
        }
        return nil
    }
}

/// One line of a timeline in words, shared by `case show` and the desk.
public enum TimelineText {
    public static func symbol(for kind: CaseEvent.Kind) -> String {
        switch kind {
        case .created: "+"
        case .call: "☎"
        case .message, .customerLine: "✉"
        case .note: "✎"
        case .response: "➤"
        case .step: "✓"
        case .status, .resolve: "●"
        case .assign: "→"
        case .callType, .priority: "≡"
        case .csat: "★"
        case .flag: "!"
        case .consult, .consultReply: "?"
        case .erasure: "⌫"
        case .delivery: "⇢"
        }
    }

    /// "2026-11-23T09:30:00Z" as "2026-11-23 09:30".
    static func short(_ iso: String?) -> String {
        guard let iso else { return "?" }
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: ":00Z", with: "").replacingOccurrences(of: "Z", with: "")
    }

    /// `delivery`: for a response sent by mail, where its mail stands.
    public static func line(for e: CaseEvent, delivery: ResponseDelivery? = nil) -> String {
        let who = e.actor.map { actor in " (\(e.via.map { "\($0) as " } ?? "")\(actor))" } ?? ""
        switch e.kind {
        case .created: return "created via \(e.channel ?? "?"): \(e.body ?? "")"
        case .call: return "call: \(e.body ?? "")"
        case .message where e.newValue != nil:
            // Brought by a channel gateway: the sender, and the gateway as the way it came.
            return "\(e.newValue!) · \(e.channel ?? "?")\(e.actor.map { " via \($0)" } ?? ""): \(e.body ?? "")"
        case .message, .customerLine: return "customer\(e.channel.map { " · \($0)" } ?? ""): \(e.body ?? "")"
        case .note: return "note\(who): \(e.body ?? "")"
        case .response:
            let state = delivery.map { " · mail \($0.text())" } ?? ""
            return "response\(who)\(state): \(e.body ?? "")"
        case .delivery: return e.body ?? "mail \(e.newValue ?? "?")"
        case .step: return "step \(e.field ?? "?") done\(e.newValue.map { " — \($0)" } ?? "")\(who)"
        case .status: return "status \(e.oldValue ?? "?") → \(e.newValue ?? "?")\(who)\(e.body.map { " — \($0)" } ?? "")"
        case .resolve: return "resolved: \(e.body ?? "")\(who)"
        case .assign where e.field == "team":
            return "moved to team \(e.newValue ?? "?") from \(e.oldValue ?? "the shared queue")\(who)"
        case .assign:
            return "assigned \(e.oldValue ?? "queue") → \(e.newValue ?? "queue")\(who)\(e.body.map { " — \($0)" } ?? "")"
        case .callType: return "call type \(e.oldValue ?? "none") → \(e.newValue ?? "?")\(who)"
        case .priority where e.field == "due":
            return "due \(short(e.oldValue)) → \(short(e.newValue))\(who)\(e.body.map { " — \($0)" } ?? "")"
        case .priority: return "priority \(e.oldValue ?? "?") → \(e.newValue ?? "?")\(who)\(e.body.map { " — \($0)" } ?? "")"
        case .csat: return "CSAT \(e.newValue ?? "?")" + (e.body.map { ": \($0)" } ?? "")
        case .flag where e.field == "answer": return "rule flag answered\(who): \(e.body ?? "")"
        case .flag: return "rule flagged\(who): \(e.body ?? "")"
        case .consult: return "consult \(e.newValue ?? "?")\(who): \(e.body ?? "")"
        case .consultReply: return "expert reply\(who): \(e.body ?? "")"
        case .erasure: return "customer's personal data erased\(who): \(e.body ?? "")"
        }
    }
}
