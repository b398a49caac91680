import CaseCore
import Foundation

/// Runs the console loop on any screen, like `Desk`: messages through `ConsoleUpdate`,
/// effects against CaseCore, then a draw. The terminal runner and the tests share it.
/// Effects run inline (tests) or, after `runEffectsInBackground`, on a worker (reads
/// on pool snapshots, writes on their own queue), like the desk's.
public final class TrainerConsole: @unchecked Sendable {
    public private(set) var state: ConsoleState
    let store: CaseStore
    let screen: Screen
    private var worker: EffectWorker<ConsoleMsg>?

    public init(store: CaseStore, session: Int64, login: String, screen: Screen, now: Date = Date()) throws {
        self.store = store
        self.screen = screen
        _ = try store.user(login: login)
        state = ConsoleState(session: try store.session(session), me: login, size: screen.size, now: now)
        state.timeZone = try store.businessZone()
    }

    /// The first screen waits for its read (a snapshot: it never waits for the lock).
    public func start() { process([], effects: [.load], readsInline: true) }
    public func send(_ msg: ConsoleMsg) { process([msg], effects: []) }

    public func runEffectsInBackground(wake: @escaping @Sendable () -> Void) { worker = EffectWorker(wake: wake) }

    @discardableResult
    public func takeResults() -> Bool {
        let messages = worker?.takeResults() ?? []
        if !messages.isEmpty { process(messages, effects: []) }
        return !messages.isEmpty
    }

    public var writesPending: Bool { worker?.oldestWrite != nil }

    @discardableResult
    public func waitUntilIdle(timeout: TimeInterval = 30) -> Bool {
        worker?.waitUntilIdle(timeout: timeout, take: takeResults) ?? true
    }

    /// Lets queued writes (lines said, scores) land before the console goes.
    public func finish() { worker?.afterWrites {} }

    private func process(_ initial: [ConsoleMsg], effects: [ConsoleEffect], readsInline: Bool = false) {
        var messages = initial, pending = effects, budget = 32
        while budget > 0, !messages.isEmpty || !pending.isEmpty {
            budget -= 1
            if !messages.isEmpty { pending += ConsoleUpdate.update(&state, messages.removeFirst()); continue }
            let effect = pending.removeFirst()
            let lane: EffectLane = effect == .load ? .read : .write
            if let worker, lane == .write || !readsInline {
                let snapshot = state
                worker.submit(lane: lane) { [unowned self] in self.perform(effect, in: snapshot) }
            } else {
                messages += perform(effect, in: state)
            }
        }
        ConsoleView.render(state, on: screen)
    }

    /// Performs one effect against the state it was asked from (a copy: it may run on the worker).
    func perform(_ effect: ConsoleEffect, in state: ConsoleState) -> [ConsoleMsg] {
        do {
            switch effect {
            case .load:
                let session = state.session
                let mine = try store.scores(session: session.id).filter { $0.scorer == state.me }
                let rows = try store.progress(session: session).map { p in
                    ConsoleRow(p, scenario: session.scenario,
                               myScores: Dictionary(mine.filter { $0.trainee == p.participant.login }.map { ($0.criterion, $0.score) },
                                                    uniquingKeysWith: { a, _ in a }))
                }
                return [.loaded(rows)]
            case .sayNext(let logins):
                // The same next line `casedesk train say --next` sends (TraineeProgress.nextLine).
                let sent = try store.sayNext(session: state.session, to: logins, by: state.me)
                    .compactMap { r in r.sent.map { "\(r.login): \($0.line.id)" } }
                if sent.isEmpty { return [.failed("no scripted line left: type one with t")] }
                return [.succeeded("sent " + sent.joined(separator: ", ")), .dataChanged]
            case .say(let logins, let text, let lineId, let branch):
                let to = try store.say(session: state.session.id, to: logins, text: text, lineId: lineId, branch: branch, by: state.me)
                return [.succeeded("sent to \(to.joined(separator: ", ")): \(text)"), .dataChanged]
            case .score(let trainee, let criterion, let score):
                try store.score(session: state.session.id, trainee: trainee, criterion: criterion, score: score, by: state.me)
                return [.succeeded("scored \(trainee) \(score) on \(criterion)"), .dataChanged]
            }
        } catch let error as CaseError {
            return [.failed(error.description)]
        } catch {
            return [.failed("\(error)")]
        }
    }
}

/// The console in a real terminal: the desk's loop (`TerminalAppLoop`: poll on keys
/// and the wake pipe, the change feed, signals), re-reading every trainee when another
/// process commits and ticking each second for the clocks.
public enum TrainerConsoleRunner {
    /// Returns 0 after `q`, 128+signo after a quit signal or a hung-up terminal.
    @discardableResult
    public static func run(store: CaseStore, session: Int64, login: String) throws -> Int32 {
        try TerminalAppLoop.runInTerminal(database: store.path, tickEvery: 1, make: { screen in
            try TrainerConsole(store: store, session: session, login: login, screen: screen)
        }, start: { $0.start() })
    }
}

extension TrainerConsole: TerminalApp {
    public var quitting: Bool { state.quitting }
    public func key(_ key: Key) { send(.key(key)) }
    public func resized(_ size: ScreenSize) { send(.resize(size)) }
    public func dataChanged() { send(.dataChanged) }
    public func tick(_ now: Date) { send(.tick(now)) }
}
