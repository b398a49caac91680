import Foundation
import GRDB

/// One case's life: its events from the plan, cut at `now`, and the row they add up to.
extension DemoGenerator {
    func simulate(_ p: Plan, owner ownerIndex: Int) -> Sim {
        var r = SplitMix64(seed: seed, stream: 1_000_000 + UInt64(p.index))
        let agent = people[ownerIndex]
        let customer = clients[p.customer]
        let ch = p.channel.rawValue
        let voice = Self.isVoice(p.channel)
        var s = Sim()
        var tl = Timeline()
        let t0 = p.created.timeIntervalSince1970

        let values = PlaceholderValues(values: [
            "customer.first_name": customer.first, "customer.last_name": customer.last, "customer.name": customer.name,
            "customer.email": customer.email, "customer.phone": customer.phone, "customer.account": customer.account,
            "agent.name": agent.name, "agent.first_name": String(agent.name.split(separator: " ").first ?? ""),
            "case.id": String(p.id), "case.subject": p.subject, "case.call_type": p.leaf.code, "case.channel": ch,
            "case.due": dueFormatter.string(from: p.due), "case.priority": p.priority.description,
        ])

        // Birth and the customer's own words.
        tl.add(t0, actor: p.channel == .phone || p.channel == .retail ? agent.id : nil, .created, channel: ch, new: ch, body: p.subject)
        let opening = p.channel == .ivr ? "Chose “\(p.leaf.name)” in the phone menu. \(p.line)" : p.line
        tl.add(t0 + r.uniform(3, 40), actor: nil, voice ? .call : .message, channel: ch, body: opening)

        let frMinutes = Double(p.typedAtBirth ? p.leaf.firstResponseMinutes : 120)
        let handleMedian: Double = [.phone: 7, .chat: 9, .retail: 8, .ivr: 6, .email: 5, .web: 4, .mobile: 4.5, .social: 3.5][p.channel]!
        let handle1 = 60 * min(max(r.logNormal(median: handleMedian, sigma: 0.45), 1.5), 45)
        let pickup: Double
        switch p.channel {
        case .phone, .retail: pickup = t0 + r.uniform(5, 20)
        case .ivr: pickup = t0 + 60 * r.logNormal(median: 3, sigma: 0.6)
        case .chat: pickup = t0 + 60 * r.logNormal(median: 2.5, sigma: 0.7)
        default: pickup = business(t0, minutes: frMinutes * r.logNormal(median: 0.35, sigma: 0.8))
        }
        let script = scriptFor(p.leaf.code)
        let path = script.map { walk($0, rng: &r) } ?? []
        // 10% of the time the agent stops logging script steps part-way: adherence is measured, not assumed.
        let logged = r.chance(0.1) && path.count > 1 ? r.int(1...(path.count - 1)) : path.count
        let firstResolve = path.firstIndex { $0.step.kind == .resolve || $0.step.kind == .close } ?? path.count
        let noteDraws = (r.unit(), r.unit(), r.unit())

        if p.fate == .stuckNew { return finish(p, tl, &s, intervals: []) }

        // Session 1: pick-up, call type, script up to the resolution, first response.
        tl.add(pickup, actor: agent.id, .assign, field: "assignee", new: agent.login,
               body: voice ? "answered the call" : "taken from the queue", target: agent.id)
        var t = pickup + r.uniform(10, 30)
        if !p.typedAtBirth { tl.add(t, actor: agent.id, .callType, field: "call_type", new: p.leaf.code); t += r.uniform(5, 20) }
        if p.bumped {
            tl.add(t, actor: agent.id, .priority, field: "priority", old: p.leaf.defaultPriority.description, new: p.priority.description)
            t += 5
        }
        let session1Steps = p.fate == .onContact ? min(logged, path.count) : min(logged, firstResolve)
        let gap = handle1 * 0.8 / Double(max(session1Steps, 1))
        var responded = false
        func respond(_ step: ScriptStep?, at: Double, rng: inout SplitMix64) {
            let text: String, id: String?
            if let step, let template = pickResponse(step, channel: p.channel, rng: &rng) {
                text = values.fill(template.text.trimmingCharacters(in: .whitespacesAndNewlines)); id = template.id
            } else {
                text = values.fill(topics.genericResponse); id = nil
            }
            tl.add(at, actor: agent.id, .response, channel: ch, field: id, body: text)
            responded = true
        }
        for k in 0..<session1Steps {
            let (step, answer) = path[k]
            t += gap * r.uniform(0.6, 1.4)
            if step.kind == .verify, noteDraws.0 < 0.6 { tl.add(t - 3, actor: agent.id, .note, body: topics.verifyNote(noteDraws.1)) }
            let chanceToRespond = step.kind == .greet ? (voice ? 0.5 : 0.9) : step.kind == .resolve ? 0.85 : 0.25
            if !step.responses.isEmpty, r.chance(chanceToRespond) { respond(step, at: t, rng: &r) }
            tl.add(t + 2, actor: agent.id, .step, field: step.id, new: answer)
        }
        if !responded { respond(path.first?.step, at: t + 5, rng: &r) }
        if p.flagged {
            tl.add(t + 8, actor: agent.id, .flag, body: topics.rule(for: p.leaf.category, draw: noteDraws.2))
            s.flagAt = t + 8
        }
        let end1 = max(t + 10, pickup + handle1)
        var intervals = [(start: pickup, end: end1 + r.uniform(20, 90))]

        func resolve(at: Double, steps: Range<Int>, rng: inout SplitMix64) {
            var u = at
            for k in steps {
                let (step, answer) = path[k]
                if !step.responses.isEmpty, step.kind != .close || voice, rng.chance(step.kind == .resolve ? 0.85 : 0.3) {
                    respond(step, at: u, rng: &rng)
                }
                tl.add(u + 2, actor: agent.id, .step, field: step.id, new: answer)
                u += rng.uniform(20, 60)
            }
            s.resolveAt = u + 5
            tl.add(u + 5, actor: agent.id, .resolve, field: "status", old: tl.status.rawValue, new: CaseStatus.resolved.rawValue, body: p.code)
            if let score = p.csat {
                tl.add(u + 5 + 60 * rng.logNormal(median: 45, sigma: 1.2), actor: nil, .csat, field: "csat", new: String(score),
                       body: files.outcomes.comment(score: score, category: p.leaf.category, index: p.index))
            }
        }

        switch p.fate {
        case .stuckNew: break
        case .onContact:
            resolve(at: end1, steps: session1Steps..<session1Steps, rng: &r)
        case .stuckOpen, .followUp:
            tl.add(end1, actor: agent.id, .note, body: topics.followUpNote(p.leaf.category, draw: noteDraws.1))
            var resume = business(end1, minutes: 0.25 * Double(p.leaf.resolutionMinutes) * r.logNormal(median: 1, sigma: 0.7))
            if p.consult {
                let expert = person(p.leaf.category == "device" ? "ngozi" : "ed")
                let asked = end1 + r.uniform(60, 600)
                let answered = business(asked, minutes: r.logNormal(median: 150, sigma: 0.8))
                let (question, answer) = topics.consult(p.leaf.category, draw: noteDraws.2)
                tl.add(asked, actor: agent.id, .consult, field: "expert", new: expert.login, body: question)
                tl.add(answered, actor: expert.id, .consultReply, field: "expert", new: expert.login, body: answer)
                s.consult = (asked, agent.id, expert.id, question, answer, answered)
                resume = max(resume, answered + r.uniform(600, 7200))
            }
            if p.fate == .followUp {
                let handle2 = handle1 * r.logNormal(median: 0.6, sigma: 0.4)
                intervals.append((resume, resume + handle2 + 60))
                resolve(at: resume + handle2 * 0.3, steps: session1Steps..<min(logged, path.count), rng: &r)
            }
        case .pending, .noResponse, .stuckPending:
            tl.add(end1 - 2, actor: agent.id, .status, field: "status", old: CaseStatus.open.rawValue, new: CaseStatus.pending.rawValue)
            tl.add(end1, actor: agent.id, .note, body: topics.waitingNote(p.leaf.category, draw: noteDraws.1))
            if p.fate == .noResponse {
                resolve(at: end1 + 5 * 86400 + r.uniform(0, 7200), steps: 0..<0, rng: &r)
            } else if p.fate == .pending {
                let reply = end1 + 3600 * r.logNormal(median: 5, sigma: 1.0)
                // One in five customers answer on another channel: the history spans channels.
                if r.chance(0.2) {
                    tl.add(reply, actor: nil, .call, channel: Channel.phone.rawValue, body: topics.reply(draw: noteDraws.0, phone: true))
                } else {
                    tl.add(reply, actor: nil, .message, channel: ch, body: topics.reply(draw: noteDraws.0, phone: false))
                }
                tl.add(reply + 1, actor: nil, .status, field: "status", old: CaseStatus.pending.rawValue, new: CaseStatus.open.rawValue)
                let resume = business(reply, minutes: r.logNormal(median: 90, sigma: 1.0))
                let handle2 = handle1 * r.logNormal(median: 0.6, sigma: 0.4)
                intervals.append((resume, resume + handle2 + 60))
                resolve(at: resume + handle2 * 0.3, steps: session1Steps..<min(logged, path.count), rng: &r)
            }
        }
        return finish(p, tl, &s, intervals: intervals)
    }

