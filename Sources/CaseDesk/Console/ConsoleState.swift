import CaseCore
import Foundation

/// One trainee as the console shows them.
public struct ConsoleRow: Equatable, Sendable {
    public var login: String
    public var department: String
    public var caseId: Int64
    public var step: String
    public var callType: String?
    public var callTypeCorrect: Bool
    public var responses: Int
    public var linesSent: Int
    public var handleSeconds: Double
    public var status: String
    public var nextLine: ScenarioLine?
    public var suggested: ScenarioBranch?
    /// The trainee's latest response, so the trainer can answer it in character.
    public var lastResponse: String?
    /// Criterion id → this scorer's score.
    public var myScores: [String: Int]

    public init(_ p: TraineeProgress, scenario: Scenario, myScores: [String: Int]) {
        login = p.participant.login; department = p.participant.department; caseId = p.participant.caseId
        step = p.stepTitle; callType = p.detail.record.callType
        callTypeCorrect = AutoScores(p, scenario: scenario).callTypeCorrect
        responses = p.responsesSent; linesSent = p.linesSent.count; handleSeconds = p.handleSeconds
        status = p.detail.record.status.rawValue
        let next = p.nextLine(in: scenario)
        nextLine = next?.line; suggested = next?.branch
        lastResponse = p.detail.events.last { $0.kind == .response }?.body
        self.myScores = myScores
    }
}

/// What the console is asking for, if anything.
public enum ConsoleMode: Equatable, Sendable {
    case normal
    case help
    /// Pick the main line or one of its branches; index 0 is the main line.
    case branch(selected: Int)
    case typing(String)
    case criterion(selected: Int)
    case scoreValue(criterion: String, text: String)
}

public struct ConsoleState: Equatable, Sendable {
    public var session: TrainingSession
    public var me: String
    public var rows: [ConsoleRow] = []
    public var selected = 0
    /// Lines go to every trainee instead of the selected one.
    public var toAll = false
    public var mode: ConsoleMode = .normal
    public var size: ScreenSize
    public var now: Date
    /// The pack's zone (`TrainerConsole` sets it), as the desk's.
    public var timeZone = TimeZone(identifier: "UTC")!
    public var notice: Notice?
    public var quitting = false

    public init(session: TrainingSession, me: String, size: ScreenSize, now: Date) {
        self.session = session; self.me = me; self.size = size; self.now = now
    }

    public var selectedRow: ConsoleRow? { rows.indices.contains(selected) ? rows[selected] : nil }
    public var targets: [String] { toAll ? rows.map(\.login) : selectedRow.map { [$0.login] } ?? [] }
    public var targetLabel: String { toAll ? "all trainees" : selectedRow?.login ?? "nobody" }
}

public enum ConsoleMsg: Sendable {
    case key(Key)
    case resize(ScreenSize)
    case tick(Date)
    case dataChanged
    case loaded([ConsoleRow])
    case succeeded(String)
    case failed(String)
}

public enum ConsoleEffect: Equatable, Sendable {
    case load
    /// Each target's own next scripted line (the branch their actions match, else the main line).
    case sayNext(logins: [String])
    case say(logins: [String], text: String, lineId: String?, branch: String?)
    case score(trainee: String, criterion: String, score: Int)
}
