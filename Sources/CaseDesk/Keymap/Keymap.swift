/// What a key does. Bindings map keys to commands; the help overlay and the hint
/// line are generated from the same table, so they can never drift from the keys.
public enum Command: String, CaseIterable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, first, last
    case nextPane, previousPane
    case open, takeNext, setCallType, respond, editRespond, note, stepDone, resolve, flagRule, consult
    case filter, help, quit
    case intake, customer, search, contact, pending, priority, moveTeam
    case mark, assign, board, commandLine, qaQueue
    // The trainer console.
    case toggleAll, sayNext, sayBranch, sayTyped, score
}

/// Where a binding applies.
public enum PaneContext: String, CaseIterable, Sendable {
    case global, queue, caseDetail = "case", script, board, console
}

public struct Binding: Sendable {
    public var keys: [Key]
    public var command: Command
    public var context: PaneContext
    /// Short label for the hint line; nil keeps it out of the hint line.
    public var hint: String?
    public var help: String
    /// Only a team lead (or admin) may use it; others do not see it in hints or help.
    public var leadOnly = false
}

public enum Keymap {
    public static let bindings: [Binding] = [
        Binding(keys: [.char("j"), .down], command: .moveDown, context: .global, hint: nil, help: "move down (queue row, timeline line, script response)"),
        Binding(keys: [.char("k"), .up], command: .moveUp, context: .global, hint: nil, help: "move up"),
        Binding(keys: [.pageDown, .ctrl("f")], command: .pageDown, context: .global, hint: nil, help: "page down"),
        Binding(keys: [.pageUp, .ctrl("b")], command: .pageUp, context: .global, hint: nil, help: "page up"),
        Binding(keys: [.char("g"), .home], command: .first, context: .global, hint: nil, help: "go to the top"),
        Binding(keys: [.char("G"), .end], command: .last, context: .global, hint: nil, help: "go to the bottom"),
        Binding(keys: [.tab], command: .nextPane, context: .global, hint: nil, help: "next pane"),
        Binding(keys: [.backTab], command: .previousPane, context: .global, hint: nil, help: "previous pane"),
        Binding(keys: [.enter], command: .open, context: .queue, hint: "open", help: "open the selected case"),
        Binding(keys: [.char("n")], command: .takeNext, context: .global, hint: "next", help: "take the next case from my queues"),
        Binding(keys: [.char("c")], command: .setCallType, context: .global, hint: "call type", help: "set the call type (fuzzy picker)"),
        Binding(keys: [.char("r")], command: .respond, context: .global, hint: "respond", help: "send the selected standardized response, filled in"),
        Binding(keys: [.char("e")], command: .editRespond, context: .global, hint: nil, help: "edit the selected response in $EDITOR, then send it"),
        Binding(keys: [.char("i")], command: .note, context: .global, hint: "note", help: "add an internal note"),
        Binding(keys: [.char("s")], command: .stepDone, context: .global, hint: "step", help: "mark the current script step done / answer its question"),
        Binding(keys: [.char("x")], command: .resolve, context: .global, hint: "resolve", help: "resolve with a resolution code (and optional CSAT)"),
        Binding(keys: [.char("!")], command: .flagRule, context: .global, hint: "flag rule", help: "flag the rule that forced a \"no\""),
        Binding(keys: [.char("E")], command: .consult, context: .global, hint: "expert", help: "consult an expert"),
        Binding(keys: [.char("N")], command: .intake, context: .global, hint: "new", help: "new case: find or create the customer as you type, call type, subject"),
        Binding(keys: [.char("C")], command: .customer, context: .global, hint: nil, help: "the customer: details and every case of theirs, open ones first"),
        Binding(keys: [.char("F")], command: .search, context: .global, hint: "search", help: "search: full text, case id, email, phone, account"),
        Binding(keys: [.char("m")], command: .contact, context: .global, hint: "contact", help: "the customer got in touch again (call back, reply): what they said"),
        Binding(keys: [.char("p")], command: .pending, context: .global, hint: "pending", help: "pending: waiting on the customer or others, optional follow-up time"),
        Binding(keys: [.char("P")], command: .priority, context: .global, hint: "priority", help: "priority P1–P4 by hand, with a reason on the timeline (owner or lead)"),
        Binding(keys: [.char("T")], command: .moveTeam, context: .global, hint: "team", help: "move the case to another team's queue (owner or lead)"),
        Binding(keys: [.enter], command: .open, context: .board, hint: "open", help: "open the selected case in the desk"),
        Binding(keys: [.char(" ")], command: .mark, context: .queue, hint: nil, help: "select or unselect the case for reassignment", leadOnly: true),
        Binding(keys: [.char(" ")], command: .mark, context: .board, hint: "select", help: "select or unselect the case for reassignment", leadOnly: true),
        Binding(keys: [.char("a")], command: .assign, context: .queue, hint: "assign", help: "reassign the selected case(s) to an agent, with a reason", leadOnly: true),
        Binding(keys: [.char("a")], command: .assign, context: .board, hint: "assign", help: "reassign the selected case(s) to an agent, with a reason", leadOnly: true),
        Binding(keys: [.char("Q")], command: .qaQueue, context: .board, hint: nil,
                help: "switch the list between cases at SLA risk and cases to review for quality (QA queue)", leadOnly: true),
        Binding(keys: [.char("L")], command: .board, context: .global, hint: "board", help: "switch between the lead board and the desk", leadOnly: true),
        Binding(keys: [.char("/")], command: .filter, context: .queue, hint: "filter", help: "filter the queue: mine, waiting, all, risk, or a call type"),
        Binding(keys: [.char("a")], command: .toggleAll, context: .console, hint: "all/one", help: "send lines to every trainee, or back to the selected one"),
        Binding(keys: [.char("n")], command: .sayNext, context: .console, hint: "next line", help: "send the customer's next scripted line"),
        Binding(keys: [.char("b")], command: .sayBranch, context: .console, hint: "branch", help: "pick the line to send: the main line or a branch (the one matching what the trainee did is preselected)"),
        Binding(keys: [.char("t")], command: .sayTyped, context: .console, hint: "type a line", help: "type a line for the customer to say"),
        Binding(keys: [.char("s")], command: .score, context: .console, hint: "score", help: "score the selected trainee on a rubric criterion"),
        Binding(keys: [.char(":")], command: .commandLine, context: .global, hint: nil, help: "command line: a case number (e.g. :1042) opens that case"),
        Binding(keys: [.char("?")], command: .help, context: .global, hint: "help", help: "help: every binding of this pane"),
        Binding(keys: [.char("q")], command: .quit, context: .global, hint: "quit", help: "quit"),
    ]

