import Foundation

/// What the desk scores by itself, from the trainee's case.
public struct AutoScores: Codable, Equatable, Sendable {
    /// Steps done / steps on the path to a close step (answers chosen so far decide the path).
    public var scriptAdherence: Double
    public var callTypeChosen: String?
    public var callTypeCorrect: Bool
    public var resolutionChosen: String?
    public var resolutionCorrect: Bool
    public var handleSeconds: Double
    /// Nil when the scenario sets no target handle time.
    public var withinTargetTime: Bool?

    public init(_ p: TraineeProgress, scenario: Scenario) {
        let r = p.detail.record
        callTypeChosen = r.callType
        callTypeCorrect = r.callType == scenario.expectedCallType || (r.callType?.hasPrefix(scenario.expectedCallType + ".") ?? false)
        resolutionChosen = r.resolutionCode
        resolutionCorrect = r.resolutionCode == scenario.expectedResolution
        handleSeconds = p.handleSeconds
        // No recorded work (a trainee driven from the command line) is "not measured", not a miss.
        withinTargetTime = p.handleSeconds > 0 ? scenario.targetHandleSeconds.map { p.handleSeconds <= $0 } : nil
        scriptAdherence = Self.adherence(p.script, p.position)
    }

    static func adherence(_ script: Script?, _ position: ScriptPosition?) -> Double {
        guard let script, let position else { return 0 }
        let done = position.path.filter { if case .done = position.marks[$0] { true } else { false } }.count
        guard let current = position.current else { return done > 0 ? 1 : 0 }
        let remaining = shortestToClose(from: current, in: script)
        return Double(done) / Double(max(1, done + remaining))
    }

    /// Steps from `step` (counted) to the nearest close step, whatever the answers.
    static func shortestToClose(from step: ScriptStep, in script: Script) -> Int {
        var frontier = [(step, 1)], seen: Set<String> = [step.id]
        while !frontier.isEmpty {
            let (s, n) = frontier.removeFirst()
            let targets = s.question != nil && !s.choices.isEmpty ? s.choices.map(\.next)
                : [ScriptRunner.next(after: s, answer: nil, in: script)].compactMap { $0 }
            if targets.isEmpty { return n }
            for t in targets where seen.insert(t).inserted {
                if let ts = script.steps.first(where: { $0.id == t }) { frontier.append((ts, n + 1)) }
            }
        }
        return 1
    }

    /// 0…1: adherence 40%, call type 20%, resolution 20%, handle time 20% (when a target is set).
    public var percent: Double {
        var parts: [(Double, Double)] = [(scriptAdherence, 40), (callTypeCorrect ? 1 : 0, 20), (resolutionCorrect ? 1 : 0, 20)]
        if let within = withinTargetTime { parts.append((within ? 1 : 0, 20)) }
        return parts.reduce(0) { $0 + $1.0 * $1.1 } / parts.reduce(0) { $0 + $1.1 }
    }
}

/// Each trainee's scores, timeline, strengths and gaps, and the group's results per topic.
public struct Debrief: Codable, Equatable, Sendable {
    public struct CriterionResult: Codable, Equatable, Sendable {
        public var id: String
        public var text: String
        public var weight: Int
        public var max: Int
        public var scores: [String: Int]
        public var mean: Double?
    }
    public struct Trainee: Codable, Equatable, Sendable {
        public var login: String
        public var name: String
        public var department: String
        public var caseId: Int64
        public var status: String
        public var rubric: [CriterionResult]
        /// Weighted rubric score 0…100 over the whole rubric (WeightedScore: an unscored
        /// criterion counts nothing); nil before anyone scored.
        public var rubricPercent: Double?
        /// 0…1: how much of the rubric's weight has been scored.
        public var rubricScoredShare: Double = 0
        public var auto: AutoScores
        public var autoPercent: Double
        public var overallPercent: Double
        public var strengths: [String]
        public var gaps: [String]
        public var timeline: [String]
    }
    public struct TopicResult: Codable, Equatable, Sendable {
        public var topic: String
        public var title: String
        public var sessions: Int
        public var attempts: Int
        public var meanPercent: Double
    }
    public var session: Int64
    public var module: String
    public var scenario: String
    public var topic: String
    public var mix: String
    public var trainees: [Trainee]
    /// Every session of this module so far, per topic.
    public var topics: [TopicResult]
}

extension CaseStore {
    public func debrief(session id: Int64) throws -> Debrief {
        let session = try self.session(id)
        let trainees = try traineeResults(session)
        var perTopic: [TrainingTopic: (sessions: Int, attempts: Int, sum: Double)] = [:]
        for s in try sessions(module: session.module) {
            let results = s.id == id ? trainees : try traineeResults(s)
            var t = perTopic[s.scenario.topic] ?? (0, 0, 0)
            t.sessions += 1; t.attempts += results.count; t.sum += results.reduce(0) { $0 + $1.overallPercent }
            perTopic[s.scenario.topic] = t
        }
        let topics = TrainingTopic.allCases.compactMap { topic -> Debrief.TopicResult? in
            guard let t = perTopic[topic] else { return nil }
            return Debrief.TopicResult(topic: topic.rawValue, title: topic.title, sessions: t.sessions, attempts: t.attempts,
                                       meanPercent: t.attempts > 0 ? t.sum / Double(t.attempts) : 0)
        }
        return Debrief(session: id, module: session.module, scenario: session.scenario.id, topic: session.scenario.topic.rawValue,
                       mix: session.mixText, trainees: trainees, topics: topics)
    }

