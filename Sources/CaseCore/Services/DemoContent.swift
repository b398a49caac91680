import Foundation

// What the demo generator does with the words and names in Resources/demo (DemoFiles):
// fills a customer's topic, picks notes, rules and outcomes. The data itself is in the files.

// MARK: - names

struct Culture: Decodable, Sendable {
    struct Given: Sendable { var native: String; var latin: String; var female: Bool }
    struct Family: Sendable { var male: String; var female: String; var latin: String; var latinFemale: String }
    var lang: String
    var weight: Double
    var familyFirst: Bool
    var separator: String
    var given: [Given]
    var family: [Family]
    var domain: String
    /// `#` is a random digit.
    var phone: String
    var cities: [String]

    private enum Keys: String, CodingKey { case lang, weight, family_first, separator, given, family, domain, phone, cities }

    /// `given` entries are "native/latin" with an optional "/f"; `family` entries are
    /// "male/latin" or "male|female/latin|latinFemale" where the family name takes a feminine form.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let lang = try c.decode(String.self, forKey: .lang)
        self.lang = lang
        weight = try c.decode(Double.self, forKey: .weight)
        familyFirst = try c.decodeIfPresent(Bool.self, forKey: .family_first) ?? false
        separator = try c.decodeIfPresent(String.self, forKey: .separator) ?? " "
        given = try c.decode([String].self, forKey: .given).map { s in
            let p = s.split(separator: "/").map(String.init)
            guard p.count >= 2 else { throw CaseError.invalid("given name '\(s)' in culture \(lang) is not native/latin") }
            return Given(native: p[0], latin: p[1], female: p.count > 2)
        }
        family = try c.decode([String].self, forKey: .family).map { s in
            let p = s.split(separator: "/").map(String.init)
            guard p.count == 2 else { throw CaseError.invalid("family name '\(s)' in culture \(lang) is not native/latin") }
            let forms = p[0].split(separator: "|").map(String.init)
            let latin = p[1].split(separator: "|").map(String.init)
            return Family(male: forms[0], female: forms.count > 1 ? forms[1] : forms[0], latin: latin[0], latinFemale: latin.last!)
        }
        domain = try c.decode(String.self, forKey: .domain)
        phone = try c.decode(String.self, forKey: .phone)
        cities = try c.decode([String].self, forKey: .cities)
    }
}

/// names.yaml
struct DemoNames: Decodable, Sendable {
    struct Showcase: Decodable, Sendable {
        var name, first, last, latinFirst, latinLast, lang: String
        private enum CodingKeys: String, CodingKey {
            case name, first, last, lang, latinFirst = "latin_first", latinLast = "latin_last"
        }
    }
    /// Names every demo has, so screens, tests and docs can point at them.
    var showcase: [Showcase]
    var cultures: [Culture]
}

// MARK: - what customers write about

/// topics.yaml
struct DemoTopics: Decodable, Sendable {
    struct Topic: Decodable, Sendable { var subject, says: String }
    struct Consult: Decodable, Sendable { var question, answer: String }
    struct Replies: Decodable, Sendable { var phone, written: [String] }
    struct Consults: Decodable, Sendable { var device, other: [Consult] }

    /// (subject, what the customer said) per call type; `{amount}`, `{month}`, `{order}`,
    /// `{device}` and `{last4}` are filled per case.
    var byCallType: [String: [Topic]]
    var devices: [String]
    var months: [String]
    var genericResponse: String
    var verifyNotes: [String]
    var followUpNotes: [String: [String]]
    var waitingNotes: [String: [String]]
    var replies: Replies
    var rules: [String: [String]]
    var flagAnswers: [String]
    var consults: Consults

    private enum CodingKeys: String, CodingKey {
        case devices, months, replies, rules, consults
        case byCallType = "by_call_type", genericResponse = "generic_response", verifyNotes = "verify_notes"
        case followUpNotes = "follow_up_notes", waitingNotes = "waiting_notes", flagAnswers = "flag_answers"
    }

