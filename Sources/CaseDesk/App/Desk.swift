import CaseCore
import Foundation

/// Runs the desk loop on any screen: a message goes through `DeskUpdate`, the
/// effects it asks for run against CaseCore and come back as messages, then the
/// screen is drawn. The terminal runner and the tests share this class.
///
/// By default effects run inline (tests: one `send` does everything). After
/// `runEffectsInBackground` they run on an `EffectWorker` and their messages come
/// back through `takeResults()`, called by the run loop when the worker rings.
/// Threads: `state` and the screen belong to the UI thread; `perform` runs on the
/// worker's queues and reads only `state.me` (a constant) and the effect-owned
/// fields below (the interval on the write queue, the feed cursor on the read queue).
public final class Desk: @unchecked Sendable {
    public private(set) var state: DeskState
    let store: CaseStore
    let screen: Screen
    let editor: (String) -> String?
    let clock: () -> Date
    private var workInterval: Int64?
    private var lastTouch = Date.distantPast
    static let touchEvery: TimeInterval = 10
    /// The newest event this desk has seen: the change feed's cursor.
    private var lastEventId: Int64 = 0
    /// Edits this desk saved whose new version the screen may not have read yet.
    private var ownVersions: [Int64: (from: Int, to: Int)] = [:]
    private var worker: EffectWorker<Msg>?
    /// This desk's presence row; one per open desk, so two desks of one user are two rows.
    let session = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"

    public init(store: CaseStore, login: String, screen: Screen, clock: @escaping () -> Date = Date.init,
                editor: @escaping (String) -> String? = { _ in nil }) throws {
        self.store = store
        self.screen = screen
        self.editor = editor
        self.clock = clock
        let me = try store.user(login: login)
        // The desk is a queue of cases: whoever may not list cases has no desk (experts answer consults instead).
        if let refusal = Policy.decide(me, .listCases) {
            throw CaseError.notAllowed(Policy.reach(me, .answerConsult) != nil
                ? "\(login) is an expert: experts see and answer their consults with casedesk consult list / consult answer ID TEXT"
                : refusal.description)
        }
        state = DeskState(me: me, size: screen.size, now: clock())
        state.timeZone = try store.businessZone()
        state.training = (try? store.kind()) == .training
        state.settings = (try? store.serviceSettings()) ?? ServiceSettings()
    }

    /// First screen: reference lists and the first queue page, then a draw.
    public func start(board: Bool = false) {
        lastEventId = (try? store.latestEventId()) ?? 0
        var effects: [Effect] = [.loadReference, QueueWindow.load(state, .first), .heartbeat(caseId: nil, typing: false)]
        if board, state.isLead { state.mode = .board; effects.append(.loadBoard) }
        // The first screen waits for its reads (pool snapshots: they never wait for
        // the lock), so it never shows an empty queue that is not empty.
        process([], effects: effects, readsInline: true)
    }

    public func send(_ msg: Msg) { process([msg], effects: []) }

    /// A message that is not the user's (the change feed, a tick): like a result, its
    /// frame waits for the reads it asks for; a key is always drawn at once.
    func deliver(_ msg: Msg) { process([msg], effects: [], settle: true) }

    /// From now on effects run off this thread; `wake` is called (on any thread)
    /// whenever results are waiting for `takeResults()`.
    public func runEffectsInBackground(wake: @escaping @Sendable () -> Void) {
        worker = EffectWorker(wake: wake)
    }

    /// Feed the worker's results through `update` and draw. Returns false when
    /// there were none. Also refreshes the saving indicator.
    @discardableResult
    public func takeResults() -> Bool {
        let messages = worker?.takeResults() ?? []
        // The reads a result asks for (after a save: the feed, the case, the queue)
        // run here, on snapshots that never wait for the lock, so the frame that says
        // "step done" already shows the case as it now is and the next key acts on it.
        process(messages, effects: [], readsInline: !messages.isEmpty, settle: true)
        return !messages.isEmpty
    }

    /// A result (a write saved) asked for reads (the case and queue again): its frame
    /// waits for them (snapshot reads: they never wait for the lock, only for a core),
    /// so "call type set" appears with the script it opened, and a key pressed on
    /// seeing it acts on the case as it now is. Keys still draw at once.
    static let settleFor: TimeInterval = 2
    private var settleUntil: Date?

