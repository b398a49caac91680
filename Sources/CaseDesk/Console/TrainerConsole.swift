import CaseCore
import Foundation

/// Runs the console loop on any screen, like `Desk`: messages through `ConsoleUpdate`,
/// effects against CaseCore, then a draw. The terminal runner and the tests share it.
public final class TrainerConsole {
    public private(set) var state: ConsoleState
    let store: CaseStore
    let screen: Screen

    public init(store: CaseStore, session: Int64, login: String, screen: Screen, now: Date = Date(), timeZone: TimeZone = .current) throws {
        self.store = store
        self.screen = screen
        _ = try store.user(login: login)
        state = ConsoleState(session: try store.session(session), me: login, size: screen.size, now: now)
        state.timeZone = timeZone
    }

    public func start() { process([], effects: [.load]) }
    public func send(_ msg: ConsoleMsg) { process([msg], effects: []) }

    private func process(_ initial: [ConsoleMsg], effects: [ConsoleEffect]) {
        var messages = initial, pending = effects, budget = 32
        while budget > 0, !messages.isEmpty || !pending.isEmpty {
            budget -= 1
            if !messages.isEmpty { pending += ConsoleUpdate.update(&state, messages.removeFirst()); continue }
            messages += perform(pending.removeFirst())
        }
        ConsoleView.render(state, on: screen)
    }

    func perform(_ effect: ConsoleEffect) -> [ConsoleMsg] {
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
                var sent: [String] = []
                for row in state.rows where logins.contains(row.login) {
                    guard let line = row.nextLine else { continue }
                    try store.say(session: state.session.id, to: [row.login], text: row.suggested?.say ?? line.say, lineId: line.id,
                                  branch: row.suggested?.label, by: state.me)
                    sent.append("\(row.login): \(line.id)")
                }
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

/// The console in a real terminal: the desk's loop (poll on keys and a wake-up pipe),
/// re-reading every trainee when another process commits (ChangeWatcher), ticking each second.
public enum TrainerConsoleRunner {
    /// Returns 0 after `q`, 128+signo after a quit signal or a hung-up terminal.
    @discardableResult
    public static func run(store: CaseStore, session: Int64, login: String) throws -> Int32 {
        unblockTerminalSignals()
        let loop = try TerminalLoop(waker: .process)
        let watcher = try ChangeWatcher(path: store.path)
        let screen = try CursesScreen.start(waker: loop.waker)
        defer { screen.end() }
        let console = try TrainerConsole(store: store, session: session, login: login, screen: screen)
        console.start()
        _ = watcher.changed()
        var lastTick = Date()
        while !console.state.quitting {
            let reason = loop.wait(timeoutMs: 250)
            if let signal = TerminalGuard.quitSignal { return 128 + signal }
            if reason.contains(.hangup) { return 128 + SIGHUP }
            var handled = false
            while let key = screen.readKey() {
                handled = true
                if key == .resize { screen.handleResize(); console.send(.resize(screen.size)) } else { console.send(.key(key)) }
                if console.state.quitting { return 0 }
            }
            if handled { _ = watcher.changed() }
            if watcher.changed() { console.send(.dataChanged) }
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                console.send(.tick(lastTick))
                // Handle times run while trainees work: refresh them with the clock.
                console.send(.dataChanged)
            }
        }
        return 0
    }
}
