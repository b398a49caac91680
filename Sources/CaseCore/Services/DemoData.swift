import Foundation
import GRDB

/// A believable contact centre for `casedesk init --demo`, the desk's first run and the tests:
/// two teams, agents, leads, a trainer, experts, a few hundred customers from many
/// languages and eight weeks of cases with full timelines, handle time, CSAT, rule flags
/// and consults, ending at `now` with a live backlog.
///
/// Deterministic: the same seed and `now` give the same database, row for row. Every case
/// draws from its own random stream (`SplitMix64(seed:stream:)`), so tuning one part of the
/// generator does not reshuffle the rest.
///
/// How it works: each case gets a plan (when, where, why, who, how it ends) and then a full
/// life story of events; the story is cut at `now`, and the case row (status, assignee,
/// first response, resolution, CSAT, version) is derived by replaying the events that
/// happened before `now`. Recent cases are therefore naturally still open, and the row and
/// its timeline can never disagree.
public enum DemoData {
    public struct Summary: Equatable, Sendable, CustomStringConvertible {
        public var teams = 0
        public var users = 0
        public var agents = 0
        public var customers = 0
        public var cases = 0
        public var openCases = 0
        /// Open cases nobody has yet: what `take-next` hands out.
        public var unassignedOpen = 0
        public var resolvedCases = 0
        public var events = 0
        public var workIntervals = 0
        public var ruleFlags = 0
        public var consults = 0
        public var from = Date(timeIntervalSince1970: 0)
        public var to = Date(timeIntervalSince1970: 0)

        public var description: String {
            let days = Int((to.timeIntervalSince(from) / 86400).rounded())
            return "\(teams) teams, \(users) people (\(agents) agents), \(thousands(customers)) customers, "
                + "\(thousands(cases)) cases over \(days) days (\(thousands(openCases)) open, \(thousands(unassignedOpen)) waiting in the queue), "
                + "\(thousands(events)) events, \(thousands(workIntervals)) work intervals, \(ruleFlags) rule flags, \(consults) consults"
        }
    }

    /// Installs `pack`, then writes the whole demo in one transaction (a half-built demo is
    /// never visible). The database must not hold users or cases yet.
    @discardableResult
    public static func populate(_ store: CaseStore, pack: ContentPack, seed: UInt64 = 42, now: Date) throws -> Summary {
        let codes = Set(pack.callTypes.map(\.code))
        let leaves = pack.callTypes.filter { ct in !codes.contains { $0.hasPrefix(ct.code + ".") } }.sorted { $0.code < $1.code }
        guard !leaves.isEmpty else { throw CaseError.invalid("the demo needs a content pack with call types") }
        guard !pack.resolutionCodes.isEmpty else { throw CaseError.invalid("the demo needs a content pack with resolution codes") }
        let files = try DemoFiles.shared()
        try store.install(pack)
        return try store.write { db in
            let used = try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM cases)") ?? 0
            guard used == 0 else {
                throw CaseError.invalid("the database already holds people or cases; demo data goes into a new database")
            }
            var generator = Generator(pack: pack, files: files, leaves: leaves, seed: seed, now: now)
            let summary = try generator.run(db)
            try DemoReviews.add(db, seed: seed, now: now)
            return summary
        }
    }
}

