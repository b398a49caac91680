import ArgumentParser
import CaseCore
import CaseDesk
import Foundation

/// `casedesk` with no subcommand opens the desk.
struct OpenDesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "Open the desk (the default). With no database anywhere, creates a demo database first.")
    @OptionGroup var store: StoreOptions
    @Flag(name: .long, help: "Open the lead board instead of the queue.") var board = false
    func run() throws { try openDesk(store, board: board) }
}

/// A newcomer with no database anywhere gets the demo.
func openDesk(_ options: StoreOptions, board: Bool) throws {
    let path = try options.checkedPath()
    do { try CursesScreen.requireTerminal() } catch let error as TerminalError {
        throw Failure(error.message.replacingOccurrences(of: "casedesk: ", with: ""))   // before a demo is created
    }
    if !FileManager.default.fileExists(atPath: path) {
        FileHandle.standardError.write(Data("casedesk: no database yet; creating a demo at \(path)\n".utf8))
        // A newcomer's demo: its users are the demo's people, so the desk opens as the demo agent.
        _ = try createDatabase(at: path, demo: true, pack: nil, admin: nil)
    }
    let store = try options.open()   // who is acting: the OS login, or --as where allowed (it says so)
    let login = options.login
    do {
        let user = try store.user(login: login)   // before curses takes the terminal
        if user.role == .expert {
            throw Failure("\(login) is an expert: see and answer your consults with 'casedesk consult list' and 'casedesk consult answer ID TEXT'")
        }
        if board { try Policy.require(user, .viewBoard) }
        let status = try DeskRunner.run(store: store, login: login, board: board)
        if status != 0 { throw ExitCode(status) }
    } catch let error as TerminalError {
        throw Failure(error.message.replacingOccurrences(of: "casedesk: ", with: ""))
    }
}
