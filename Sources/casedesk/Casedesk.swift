import ArgumentParser
import CaseCore
import Foundation

@main
struct Casedesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casedesk",
        abstract: "A terminal agent desktop for customer-service teams.",
        discussion: "With no subcommand, opens the desk. With no database anywhere, creates a demo database first.",
        subcommands: [
            OpenDesk.self,
            Init.self,
            UserCommand.self,
            TeamCommand.self,
            CaseCommand.self,
            ConsultCommand.self,
            FlagsCommand.self,
            Import.self,
            Export.self,
            Scripts.self,
            Report.self,
            CSATCommand.self,
            QACommand.self,
            Train.self,
            Doctor.self,
        ],
        defaultSubcommand: OpenDesk.self)

    /// Every failure becomes one line on stderr and a non-zero exit, never a stack trace;
    /// control characters it echoes are shown as escapes, never sent to the terminal.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("casedesk: \(failure.description.visibleControls)\n".utf8))
            Foundation.exit(failure.code)
        } catch let error as CaseError {
            FileHandle.standardError.write(Data("casedesk: \(error.description.visibleControls)\n".utf8))
            Foundation.exit(1)
        } catch let error as ImportError {
            FileHandle.standardError.write(Data("\(error.description.visibleControls)\n".utf8))
            Foundation.exit(1)
        } catch let error as PackError {
            FileHandle.standardError.write(Data("\(error.description.visibleControls)\n".utf8))
            Foundation.exit(1)
        } catch {
            // Help and --version print in full; a wrong flag or value is one line.
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            var message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data("casedesk: \(message.visibleControls)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
