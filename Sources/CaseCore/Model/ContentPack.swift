import Foundation

/// A contact reason. Codes are dotted paths: `billing` is the parent of `billing.dispute`.
public struct CallType: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var defaultPriority: Priority
    /// SLA targets, in business-hours minutes.
    public var firstResponseMinutes: Int
    public var resolutionMinutes: Int
    /// The resolution clock stops while a case of this type is pending on the customer.
    public var pauseWhenPending: Bool

    public init(code: String, name: String, defaultPriority: Priority, firstResponseMinutes: Int, resolutionMinutes: Int,
                pauseWhenPending: Bool = false) {
        self.code = code; self.name = name; self.defaultPriority = defaultPriority
        self.firstResponseMinutes = firstResponseMinutes; self.resolutionMinutes = resolutionMinutes
        self.pauseWhenPending = pauseWhenPending
    }

    public var parentCode: String? {
        guard let dot = code.lastIndex(of: ".") else { return nil }
        return String(code[..<dot])
    }
    public var category: String { String(code.split(separator: ".").first ?? Substring(code)) }
}

public struct ResolutionCode: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public init(code: String, name: String) { self.code = code; self.name = name }
}

public enum StepKind: String, Codable, CaseIterable, Sendable {
    case greet, verify, diagnose, resolve, close
}

/// A standardized response: text with `{{placeholders}}` filled from the case.
public struct ResponseTemplate: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var text: String
    public init(id: String, title: String, text: String) { self.id = id; self.title = title; self.text = text }
}

/// One answer of a question step and the step it leads to.
public struct StepChoice: Codable, Equatable, Sendable {
    public var answer: String
    public var next: String
    public init(answer: String, next: String) { self.answer = answer; self.next = next }
}

public struct ScriptStep: Codable, Equatable, Sendable {
    public var id: String
    public var kind: StepKind
    public var title: String
    /// A question step picks the next step by its answer.
    public var question: String?
    public var choices: [StepChoice]
    /// Where a plain step goes; nil means the step listed after it.
    public var next: String?
    public var responses: [ResponseTemplate]

    public init(id: String, kind: StepKind, title: String, question: String? = nil, choices: [StepChoice] = [],
                next: String? = nil, responses: [ResponseTemplate] = []) {
        self.id = id; self.kind = kind; self.title = title; self.question = question
        self.choices = choices; self.next = next; self.responses = responses
    }
}

/// The ordered steps an agent follows for one call type.
public struct Script: Codable, Equatable, Sendable {
    public var callType: String
    public var title: String
    public var steps: [ScriptStep]
    public init(callType: String, title: String, steps: [ScriptStep]) {
        self.callType = callType; self.title = title; self.steps = steps
    }
}

public struct ScorecardCriterion: Codable, Equatable, Sendable {
    public var id: String
    public var text: String
    public var weight: Int
    public init(id: String, text: String, weight: Int) { self.id = id; self.text = text; self.weight = weight }
}

/// The QA scorecard a lead fills in for a case.
public struct Scorecard: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var criteria: [ScorecardCriterion]
    public init(id: String, name: String, criteria: [ScorecardCriterion]) { self.id = id; self.name = name; self.criteria = criteria }
}

/// Opening hours per weekday (1 = Monday … 7 = Sunday) in one time zone.
public struct BusinessHours: Codable, Equatable, Sendable {
    public struct Span: Codable, Equatable, Sendable {
        public var openMinute: Int   // minutes after midnight
        public var closeMinute: Int
        public init(openMinute: Int, closeMinute: Int) { self.openMinute = openMinute; self.closeMinute = closeMinute }
    }
    public var timeZone: String
    public var days: [Int: Span]
    /// Dated exceptions to the weekly hours: holidays (closed) and special opening hours.
    public var dated: [DatedHours]
    public init(timeZone: String, days: [Int: Span], dated: [DatedHours] = []) {
        self.timeZone = timeZone; self.days = days; self.dated = dated
    }

    enum CodingKeys: String, CodingKey { case timeZone, days, dated }
    /// Hours stored before dated exceptions existed read back with none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timeZone = try c.decode(String.self, forKey: .timeZone)
        days = try c.decode([Int: Span].self, forKey: .days)
        dated = try c.decodeIfPresent([DatedHours].self, forKey: .dated) ?? []
    }

    /// Round the clock, every day: the fallback when a pack names no hours.
    public static let always = BusinessHours(timeZone: "UTC", days: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, Span(openMinute: 0, closeMinute: 1440)) }))
}

/// Everything a contact centre keeps in its pack: loaded by `init` and `scripts import`.
public struct ContentPack: Equatable, Sendable {
    public var callTypes: [CallType]
    public var resolutionCodes: [ResolutionCode]
    public var scripts: [Script]
    public var scorecards: [Scorecard]
    public var businessHours: BusinessHours
    /// `retention: resolved_after:` in calltypes.yaml: how long resolved cases are kept (nil: for ever).
    public var retentionResolvedAfter: String? = nil
    /// The pack's service settings: at-risk threshold, repeat window, shrinkage, QA sample …
    public var settings: ServiceSettings
    public init(callTypes: [CallType] = [], resolutionCodes: [ResolutionCode] = [], scripts: [Script] = [],
                scorecards: [Scorecard] = [], businessHours: BusinessHours = .always, settings: ServiceSettings = .init(),
                retentionResolvedAfter: String? = nil) {
        self.retentionResolvedAfter = retentionResolvedAfter
        self.callTypes = callTypes; self.resolutionCodes = resolutionCodes; self.scripts = scripts
        self.scorecards = scorecards; self.businessHours = businessHours; self.settings = settings
    }
}