    /// The command a key runs in a pane: the pane's own bindings win over global ones.
    public static func command(for key: Key, in pane: PaneContext, lead: Bool = false) -> Command? {
        bindings(in: pane, lead: lead).first { $0.keys.contains(key) }?.command
    }

    /// Bindings that apply in a pane, for help: its own, then the global ones.
    /// The board has no case to work on, so only its own keys, moves and the basics apply.
    public static func bindings(in pane: PaneContext, lead: Bool = false) -> [Binding] {
        let usable = bindings.filter { lead || !$0.leadOnly }
        let global = usable.filter { $0.context == .global }
        if pane == .board {
            return usable.filter { $0.context == .board } + global.filter { boardGlobals.contains($0.command) }
        }
        if pane == .console {
            return usable.filter { $0.context == .console } + global.filter { consoleGlobals.contains($0.command) }
        }
        return usable.filter { $0.context == pane } + global
    }

    static let consoleGlobals: Set<Command> = [.moveDown, .moveUp, .help, .quit]
    static let boardGlobals: Set<Command> = [.moveDown, .moveUp, .pageDown, .pageUp, .first, .last, .board, .commandLine, .help, .quit]

    /// The hint line: "n next  ⏎ open  …", in table order, for the bindings of a pane.
    public static func hints(in pane: PaneContext, unicode: Bool, lead: Bool = false) -> [(key: String, label: String)] {
        bindings(in: pane, lead: lead).compactMap { b in
            guard let hint = b.hint, let key = b.keys.first else { return nil }
            let name: String = key == .enter ? (unicode ? "⏎" : "Enter") : (unicode ? key.description : key.asciiDescription)
            return (name, hint)
        }.sorted { a, b in order(a.label) < order(b.label) }
    }

    private static let hintOrder = ["next", "new", "open", "search", "customer", "call type", "respond", "step", "note", "contact",
                                    "pending", "resolve", "flag rule", "expert",
                                    "select", "assign", "filter", "board", "all/one", "next line", "branch", "type a line",
                                    "score", "help", "quit",
                                    // Less frequent: shown where the line has room after the rest.
                                    "priority", "team"]
    private static func order(_ label: String) -> Int { hintOrder.firstIndex(of: label) ?? hintOrder.count }
}
