import Foundation
import GRDB

/// Writes the demo: people and customers, a plan per case, each case's life
/// (DemoCaseLife), the rows (DemoWriter). Plain values it works with: DemoValues.
struct DemoGenerator {
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

    /// Voice and retail contacts only arrive while the centre is open (a holiday included).
    func voiceCurve(day: Date) -> [Double] {
        let hours = pack.businessHours
        let alwaysOpen = hours.days.isEmpty || (hours.days == BusinessHours.always.days && hours.dated.isEmpty)
        guard !alwaysOpen else { return Self.voiceCurve }
        guard let span = calendar.span(onDayStarting: day), span.closeMinute > span.openMinute else { return Array(repeating: 0, count: 24) }
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
            let voice = voiceCurve(day: day)
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
}
