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
    let path = options.path
    if !FileManager.default.fileExists(atPath: path) {
        FileHandle.standardError.write(Data("casedesk: no database yet; creating a demo at \(path)\n".utf8))
        _ = try createDatabase(at: path, demo: true, pack: nil)
    }
    let store = try options.open()
    var login = options.login
    if options.asLogin == nil, (try? store.user(login: login)) == nil, (try? store.user(login: "alice")) != nil {
        // The demo has no user named after the OS login: show the demo agent's desk.
        FileHandle.standardError.write(Data("casedesk: no user '\(login)' in this database; opening as alice (use --as LOGIN)\n".utf8))
        login = "alice"
    }
    do {
        let user = try store.user(login: login)   // before curses takes the terminal
        if user.role == .expert {
            throw Failure("\(login) is an expert: see and answer your consults with 'casedesk consult list' and 'casedesk consult answer ID TEXT'")
        }
        if board, !user.role.mayReassignOthers {
            throw Failure("the lead board is for team leads and admins; \(login) is not one")
        }
        let status = try DeskRunner.run(store: store, login: login, board: board)
        if status != 0 { throw ExitCode(status) }
    } catch let error as TerminalError {
        throw Failure(error.message.replacingOccurrences(of: "casedesk: ", with: ""))
    }
}