    /// Cuts the story at `now` and derives the case row by replaying what happened.
    func finish(_ p: Plan, _ tl: Timeline, _ s: inout Sim, intervals: [(start: Double, end: Double)]) -> Sim {
        let cut = now.timeIntervalSince1970
        s.events = tl.events.filter { $0.at <= cut }
        var status = CaseStatus.new
        var assignee: Int64?
        var callType: String? = p.typedAtBirth ? p.leaf.code : nil
        var priority = p.typedAtBirth ? p.leaf.defaultPriority : .p3
        var version = 1
        var updatedAt = p.created.timeIntervalSince1970
        var updatedBy: Int64? = s.events.first?.actor
        s.due = p.due.timeIntervalSince1970
        for e in s.events {
            var change = true
            status = e.status(after: status)
            switch e.kind {
            case .assign: assignee = e.target
            case .status: DemoClock.move(&s, to: status, at: e.at, pauses: p.leaf.pauseWhenPending, calendar)
            case .callType: callType = e.new
            case .priority: priority = Priority(label: e.new!)!
            case .resolve:
                s.resolvedAt = e.at; s.code = e.body
                DemoClock.move(&s, to: .resolved, at: e.at, pauses: p.leaf.pauseWhenPending, calendar)
            case .csat: s.csat = Int(e.new!); s.csatAt = e.at; s.csatComment = e.body
            case .response: if s.firstResponse == nil { s.firstResponse = e.at }
            case .step, .note: break
            default: change = false
            }
            if change { version += 1; updatedAt = e.at; updatedBy = e.actor }
        }
        s.status = status; s.assignee = assignee; s.callType = callType; s.priority = priority
        s.version = version; s.updatedAt = updatedAt; s.updatedBy = updatedBy
        // Work happens inside the case's life: nothing after its resolution.
        let last = min(cut, s.resolvedAt ?? cut)
        s.intervals = intervals.compactMap { iv in
            iv.start < last ? (iv.start, iv.end <= cut || s.resolvedAt != nil ? min(iv.end, last) : nil) : nil
        }
        if let c = s.consult, c.askedAt > cut { s.consult = nil }
        if let c = s.consult, c.answeredAt! > cut { s.consult = (c.askedAt, c.from, c.expert, c.question, nil, nil) }
        if let f = s.flagAt, f > cut { s.flagAt = nil }
        return s
    }