    /// A write has been waiting this long before the status line says "saving".
    static let savingAfter: TimeInterval = 0.15
    /// True while a write waits or a frame waits for its reads (the run loop then
    /// wakes often, to show "saving" or the settled frame).
    public var writesPending: Bool { worker?.oldestWrite != nil || settleUntil != nil }
    /// Nothing queued, running or waiting to be read.
    public var isIdle: Bool { worker?.isIdle ?? true }

    /// For tests and the benchmark: take results until the worker is idle.
    @discardableResult
    public func waitUntilIdle(timeout: TimeInterval = 30) -> Bool {
        worker?.waitUntilIdle(timeout: timeout, take: takeResults) ?? true
    }

    /// Closes the work interval and leaves presence; the runner calls it on every way
    /// out. Writes already queued land first (they wait for the lock, as a save should).
    public func finish() {
        if let worker {
            worker.afterWrites { _ = perform(.stopWork) }
        } else {
            _ = perform(.stopWork)
        }
        try? store.endPresence(session: session)
    }

    private func process(_ initial: [Msg], effects initialEffects: [Effect], readsInline: Bool = false, settle: Bool = false) {
        var messages = initial
        var pending = initialEffects
        var budget = 64   // a runaway chain of effects must not hang the desk
        while budget > 0, !messages.isEmpty || !pending.isEmpty {
            budget -= 1
            if !messages.isEmpty {
                pending += DeskUpdate.update(&state, messages.removeFirst())
                continue
            }
            let effect = pending.removeFirst()
            if let worker, effect.lane == .write || effect.lane == .read && !readsInline {
                var heartbeat = false
                if case .heartbeat = effect { heartbeat = true }
                worker.submit(lane: effect.lane, coalescing: heartbeat) { [unowned self] in self.performTracked(effect) }
            } else {
                messages += performTracked(effect)
            }
        }
        if let worker {
            state.saving = worker.oldestWrite.map { Date().timeIntervalSince($0) >= Self.savingAfter } ?? false
            if settle, worker.readsPending {
                let until = settleUntil ?? Date().addingTimeInterval(Self.settleFor)
                settleUntil = until
                if Date() < until { return }
            }
            settleUntil = nil
        }
        // Nothing to show changed (a quiet tick, an empty feed): leave the terminal alone.
        if state != drawn || forceDraw {
            if forceDraw || !(drawn.map { PartialRedraw.render(state, previous: $0, on: screen) } ?? false) {
                DeskView.render(state, on: screen)
            }
            drawn = state; forceDraw = false
        }
    }

    /// The last state drawn; a resize or a resumed terminal forces a full draw anyway.
    private var drawn: DeskState?
    public var forceDraw = false

    // MARK: effects

    /// `perform`, with a note (or free-text response) queued behind this desk's own
    /// earlier edit of the same case moved onto the version that edit produced (the
    /// screen had no time to re-read it). Anyone else's change in between still makes
    /// it a conflict.
    func performTracked(_ effect: Effect) -> [Msg] {
        guard let (id, seen) = effect.versioned else { return perform(effect) }
        var effect = effect
        if let own = ownVersions[id], own.from == seen { effect = effect.withVersion(own.to) }
        let messages = perform(effect)
        let saved = messages.contains { if case .succeeded = $0 { true } else { false } }
        if saved, let v = effect.versioned?.version { ownVersions[id] = (v, v + 1) }
        return messages
    }