    func traineeResults(_ session: TrainingSession) throws -> [Debrief.Trainee] {
        let all = try scores(session: session.id)
        let scenario = session.scenario
        return try progress(session: session).map { p in
            let mine = all.filter { $0.trainee == p.participant.login }
            let rubric = scenario.rubric.map { c -> Debrief.CriterionResult in
                let s = Dictionary(mine.filter { $0.criterion == c.id }.map { ($0.scorer, $0.score) }, uniquingKeysWith: { a, _ in a })
                return Debrief.CriterionResult(id: c.id, text: c.text, weight: c.weight, max: c.max, scores: s,
                                               mean: s.isEmpty ? nil : Double(s.values.reduce(0, +)) / Double(s.count))
            }
            let scored = rubric.filter { $0.mean != nil }
            let weighted = WeightedScore(rubric.map { ($0.weight, $0.max, $0.mean) })
            let rubricPercent = weighted.percent
            let auto = AutoScores(p, scenario: scenario)
            let autoPercent = auto.percent * 100
            let overall = rubricPercent.map { ($0 + autoPercent) / 2 } ?? autoPercent

            var strengths: [String] = [], gaps: [String] = []
            for c in scored {
                let ratio = c.mean! / Double(c.max)
                if ratio >= 0.75 { strengths.append("\(c.text) (\(Self.fmt(c.mean!))/\(c.max))") }
                else if ratio < 0.5 { gaps.append("\(c.text) (\(Self.fmt(c.mean!))/\(c.max))") }
            }
            if auto.scriptAdherence >= 0.99 { strengths.append("followed every script step") }
            else { gaps.append("script steps: \(Int((auto.scriptAdherence * 100).rounded()))% of the path done") }
            if auto.callTypeCorrect { strengths.append("call type right (\(scenario.expectedCallType))") }
            else { gaps.append("call type: chose \(auto.callTypeChosen ?? "none"), expected \(scenario.expectedCallType)") }
            if auto.resolutionCorrect { strengths.append("resolution right (\(scenario.expectedResolution))") }
            else { gaps.append("resolution: \(auto.resolutionChosen ?? "not resolved"), expected \(scenario.expectedResolution)") }
            if let within = auto.withinTargetTime, let target = scenario.targetHandleSeconds {
                if within { strengths.append("within the target handle time") }
                else { gaps.append("handle time \(Self.duration(auto.handleSeconds)) against a target of \(Self.duration(target))") }
            }
            let timeline = p.detail.events.map { e in "\(Self.clock(e.at, from: session.createdAt)) \(TimelineText.line(for: e))" }
            return Debrief.Trainee(login: p.participant.login, name: p.participant.name, department: p.participant.department,
                                   caseId: p.participant.caseId, status: p.detail.record.status.rawValue, rubric: rubric,
                                   rubricPercent: rubricPercent, rubricScoredShare: weighted.scoredShare, auto: auto,
                                   autoPercent: autoPercent, overallPercent: overall,
                                   strengths: strengths, gaps: gaps, timeline: timeline)
        }
    }

    static func fmt(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d) }
    static func duration(_ s: Double) -> String { DurationText.elapsed(s) }
    /// Minutes and seconds since the session started: `+2:05`.
    static func clock(_ at: Date, from start: Date) -> String {
        let s = max(0, Int(at.timeIntervalSince(start)))
        return String(format: "+%d:%02d", s / 60, s % 60)
    }

    // MARK: calibration

    public struct Calibration: Codable, Equatable, Sendable {
        public struct Item: Codable, Equatable, Sendable {
            public var trainee: String
            public var criterion: String
            public var scores: [String: Int]
            public var spread: Int
            /// Scorers two or more points apart: worth talking through.
            public var differs: Bool
        }
        public struct Scorer: Codable, Equatable, Sendable {
            public var scorer: String
            public var scored: Int
            /// Mean of (this scorer's score − the others' mean) where others scored too.
            public var bias: Double
        }
        public var items: [Item]
        public var scorers: [Scorer]
    }

    /// Where scorers of the same attempt differ.
    public func calibrate(session id: Int64) throws -> Calibration {
        let all = try scores(session: id)
        var groups: [String: [String: Int]] = [:]
        for s in all { groups["\(s.trainee)\u{1}\(s.criterion)", default: [:]][s.scorer] = s.score }
        var items: [Calibration.Item] = []
        var deltas: [String: [Double]] = [:]
        for (key, scores) in groups.sorted(by: { $0.key < $1.key }) where scores.count >= 2 {
            let parts = key.split(separator: "\u{1}").map(String.init)
            let spread = scores.values.max()! - scores.values.min()!
            items.append(Calibration.Item(trainee: parts[0], criterion: parts[1], scores: scores, spread: spread, differs: spread >= 2))
            for (scorer, value) in scores {
                let others = scores.filter { $0.key != scorer }.map { Double($0.value) }
                deltas[scorer, default: []].append(Double(value) - others.reduce(0, +) / Double(others.count))
            }
        }
        let counts = Dictionary(grouping: all, by: \.scorer).mapValues(\.count)
        let scorers = counts.keys.sorted().map { s in
            Calibration.Scorer(scorer: s, scored: counts[s]!, bias: deltas[s].map { $0.reduce(0, +) / Double($0.count) } ?? 0)
        }
        return Calibration(items: items, scorers: scorers)
    }
}