/// Thousands separators without a locale (output must not depend on the machine).
func thousands(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

// MARK: - the generator

private struct Generator {
    let pack: ContentPack
    let files: DemoFiles
    var topics: DemoTopics { files.topics }
    let leaves: [CallType]
    let seed: UInt64
    let now: Date
    let calendar: BusinessCalendar
    let localCalendar: Calendar
    let dueFormatter: DateFormatter
    let resolutionCodes: Set<String>

    var teamIds: [Int64] = []
    var people: [Person] = []
    var agents: [Int] = []          // indexes into people
    var clients: [Client] = []
    var plans: [Plan] = []
    var summary = DemoData.Summary()

    init(pack: ContentPack, files: DemoFiles, leaves: [CallType], seed: UInt64, now: Date) {
        self.pack = pack; self.files = files; self.leaves = leaves; self.seed = seed; self.now = now
        calendar = BusinessCalendar(pack.businessHours)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: pack.businessHours.timeZone) ?? TimeZone(identifier: "UTC")!
        localCalendar = cal
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = cal.timeZone
        f.dateFormat = "EEE d MMM, HH:mm"
        dueFormatter = f
        resolutionCodes = Set(pack.resolutionCodes.map(\.code))
    }

    mutating func run(_ db: Database) throws -> DemoData.Summary {
        try insertPeople(db)
        try insertCustomers(db)
        let firstCaseId = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM cases") ?? 0) + 1
        planCases(firstCaseId: firstCaseId)
        var sims = plans.map { simulate($0, owner: $0.owner) }
        rebalanceAlice(&sims)
        try insertCases(db, sims)
        try SearchIndex.rebuild(in: db)
        summary.from = now.addingTimeInterval(-56 * 86400)
        summary.to = now
        return summary
    }

    // MARK: people

    mutating func insertPeople(_ db: Database) throws {
        var rng = SplitMix64(seed: seed, stream: 1)
        for team in files.staff.teams {
            try db.execute(sql: "INSERT INTO teams(name, policy) VALUES (?, ?)", arguments: [team.name, team.policy])
            teamIds.append(db.lastInsertedRowID)
        }
        let categories = Set(leaves.map(\.category))
        let insert = try db.makeStatement(sql: "INSERT INTO users(login, name, role, team_id, department, skills) VALUES (?,?,?,?,?,?)")
        for spec in files.staff.staff {
            let skills = (spec.skills ?? []).filter { categories.contains($0) }
            let team = spec.team.map { teamIds[$0] }
            try insert.execute(arguments: [spec.login, spec.name, spec.role.rawValue, team, spec.department ?? "customer care",
                                           skills.joined(separator: ",")])
            let person = Person(id: db.lastInsertedRowID, login: spec.login, name: spec.name, role: spec.role,
                                team: spec.team, skills: skills, weight: spec.role == .agent ? rng.uniform(0.8, 1.2) : 0)
            if spec.role == .agent { agents.append(people.count) }
            people.append(person)
        }
        summary.teams = teamIds.count
        summary.users = people.count
        summary.agents = agents.count
    }

    func person(_ login: String) -> Person { people.first { $0.login == login }! }

    // MARK: customers

    mutating func insertCustomers(_ db: Database) throws {
        var rng = SplitMix64(seed: seed, stream: 2)
        let insert = try db.makeStatement(sql: "INSERT INTO customers(name, email, phone, account, language, address) VALUES (?,?,?,?,?,?)")
        var names = Set<String>(), emails = Set<String>(), accounts = Set<String>()
        var drafts: [(name: String, first: String, last: String, latinFirst: String, latinLast: String, culture: Culture)] = []
        for s in files.names.showcase {
            let culture = files.names.cultures.first { $0.lang == s.lang }!
            drafts.append((s.name, s.first, s.last, s.latinFirst, s.latinLast, culture))
            names.insert(s.name)
        }
        let weights = files.names.cultures.map(\.weight)
        while drafts.count < 360 {
            let culture = files.names.cultures[rng.weighted(weights)]
            let g = rng.pick(culture.given)
            let f = rng.pick(culture.family)
            let family = g.female ? f.female : f.male
            let name = culture.familyFirst ? family + culture.separator + g.native : g.native + culture.separator + family
            guard names.insert(name).inserted else { continue }
            drafts.append((name, g.native, family, g.latin, g.female ? f.latinFemale : f.latin, culture))
        }
        for (i, d) in drafts.enumerated() {
            let culture = d.culture
            let first = d.latinFirst.lowercased(), last = d.latinLast.lowercased().replacingOccurrences(of: " ", with: "")
            var local: String
            switch rng.below(4) {
            case 0: local = "\(first.prefix(1))\(last)"
            case 1: local = "\(first)\(rng.int(1...99))"
            default: local = "\(first).\(last)"
            }
            while !emails.insert("\(local)@\(culture.domain)").inserted { local += String(rng.below(10)) }
            let email = "\(local)@\(culture.domain)"
            let phone = String(culture.phone.map { $0 == "#" ? Character(String(rng.below(10))) : $0 })
            var account: String
            repeat { account = "AC-\(rng.int(1_000_000...9_999_999))" } while !accounts.insert(account).inserted
            try insert.execute(arguments: [d.name, email, phone, account, culture.lang, rng.pick(culture.cities)])
            clients.append(Client(id: db.lastInsertedRowID, name: d.name, first: d.first, last: d.last,
                                  email: email, phone: phone, account: account, regular: i < 90))
        }
        summary.customers = clients.count
    }

    // MARK: plans

    /// Arrivals per hour of day, a typical contact-centre curve: a mid-morning peak, a lunch
    /// dip, a second peak after lunch. Written channels arrive round the clock, flatter.
    static let voiceCurve: [Double] = [0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.4, 1.2, 3.2, 5.6, 6.4, 5.9,
                                       4.3, 4.9, 5.7, 5.2, 4.4, 3.6, 2.6, 2.0, 1.5, 1.0, 0.6, 0.3]
    static let writtenCurve: [Double] = [0.6, 0.4, 0.3, 0.25, 0.25, 0.35, 0.8, 1.6, 2.6, 3.2, 3.4, 3.2,
                                         3.0, 3.0, 3.1, 3.0, 2.9, 2.8, 2.7, 2.9, 3.1, 2.8, 1.9, 1.1]
    /// Monday busiest, weekends quiet.
    static let weekdayFactor: [Int: Double] = [1: 1.25, 2: 1.1, 3: 1.0, 4: 1.0, 5: 0.9, 6: 0.5, 7: 0.3]
    static let channels: [(Channel, Double)] = [(.phone, 0.30), (.email, 0.20), (.chat, 0.17), (.web, 0.10),
                                                (.mobile, 0.08), (.social, 0.06), (.ivr, 0.05), (.retail, 0.04)]
    static let selfServiceShare: [Channel: Double] = [.phone: 0.35, .ivr: 0.45, .chat: 0.40, .email: 0.20,
                                                      .web: 0.55, .mobile: 0.45, .retail: 0.10, .social: 0.15]

    static func isVoice(_ c: Channel) -> Bool { c == .phone || c == .ivr || c == .retail }
    /// Channels where the agent is with the customer live (answered at once).
    static func isLive(_ c: Channel) -> Bool { isVoice(c) || c == .chat }

    /// Voice and retail contacts only arrive while the centre is open.
    func voiceCurve(weekday: Int) -> [Double] {
        let hours = pack.businessHours
        let alwaysOpen = hours.days.isEmpty || hours == .always
        guard !alwaysOpen else { return Self.voiceCurve }
        guard let span = hours.days[weekday], span.closeMinute > span.openMinute else { return Array(repeating: 0, count: 24) }
        return Self.voiceCurve.enumerated().map { h, w in (h * 60 + 60 > span.openMinute && h * 60 < span.closeMinute) ? w : 0 }
    }

    mutating func planCases(firstCaseId: Int64) {
        var rng = SplitMix64(seed: seed, stream: 3)
        // Arrival times, day by day over the eight weeks before `now`.
        var arrivals: [(Date, Channel)] = []
        let today = localCalendar.startOfDay(for: now)
        let channelWeights = Self.channels.map(\.1)
        for back in stride(from: 55, through: 0, by: -1) {
            let day = localCalendar.date(byAdding: .day, value: -back, to: today)!
            let weekday = (localCalendar.component(.weekday, from: day) + 5) % 7 + 1
            let voice = voiceCurve(weekday: weekday)
            let count = Int((50 * Self.weekdayFactor[weekday]! * rng.uniform(0.85, 1.15)).rounded())
            for _ in 0..<count {
                var channel = Self.channels[rng.weighted(channelWeights)].0
                if Self.isLive(channel), voice.allSatisfy({ $0 == 0 }) { channel = rng.pick([.email, .web, .mobile, .social]) }
                let hour = rng.weighted(Self.isLive(channel) ? voice : Self.writtenCurve)
                let at = day.addingTimeInterval(Double(hour * 3600 + rng.below(3600)))
                if at < now { arrivals.append((at, channel)) }
            }
        }
        arrivals.sort { $0.0 < $1.0 }

        // Call-type popularity: a few reasons dominate (what to fix upstream).
        var leafWeights = leaves.map { _ in 0.0 }
        var order = Array(leaves.indices)
        rng.shuffle(&order)
        for (rank, i) in order.enumerated() { leafWeights[i] = 1 / pow(Double(rank) + 1.5, 0.8) }

        var recent: [(customer: Int, leaf: Int)] = []
        for (index, (created, bornOn)) in arrivals.enumerated() {
            var r = SplitMix64(seed: seed, stream: 10_000 + UInt64(index))
            var channel = bornOn
            var customer: Int, leafIndex: Int
            if r.chance(0.07), !recent.isEmpty {
                // A repeat contact: same customer, same reason, days later (first-contact resolution failed).
                (customer, leafIndex) = r.pick(recent)
            } else {
                customer = r.chance(0.35) ? r.below(90) : r.below(clients.count)
                leafIndex = r.weighted(leafWeights)
            }
            recent.append((customer, leafIndex))
            if recent.count > 60 { recent.removeFirst() }
            let leaf = leaves[leafIndex]
            let (subject, line) = topics.draw(leaf, at: created, calendar: localCalendar, rng: &r)

            // How the story ends. Older cases are almost all done; a backlog remains.
            let age = now.timeIntervalSince(created) / 86400
            var fate: Fate
            if r.chance(0.95 * exp(-age / 6) + 0.012) {
                let w: [Double] = age < 2 ? [0.6, 0.25, 0.15] : age < 7 ? [0.35, 0.35, 0.3] : [0.05, 0.35, 0.6]
                fate = [Fate.stuckNew, .stuckOpen, .stuckPending][r.weighted(w)]
            } else {
                let w: [Double] = Self.isLive(channel) ? [0.72, 0.12, 0.14, 0.02] : [0.40, 0.30, 0.25, 0.05]
                fate = [Fate.onContact, .pending, .followUp, .noResponse][r.weighted(w)]
            }
            if fate == .stuckNew, Self.isLive(channel), channel != .ivr {
                channel = r.pick([.email, .web, .ivr, .mobile])   // a live contact is never left untouched
            }
            let typedAtBirth = !(channel == .email || channel == .social) || r.chance(0.5)
            let bumped = typedAtBirth && leaf.defaultPriority != .p1 && r.chance(0.04)
            let priority = typedAtBirth ? leaf.defaultPriority : .p3
            let due = calendar.add(minutes: typedAtBirth ? leaf.resolutionMinutes : 24 * 60, to: created)
            let team = Self.isTier2(leaf) ? 1 : 0

            // Who works it: someone in the case's team with the skill, weighted by capacity.
            var eligible = agents.filter { people[$0].team == team && handles(people[$0], leaf.code) }
            if eligible.isEmpty { eligible = agents.filter { handles(people[$0], leaf.code) } }
            if eligible.isEmpty { eligible = agents }
            let owner = eligible[r.weighted(eligible.map { people[$0].weight })]

            var code = files.outcomes.code(for: leaf.code, available: resolutionCodes, rng: &r)
            if fate == .noResponse { code = resolutionCodes.contains("no_response") ? "no_response" : code }
            if r.chance(0.02), resolutionCodes.contains("duplicate") { code = "duplicate" }
            let csat = (code == "duplicate" || code == "no_response" || !r.chance(0.55)) ? nil : files.outcomes.csat(code: code, rng: &r)
            let flagged = (leaf.code.hasSuffix("policy") && r.chance(0.2)) || (code == "wont_fix" && r.chance(0.12)) || r.chance(0.002)
            let consult = (fate == .followUp || fate == .stuckOpen) && r.chance(0.06)

            plans.append(Plan(index: index, id: firstCaseId + Int64(index), created: created, channel: channel, leaf: leaf,
                              customer: customer, subject: subject, line: line, priority: bumped ? Priority(rawValue: leaf.defaultPriority.rawValue - 1)! : priority,
                              bumped: bumped, team: team, owner: owner,
                              selfService: r.chance(Self.selfServiceShare[channel]!), due: due, fate: fate, typedAtBirth: typedAtBirth,
                              code: code, csat: csat, flagged: flagged, consult: consult))
        }
    }

    func handles(_ p: Person, _ code: String) -> Bool {
        p.skills.isEmpty || p.skills.contains { code == $0 || code.hasPrefix($0 + ".") }
    }

    /// Tier 2 takes the technical, the security-sensitive and the complaints.
    static func isTier2(_ ct: CallType) -> Bool {
        ["device", "technical", "tech", "network", "complaint", "complaints"].contains(ct.category)
            || ct.code.contains("fraud") || ct.code.contains("security")
    }

    // MARK: alice's queue

    /// The desk's first screen is alice's: about ten open cases, a couple of them at SLA risk.
    mutating func rebalanceAlice(_ sims: inout [Sim]) {
        let alice = people.firstIndex { $0.login == "alice" }!
        let t = now.timeIntervalSince1970
        func isOpenAssigned(_ i: Int) -> Bool { sims[i].status == .open || sims[i].status == .pending }
        let pool = plans.indices.filter { isOpenAssigned($0) && plans[$0].team == people[alice].team! && plans[$0].fate != .stuckNew }
        let dues = plans.map { $0.due.timeIntervalSince1970 }
        func due(_ i: Int) -> Double { dues[i] }
        var chosen: [Int] = []
        // Two at risk: just overdue, or due within the hour; the nearest to now first.
        let risky = pool.filter { due($0) > t - 4 * 3600 && due($0) < t + 3600 }.sorted { abs(due($0) - t) < abs(due($1) - t) }
        chosen += risky.prefix(2)
        if chosen.count < 2 {
            let overdue = pool.filter { due($0) < t && !chosen.contains($0) }.sorted { due($0) > due($1) }
            chosen += overdue.prefix(2 - chosen.count)
        }
        // Eight comfortable ones: hers already first, then the most recent others.
        let comfortable = pool.filter { due($0) > t + 2 * 3600 && !chosen.contains($0) }
        let mine = comfortable.filter { plans[$0].owner == alice }
        let others = comfortable.filter { plans[$0].owner != alice }.reversed()
        chosen += (mine + others).prefix(10 - chosen.count)
        let keep = Set(chosen)
        let tier1 = agents.filter { $0 != alice && people[$0].team == people[alice].team && people[$0].skills.isEmpty }
        var next = 0
        for i in plans.indices where isOpenAssigned(i) {
            let isAlices = plans[i].owner == alice
            if keep.contains(i), !isAlices {
                plans[i].owner = alice
            } else if !keep.contains(i), isAlices, !tier1.isEmpty {
                plans[i].owner = tier1[next % tier1.count]; next += 1
            } else { continue }
            sims[i] = simulate(plans[i], owner: plans[i].owner)
        }
    }

    // MARK: one case's life

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
                tl.add(u + 5 + 60 * rng.logNormal(median: 45, sigma: 1.2), actor: nil, .csat, field: "csat", new: String(score))
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
            switch e.kind {
            case .assign: assignee = e.target; if status == .new { status = .open }
            case .status: status = CaseStatus(rawValue: e.new!)!; DemoClock.move(&s, to: status, at: e.at, pauses: p.leaf.pauseWhenPending, calendar)
            case .callType: callType = e.new
            case .priority: priority = Priority(label: e.new!)!
            case .resolve:
                status = .resolved; s.resolvedAt = e.at; s.code = e.body
                DemoClock.move(&s, to: .resolved, at: e.at, pauses: p.leaf.pauseWhenPending, calendar)
            case .csat: s.csat = Int(e.new!); s.csatAt = e.at
            case .response: if s.firstResponse == nil { s.firstResponse = e.at }; if status == .new { status = .open }
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

    // MARK: writing

    mutating func insertCases(_ db: Database, _ sims: [Sim]) throws {
        let insertCase = try db.makeStatement(sql: """
            INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, team_id, created_at,
                              first_response_at, due_at, resolved_at, resolution_code, csat, self_service, version, updated_at, updated_by,
                              csat_at, sla_paused_at, sla_paused_seconds)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        for (p, s) in zip(plans, sims) {
            try insertCase.execute(arguments: [
                p.id, clients[p.customer].id, p.channel.rawValue, s.callType, p.subject, s.status.rawValue, s.priority.rawValue,
                s.assignee, teamIds[p.team], p.created.timeIntervalSince1970, s.firstResponse, s.due,
                s.resolvedAt, s.code, s.csat, p.selfService, s.version, s.updatedAt, s.updatedBy,
                s.csatAt, s.pausedAt, s.pausedSeconds,
            ])
            summary.cases += 1
            if s.status.isOpen { summary.openCases += 1; if s.assignee == nil { summary.unassignedOpen += 1 } }
            if s.status == .resolved { summary.resolvedCases += 1 }
        }

        // Events in time order across all cases, as a real log would hold them.
        var all: [(caseId: Int64, seq: Int, e: Ev)] = []
        all.reserveCapacity(sims.reduce(0) { $0 + $1.events.count })
        for (p, s) in zip(plans, sims) {
            for (k, e) in s.events.enumerated() { all.append((p.id, k, e)) }
        }
        all.sort { ($0.e.at, $0.caseId, $0.seq) < ($1.e.at, $1.caseId, $1.seq) }
        let insertEvent = try db.makeStatement(sql: """
            INSERT INTO events(case_id, at, actor_id, kind, channel, field, old_value, new_value, body) VALUES (?,?,?,?,?,?,?,?,?)
            """)
        for x in all {
            try insertEvent.execute(arguments: [x.caseId, x.e.at, x.e.actor, x.e.kind.rawValue, x.e.channel, x.e.field, x.e.old, x.e.new, x.e.body])
        }
        summary.events = all.count

        let insertInterval = try db.makeStatement(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)")
        let insertFlag = try db.makeStatement(sql: "INSERT INTO rule_flags(case_id, user_id, at, rule, status, answer) VALUES (?,?,?,?,?,?)")
        let insertConsult = try db.makeStatement(sql: """
            INSERT INTO consults(case_id, from_id, expert_id, question, answer, asked_at, answered_at) VALUES (?,?,?,?,?,?,?)
            """)
        let cut = now.timeIntervalSince1970
        // One agent works one case at a time: cases are simulated apart, so overlaps are cut.
        let work = DemoClock.oneAtATime(zip(plans, sims).flatMap { p, s in
            s.intervals.map { DemoClock.Interval(caseId: p.id, agent: people[p.owner].id, start: $0.start, end: $0.end) }
        })
        for iv in work {
            try insertInterval.execute(arguments: [iv.caseId, iv.agent, iv.start, iv.end])
            summary.workIntervals += 1
        }
        for (p, s) in zip(plans, sims) {
            let worker = people[p.owner].id
            if let at = s.flagAt, let flag = s.events.first(where: { $0.kind == .flag }) {
                // Leads answer flags a day or three later; the newest still wait for them.
                let lead = person(p.team == 0 ? "dana" : "raj")
                let answeredAt = at + 86400 * (1 + Double(p.index % 3))
                let answered = answeredAt <= cut
                try insertFlag.execute(arguments: [p.id, answered ? lead.id : worker, at, flag.body!,
                                                   answered ? "answered" : "open",
                                                   answered ? topics.flagAnswer(p.index) : nil])
                summary.ruleFlags += 1
            }
            if let c = s.consult {
                try insertConsult.execute(arguments: [p.id, c.from, c.expert, c.question, c.answer, c.askedAt, c.answeredAt])
                summary.consults += 1
            }
        }
    }
}

// MARK: - plain values

private struct Person {
    var id: Int64
    var login: String
    var name: String
    var role: Role
    var team: Int?
    var skills: [String]
    var weight: Double
}

private struct Client {
    var id: Int64
    var name, first, last, email, phone, account: String
    /// A regular contacts us more often (repeat-contact and history views need them).
    var regular: Bool
}

private enum Fate { case onContact, pending, followUp, noResponse, stuckNew, stuckOpen, stuckPending }

private struct Plan {
    var index: Int
    var id: Int64
    var created: Date
    var channel: Channel
    var leaf: CallType
    var customer: Int
    var subject: String
    var line: String
    var priority: Priority
    var bumped: Bool
    var team: Int
    var owner: Int
    var selfService: Bool
    var due: Date
    var fate: Fate
    var typedAtBirth: Bool
    var code: String
    var csat: Int?
    var flagged: Bool
    var consult: Bool
}

private struct Ev {
    var at: Double
    var actor: Int64?
    var kind: CaseEvent.Kind
    var channel: String?
    var field: String?
    var old: String?
    var new: String?
    var body: String?
    /// For assignments: who the case now belongs to.
    var target: Int64?
}

/// A case's events in order; times only move forward, a whole second apart at least.
private struct Timeline {
    var events: [Ev] = []
    /// The status so far, for the `old` side of status changes.
    var status = CaseStatus.new
    mutating func add(_ at: Double, actor: Int64?, _ kind: CaseEvent.Kind, channel: String? = nil, field: String? = nil,
                      old: String? = nil, new: String? = nil, body: String? = nil, target: Int64? = nil) {
        let t = max(at.rounded(), (events.last?.at ?? -Double.infinity) + 1)
        events.append(Ev(at: t, actor: actor, kind: kind, channel: channel, field: field, old: old, new: new, body: body, target: target))
        switch kind {
        case .assign, .response: if status == .new { status = .open }
        case .status: status = new.flatMap(CaseStatus.init(rawValue:)) ?? status
        case .resolve: status = .resolved
        default: break
        }
    }
}

private struct Sim {
    var events: [Ev] = []
    var status = CaseStatus.new
    var assignee: Int64?
    var callType: String?
    var priority = Priority.p3
    var firstResponse: Double?
    var resolvedAt: Double?
    var resolveAt: Double?
    var code: String?
    var csat: Int?
    var csatAt: Double?
    /// The due time, moved later by pauses while pending (SLAClock's rule).
    var due = 0.0
    var pausedAt: Double?
    var pausedSeconds = 0.0
    var version = 1
    var updatedAt = 0.0
    var updatedBy: Int64?
    var intervals: [(start: Double, end: Double?)] = []
    var flagAt: Double?
    var consult: (askedAt: Double, from: Int64, expert: Int64, question: String, answer: String?, answeredAt: Double?)?
}

extension Sim: DemoClockCase {}