    func perform(_ effect: Effect) -> [Msg] {
        do {
            switch effect {
            case .loadQueue(let view, let request, let limit):
                return [.queueLoaded(try loadQueue(view, request, limit: limit))]
            case .refreshCounts(let view):
                return [.counts(try counts(view, filter(for: view, now: clock())))]
            case .loadCase(let id):
                do {
                    let detail = try store.detail(id)
                    let script = try detail.record.callType.flatMap { try store.script(for: $0) }
                    return [.caseLoaded(detail, script)]
                } catch CaseError.noSuchCase {
                    return [.caseGone(id)]
                }
            case .loadReference:
                return [.reference(callTypes: try store.callTypes(), resolutionCodes: try store.resolutionCodes(),
                                   experts: try store.users(role: .expert)),
                        .agents(try store.users(role: .agent))]
            case .loadBoard:
                return [.boardLoaded(try store.board(for: state.me.login))]
            case .reassign(let ids, let to, let reason):
                let moved = try store.reassign(ids, to: to, by: state.me.login, reason: reason)
                let what = moved.count == 1 ? "case #\(moved[0].id)" : "\(moved.count) cases"
                return [.succeeded("moved \(what) to \(to ?? "the queue")"), .dataChanged]
            case .readFeed:
                let events = try store.events(after: lastEventId, limit: 500)
                // A burst (an import) may hold more: what matters is that something changed.
                lastEventId = events.count < 500 ? (events.last?.id ?? lastEventId) : try store.latestEventId()
                return [.feed(events)]
            case .heartbeat(let caseId, let typing):
                try store.heartbeat(login: state.me.login, session: session, caseId: caseId, typing: typing)
                if let open = workInterval, clock().timeIntervalSince(lastTouch) >= Self.touchEvery {
                    try store.touchWork(open)
                    lastTouch = clock()
                }
                return []
            case .loadPresence(let caseId):
                return [.presence(caseId: caseId, try store.presence(caseId: caseId, excludingSession: session))]
            case .takeNext:
                let taken = try store.takeNext(as: state.me.login)
                return [.succeeded("took case #\(taken.id) · \(taken.subject)")] + perform(.loadCase(taken.id)) + [.dataChanged]
            case .setCallType(let id, let code, let version):
                try store.setCallType(id, to: code, by: state.me.login, expectedVersion: version)
                return [.succeeded("call type set to \(code)"), .dataChanged]
            case .respond(let id, let text, let responseId, let version):
                let mailed = try store.sendResponse(id, text: text, responseId: responseId, by: state.me.login, expectedVersion: version)
                // Mail goes out after commit from a detached `casedesk mail flush`: the desk never waits on it.
                if mailed { FlushLauncher.launch(database: store.path, login: state.me.login) }
                return [.succeeded(mailed ? "response sent · mail queued" : "response sent"), .dataChanged]
            case .editResponse(let id, let text, let responseId):
                return [.edited(text: editor(text), caseId: id, responseId: responseId)]
            case .note(let id, let text, let version):
                try store.addNote(id, text: text, by: state.me.login, expectedVersion: version)
                return [.succeeded("note added"), .dataChanged]
            case .stepDone(let id, let stepId, let answer, let version):
                try store.completeStep(id, stepId: stepId, answer: answer, by: state.me.login, expectedVersion: version)
                return [.succeeded("step \(stepId) done" + (answer.map { ": \($0)" } ?? "")), .dataChanged]
            case .resolve(let id, let code, let csat, let version):
                try store.resolve(id, code: code, csat: csat, by: state.me.login, expectedVersion: version)
                if let open = workInterval { try store.stopWork(open) }
                workInterval = nil
                return [.succeeded("case #\(id) resolved: \(code)" + (csat.map { " · CSAT \($0)" } ?? "")), .dataChanged]
            case .flagRule(let id, let rule):
                try store.flagRule(id, rule: rule, by: state.me.login)
                return [.succeeded("rule flagged for the team lead"), .dataChanged]
            case .consult(let id, let expert, let question):
                try store.consult(id, expert: expert, question: question, by: state.me.login)
                return [.succeeded("asked \(expert)"), .dataChanged]
            case .startWork(let id):
                if let open = workInterval { try store.stopWork(open) }
                workInterval = try store.startWork(id, by: state.me.login)
                lastTouch = clock()
                return []
            case .stopWork:
                if let open = workInterval { try store.stopWork(open) }
                workInterval = nil
                return []
            case .findCustomers(let text):
                return [.customerMatches(query: text, try store.findCustomers(text, limit: 8))]
            case .loadCustomer(let id):
                return [.customerLoaded(try store.customerHistory(id))]
            case .search(let text):
                do {
                    return [.searchResults(query: text, try store.search(text, limit: 50))]
                } catch let error as CaseError {
                    return [.searchFailed(query: text, error.description)]
                }
            case .intake(let d):
                var new = NewCase(customer: d.newCustomer?.name ?? "", customerEmail: d.newCustomer?.email, customerPhone: d.newCustomer?.phone,
                                  channel: d.channel, callType: d.callType, subject: d.subject, body: d.words)
                new.customerId = d.customerId
                new.customerAccount = d.newCustomer?.account
                new.assignTo = state.me.login
                let created = try store.createCasesReporting([new], by: state.me.login)[0]
                return [.intakeCreated(caseId: created.id, channel: d.channel),
                        .succeeded("case #\(created.id) opened · \(created.customer.words) #\(created.customerId)")]
                    + perform(.loadCase(created.id)) + [.dataChanged]
            case .contact(let id, let channel, let text, let version):
                try store.recordContact(id, text: text, channel: channel, by: state.me.login, expectedVersion: version)
                return [.succeeded("contact recorded on case #\(id) (\(channel.rawValue))"), .dataChanged]
            case .pending(let id, let until, let version):
                try store.setPending(id, until: until, by: state.me.login, expectedVersion: version)
                let when = until.map { " · follow-up " + DateText.format($0, "EEE d MMM HH:mm", state.timeZone) } ?? ""
                return [.succeeded("case #\(id) is pending\(when)"), .dataChanged]
            case .prepareEdit, .setPriority, .moveTeam:
                return try performCaseEdit(effect)
            case .checkFollowUps:
                return [.followUpsDue(try store.followUpsDue(assigneeId: state.me.id, at: clock()).map(\.id))]
            }
        } catch let error as CaseError {
            if case .conflict(let id, _, _) = error { return [.conflict(conflictText(error, caseId: id), retry: effect), .dataChanged] }
            if case .notAllowed = error { store.operationsLog.notice("refused \(state.me.login) on the desk: \(error.description)") }
            return [.failed(error.description)]
        } catch {
            return [.failed("\(error)")]
        }
    }