    func business(_ t: Double, minutes: Double) -> Double {
        calendar.add(minutes: max(1, Int(minutes.rounded())), to: Date(timeIntervalSince1970: t)).timeIntervalSince1970
            + Double(Int(t) % 53)   // not every reply lands on the same minute
    }

    func scriptFor(_ code: String) -> Script? {
        var c = Substring(code)
        while true {
            if let s = pack.scripts.first(where: { $0.callType == c }) { return s }
            guard let dot = c.lastIndex(of: ".") else { return nil }
            c = c[..<dot]
        }
    }

    /// A path through the script, answering question steps at random.
    func walk(_ script: Script, rng: inout SplitMix64) -> [(step: ScriptStep, answer: String?)] {
        var path: [(step: ScriptStep, answer: String?)] = []
        var seen = Set<String>()
        var id = script.steps.first?.id
        while let stepId = id, seen.insert(stepId).inserted, path.count < 30,
              let step = script.steps.first(where: { $0.id == stepId }) {
            let answer = step.question != nil && !step.choices.isEmpty ? rng.pick(step.choices).answer : nil
            path.append((step, answer))
            id = ScriptRunner.next(after: step, answer: answer, in: script)
        }
        return path
    }

    /// A response that suits the channel: spoken lines on calls, written ones in messages.
    func pickResponse(_ step: ScriptStep, channel: Channel, rng: inout SplitMix64) -> ResponseTemplate? {
        let voice = Self.isVoice(channel)
        let suits = step.responses.filter { r in
            let tag = (r.id + " " + r.title).lowercased()
            return voice ? !(tag.contains("written") || tag.contains("email")) : !(tag.contains("phone") || tag.contains("call"))
        }
        let from = suits.isEmpty ? step.responses : suits
        return from.isEmpty ? nil : rng.pick(from)
    }
}
