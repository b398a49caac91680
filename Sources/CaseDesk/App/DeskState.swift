import CaseCore
import Foundation

public enum Pane: Int, CaseIterable, Sendable {
    case queue, caseDetail, script

    var context: PaneContext {
        switch self {
        case .queue: .queue
        case .caseDetail: .caseDetail
        case .script: .script
        }
    }
    var title: String {
        switch self {
        case .queue: "Queue"
        case .caseDetail: "Case"
        case .script: "Script"
        }
    }
}

/// The agent's desk, or the lead board.
public enum DeskMode: Equatable, Sendable { case desk, board }

/// Which open cases the queue pane lists.
public enum QueueView: Equatable, Sendable {
    case mine, waiting, all, atRisk, callType(String)

    var label: String {
        switch self {
        case .mine: "mine"
        case .waiting: "waiting"
        case .all: "all open"
        case .atRisk: "at risk"
        case .callType(let code): code
        }
    }
}

/// A page request the runtime turns into one keyset query.
public enum PageRequest: Equatable, Sendable {
    case first
    case last
    case after(QueueCursor)
    case before(QueueCursor)
    /// Reload keeping this row at the top of the window (it may have gone).
    case around(QueueCursor)
}

public struct QueueState: Equatable, Sendable {
    public var view: QueueView = .mine
    /// Cases marked with space for a lead's bulk reassignment.
    public var marked: Set<Int64> = []
    public var rows: [QueueRow] = []
    public var selected = 0
    public var top = 0
    public var moreAfter = false
    public var moreBefore = false
    public var openCount = 0
    public var riskCount = 0
    /// The view changed since it was counted; the next tick recounts.
    public var countsStale = false
    /// Pending cases whose follow-up time has come: shown first, marked "follow-up due".
    public var followUpDue: [Int64] = []

    public var selectedRow: QueueRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

public struct OpenCase: Equatable, Sendable {
    public var detail: CaseDetail
    public var script: Script?
    public var position: ScriptPosition?
    /// First timeline line shown; nil follows the newest lines.
    public var scroll: Int?
    public var response = 0

    public var id: Int64 { detail.record.id }
    public var version: Int { detail.record.version }
    public var responses: [ResponseTemplate] { position?.current?.responses ?? [] }
}

public struct Picker: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case callType, answer(stepId: String), resolutionCode, csat(code: String), expert, filter
        case assignTo(ids: [Int64]), conflict, contactChannel, team
    }
    public struct Item: Equatable, Sendable {
        public var id: String
        public var label: String
    }
    public var purpose: Purpose
    public var title: String
    public var items: [Item]
    public var query = ""
    public var selected = 0

    /// Items matching the query as a subsequence, closest matches first.
    public var matches: [Item] {
        guard !query.isEmpty else { return items }
        let q = query.lowercased()
        return items.compactMap { item -> (Item, Int)? in
            guard let score = Self.score(q, in: (item.id + " " + item.label).lowercased()) else { return nil }
            return (item, score)
        }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Lower is better: a contiguous match early in the text beats scattered letters.
    static func score(_ query: String, in text: String) -> Int? {
        if let r = text.range(of: query) { return text.distance(from: text.startIndex, to: r.lowerBound) }
        var gaps = 0, it = text.makeIterator()
        for q in query {
            var found = false
            while let c = it.next() { if c == q { found = true; break }; gaps += 1 }
            if !found { return nil }
        }
        return 1000 + gaps
    }
}

public struct TextInput: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case note, flagRule, consult(expert: String), reassignReason(ids: [Int64], to: String?), commandLine
        case contact(channel: Channel), pending
    }
    public var purpose: Purpose
    public var title: String
    public var text = ""
}

public enum Overlay: Equatable, Sendable {
    case help
    case picker(Picker)
    case input(TextInput)
    case intake(IntakeForm)
    case customer(CustomerPanel)
    case search(SearchPanel)
    case priority(PriorityForm)
}

public struct Notice: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}

/// Everything the desk shows. `update` changes it; `render` draws it; nothing else does either.
public struct DeskState: Equatable, Sendable {
    /// Constant: effects read it on the worker's threads.
    public let me: User
    public var size: ScreenSize
    public var now: Date
    public var focus: Pane = .queue
    public var queue = QueueState()
    public var open: OpenCase?
    public var callTypes: [CallType] = []
    public var resolutionCodes: [ResolutionCode] = []
    public var experts: [User] = []
    public var overlay: Overlay?
    public var notice: Notice?
    public var training = false
    public var quitting = false
    public var lastInput: Date
    public var mode: DeskMode = .desk
    public var board: Board?
    public var boardSelected = 0
    public var boardMarked: Set<Int64> = []
    /// The board lists the QA queue instead of the cases at SLA risk (`Q`).
    public var boardShowsQA = false
    /// The rows the board's list shows now.
    public var boardRows: [QueueRow] { (boardShowsQA ? board?.qaQueue : board?.atRisk) ?? [] }
    public var agents: [User] = []
    /// Others who have the open case on screen right now.
    public var presence: [Presence] = []
    /// A change refused by a conflict, kept until the user re-applies or drops it.
    public var retry: Effect?
    /// The pack's zone (`Desk` sets it): same-day times and "today HH:MM" follow-ups use it.
    public var timeZone = TimeZone(identifier: "UTC")!
    /// A write has been waiting for the database lock for a moment (set by the runtime).
    public var saving = false
    /// The pack's service settings: the at-risk window the clocks and the at-risk view use.
    public var settings = ServiceSettings()
    /// The channel of the last contact this agent took at the desk: the intake's default.
    public var lastChannel: Channel = .phone

    /// The lead's keys (board, mark, assign, QA queue) are offered to whoever may open the board.
    public var isLead: Bool { Policy.allows(me, .viewBoard) }
    /// Reassigning other people's cases (mark and assign), not only one's own.
    var mayReassignOthers: Bool { [.team, .any].contains(Policy.reach(me, .reassign)) }
    /// Which bindings apply now: the board's, or the focused pane's.
    public var context: PaneContext { mode == .board ? .board : focus.context }
    public var contextTitle: String { mode == .board ? "Board" : focus.title }

    public init(me: User, size: ScreenSize, now: Date) {
        self.me = me; self.size = size; self.now = now; lastInput = now
    }
}