    /// Who changed the case and what they did, from its newest events by someone else.
    func conflictText(_ error: CaseError, caseId: Int64) -> String {
        guard let detail = try? store.detail(caseId),
              let theirs = detail.events.last(where: { $0.actor != state.me.login }) else { return error.description }
        return "\(error.description) — \(theirs.actor ?? "someone"): \(TimelineText.line(for: theirs))"
    }

    static let lastCursor = QueueCursor(priority: Int.max, dueAt: .greatestFiniteMagnitude, id: .max)

    func loadQueue(_ view: QueueView, _ request: PageRequest, limit: Int) throws -> QueuePage {
        let now = clock()
        let filter = filter(for: view, now: now)
        let direction: CaseStore.PageDirection
        switch request {
        case .first: direction = .after(nil)
        case .last: direction = .before(Self.lastCursor)
        case .after(let c): direction = .after(c)
        case .before(let c): direction = .before(c)
        case .around(let c): direction = .after(QueueCursor(priority: c.priority, dueAt: c.dueAt, id: c.id - 1))
        }
        let rows = try store.queuePage(filter, direction, limit: limit)
        // Counting walks the whole scope's index (50k entries for "all open" at a
        // million cases): done when a view is first read, never while scrolling, and
        // after changes at most every couple of seconds (see `.refreshCounts`).
        var counts: QueueCounts?
        switch request {
        case .first, .last: counts = try self.counts(view, filter)
        case .after, .before, .around: break
        }
        var page = QueuePage(view: view, request: request, rows: rows, counts: counts, full: rows.count == limit)
        if view == .mine, request == .first { page.followUps = try store.followUpsDue(assigneeId: state.me.id, at: now) }
        return page
    }

    func filter(for view: QueueView, now: Date) -> QueueFilter {
        switch view {
        case .mine: QueueFilter(scope: .assignee(state.me.id))
        case .waiting: QueueFilter(scope: .unassigned)
        case .all: QueueFilter(scope: .all)
        case .atRisk: QueueFilter(scope: .all, dueBefore: now.addingTimeInterval(state.settings.atRiskWindow))
        case .callType(let code): QueueFilter(scope: .callType(code))
        }
    }

    func counts(_ view: QueueView, _ filter: QueueFilter) throws -> QueueCounts {
        var c = try store.queueCounts(filter.scope, riskBefore: clock().addingTimeInterval(state.settings.atRiskWindow))
        if view == .atRisk { c.open = c.atRisk }
        return QueueCounts(view: view, open: c.open, atRisk: c.atRisk)
    }
}
