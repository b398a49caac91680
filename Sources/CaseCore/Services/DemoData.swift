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
    public static func populate(_ store: CaseStore, pack given: ContentPack, seed: UInt64 = 42, now: Date) throws -> Summary {
        // The demo's calendar tells the truth too: a day the centre closed inside its eight weeks.
        var pack = given
        let closed = companyDay(pack.businessHours, now: now)
        if !pack.businessHours.dated.contains(where: { $0.date == closed.date }) { pack.businessHours.dated.append(closed) }
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
            var generator = DemoGenerator(pack: pack, files: files, leaves: leaves, seed: seed, now: now)
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

extension DemoData {
    /// A company training day three weeks before `now` (the first day from there the centre
    /// would open), closed all day, so the demo's SLA clocks and reports cross a holiday.
    static func companyDay(_ hours: BusinessHours, now: Date) -> DatedHours {
        let calendar = BusinessCalendar(hours)
        var day = calendar.dayStart(now.addingTimeInterval(-21 * 86_400))
        for _ in 0..<7 where calendar.span(onDayStarting: day) == nil { day = calendar.dayStart(day.addingTimeInterval(30 * 3600)) }
        return DatedHours(date: calendar.dayText(day), name: "Company training day", span: nil)
    }
}