    func draw(_ ct: CallType, at: Date, calendar: Calendar, rng: inout SplitMix64) -> (String, String) {
        let pair = byCallType[ct.code].map { rng.pick($0) }.map { ($0.subject, $0.says) }
            ?? (ct.name, "I'm getting in touch about this: \(ct.name.lowercased()). Can you help?")
        let month = months[(calendar.component(.month, from: at) + 10) % 12]   // last month's bill
        let pence = rng.int(499...24_900)
        let values = ["{amount}": "£\(pence / 100).\(pence % 100 < 10 ? "0" : "")\(pence % 100)",
                      "{month}": month, "{order}": "#\(rng.int(1_000_000...9_999_999))",
                      "{device}": rng.pick(devices), "{last4}": String(rng.int(1000...9999))]
        func fill(_ s: String) -> String {
            var out = s
            for key in ["{amount}", "{month}", "{order}", "{device}", "{last4}"] { out = out.replacingOccurrences(of: key, with: values[key]!) }
            return out.prefix(1).uppercased() + out.dropFirst()
        }
        return (fill(pair.0), fill(pair.1))
    }

    func verifyNote(_ draw: Double) -> String { Self.pickBy(draw, verifyNotes) }

    func followUpNote(_ category: String, draw: Double) -> String {
        Self.pickBy(draw, followUpNotes[category] ?? ["Investigating; will update the customer."])
    }

    func waitingNote(_ category: String, draw: Double) -> String {
        Self.pickBy(draw, waitingNotes[category] ?? ["Waiting for the customer's reply."])
    }

    func reply(draw: Double, phone: Bool) -> String { Self.pickBy(draw, phone ? replies.phone : replies.written) }

    func rule(for category: String, draw: Double) -> String {
        Self.pickBy(draw, rules[category] ?? ["Policy required a refusal"])
    }

    func flagAnswer(_ n: Int) -> String { Self.pickBy(Double(n % 4) / 4, flagAnswers) }

    func consult(_ category: String, draw: Double) -> (String, String) {
        let c = Self.pickBy(draw, category == "device" ? consults.device : consults.other)
        return (c.question, c.answer)
    }

    static func pickBy<T>(_ draw: Double, _ items: [T]) -> T { items[min(items.count - 1, Int(draw * Double(items.count)))] }
}

// MARK: - how cases end

/// outcomes.yaml
struct DemoOutcomes: Decodable, Sendable {
    struct Resolutions: Decodable, Sendable { var prefix: String; var codes: [String]; var weights: [Double] }
    struct CSAT: Decodable, Sendable {
        var wontFix, other: [Double]
        private enum CodingKeys: String, CodingKey { case other, wontFix = "wont_fix" }
    }
    /// Realistic resolution codes per call type, the first matching prefix wins.
    var resolutions: [Resolutions]
    var csat: CSAT
    /// Comments left with a low score, by call-type category ("other" for the rest).
    var lowCSATComments: [String: [String]]
    private enum CodingKeys: String, CodingKey { case resolutions, csat, lowCSATComments = "low_csat_comments" }

    /// Codes the pack lacks are skipped.
    func code(for callType: String, available: Set<String>, rng: inout SplitMix64) -> String {
        let row = resolutions.first { callType == $0.prefix || callType.hasPrefix($0.prefix + ".") }
        let table = row.map { Array(zip($0.codes, $0.weights)) }?.filter { available.contains($0.0) } ?? []
        if !table.isEmpty { return table[rng.weighted(table.map(\.1))].0 }
        let fallback = available.sorted().filter { $0 != "duplicate" && $0 != "no_response" }
        return rng.pick(fallback.isEmpty ? available.sorted() : fallback)
    }

    /// CSAT skews positive, except when the answer was "no".
    func csat(code: String, rng: inout SplitMix64) -> Int {
        rng.weighted(code == "wont_fix" ? csat.wontFix : csat.other) + 1
    }

    /// The comment beside a score: two low scores (1 or 2) in three have one, picked by the
    /// case's index, not a draw, so the rest of the demo stays as it was.
    func comment(score: Int, category: String, index: Int) -> String? {
        guard score <= 2, index % 3 != 2,
              let list = lowCSATComments[category] ?? lowCSATComments["other"], !list.isEmpty else { return nil }
        return list[(index / 3) % list.count]
    }
}

// MARK: - staff

/// staff.yaml
struct DemoStaff: Decodable, Sendable {
    struct Team: Decodable, Sendable { var name, policy: String }
    struct Member: Decodable, Sendable {
        var login: String
        var name: String
        var role: Role
        /// An index into `teams`.
        var team: Int?
        var skills: [String]?
        var department: String?
    }
    var teams: [Team]
    var staff: [Member]
}
