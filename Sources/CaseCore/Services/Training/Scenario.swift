import Foundation

/// The four topics role-plays cover (PRODUCT.md, "Training from real life").
public enum TrainingTopic: String, Codable, CaseIterable, Sendable {
    case communicationStyles = "communication_styles"
    case rapport = "building_rapport"
    case difficultConversations = "difficult_conversations"
    case opportunities = "recognizing_opportunities"

    public var title: String {
        switch self {
        case .communicationStyles: "Understanding people and styles of communication"
        case .rapport: "Building rapport"
        case .difficultConversations: "Managing difficult conversations"
        case .opportunities: "Recognizing opportunities"
        }
    }
}

/// A customer the trainer plays: who they are and how they talk.
public struct Persona: Codable, Equatable, Sendable {
    /// One of `ScenarioLoader.styles`: driver, expressive, amiable, analytical.
    public var style: String
    public var description: String
    public init(style: String, description: String) { self.style = style; self.description = description }
}

/// The case each trainee gets a copy of, written fresh (or taken from a genericized case).
public struct ScenarioCase: Codable, Equatable, Sendable {
    public var customer: String
    public var email: String?
    public var phone: String?
    public var channel: Channel
    /// The call type the case arrives with; nil leaves choosing it to the trainee.
    public var callType: String?
    public var subject: String
    public var opening: String
}

/// An alternative customer line, for when the trainee did something particular.
/// `when` is `step:ID`, `response:ID`, `answer:STEP=ANSWER`, `call_type:CODE` (the console
/// spots those itself) or `manual` (the trainer judges), with an optional label.
public struct ScenarioBranch: Codable, Equatable, Sendable {
    public var when: String
    public var label: String
    public var say: String
}

/// One scripted customer line, in order; the trainer sends it (or one of its branches).
public struct ScenarioLine: Codable, Equatable, Sendable {
    public var id: String
    public var say: String
    public var branches: [ScenarioBranch]
}

/// Something the customer says only when the trainee asks the right question.
public struct HiddenFact: Codable, Equatable, Sendable {
    public var fact: String
    public var ask: String
}

/// A rubric criterion the trainer (and other scorers) rate from 0 to `max`.
public struct RubricCriterion: Codable, Equatable, Sendable {
    public var id: String
    public var text: String
    public var weight: Int
    public var max: Int
}

public struct Scenario: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var topic: TrainingTopic
    public var persona: Persona
    public var startingCase: ScenarioCase
    public var lines: [ScenarioLine]
    public var hiddenFacts: [HiddenFact]
    public var expectedCallType: String
    public var expectedResolution: String
    /// Handle time a good attempt stays within, in seconds; nil: not scored.
    public var targetHandleSeconds: Double?
    public var rubric: [RubricCriterion]

    public func line(_ id: String) -> ScenarioLine? { lines.first { $0.id == id } }
}

/// What a trainee did on their case, as a branch condition sees it.
public struct TraineeActions: Equatable, Sendable {
    public var stepsDone: [String: String?] = [:]
    public var responsesSent: [String] = []
    public var callType: String?
    public init() {}
    public init(detail: CaseDetail) {
        for e in detail.events {
            switch e.kind {
            case .step: if let f = e.field { stepsDone[f] = e.newValue }
            case .response: responsesSent.append(e.field ?? "")
            default: break
            }
        }
        callType = detail.record.callType
    }

    /// Whether the trainee did what the branch's `when` names; `manual` never matches by itself.
    public func matches(_ when: String) -> Bool {
        let (kind, value) = ScenarioBranch.split(when)
        switch kind {
        case "step": return stepsDone[value] != nil
        case "response": return responsesSent.contains { ResponseFiller.sameResponse($0, value) }
        case "call_type": return callType == value || (callType?.hasPrefix(value + ".") ?? false)
        case "answer":
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let answer = stepsDone[parts[0]] else { return false }
            return answer?.caseInsensitiveCompare(parts[1]) == .orderedSame
        default: return false
        }
    }
}

extension ScenarioBranch {
    public static let kinds = ["step", "response", "answer", "call_type", "manual"]
    static func split(_ when: String) -> (String, String) {
        guard let colon = when.firstIndex(of: ":") else { return (when.trimmingCharacters(in: .whitespaces), "") }
        return (String(when[..<colon]).trimmingCharacters(in: .whitespaces),
                String(when[when.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}
