import ArgumentParser
import CaseCore
import CaseDesk
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
            CustomerCommand.self,
            SearchCommand.self,
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
            Backup.self,
            Restore.self,
            RetentionCommand.self,
            MailCommand.self,
            IngestCommand.self,
            SettingsCommand.self,
        ],
        defaultSubcommand: OpenDesk.self)

    /// The database this command names (`--db PATH`, `--db=PATH`, else as every command finds it), for error lines.
    static func databasePathFromArguments() -> String {
        let args = CommandLine.arguments
        var explicit: String?
        for (i, a) in args.enumerated() {
            if a == "--db", i + 1 < args.count { explicit = args[i + 1] }
            if a.hasPrefix("--db=") { explicit = String(a.dropFirst(5)) }
        }
        return StoreOptions.resolve(explicit)
    }

    /// Every failure becomes one line on stderr and a non-zero exit, never a stack trace;
    /// control characters it echoes are shown as escapes, never sent to the terminal.
    static func main() {
        SharedInstall.prepareProcess()
        do {
            var command = try parseMailDelivery() ?? parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            FailureLog.record(failure.description)
            FileHandle.standardError.write(Data("casedesk: \(SafeText.line(failure.description))\n".utf8))
            Foundation.exit(failure.code)
        } catch let error as CaseError {
            if case .notAllowed = error { FailureLog.record(error.description, refusal: true) } else { FailureLog.record(error.description) }
            FileHandle.standardError.write(Data("casedesk: \(SafeText.line(error.description))\n".utf8))
            Foundation.exit(1)
        } catch let error as ImportError {
            FileHandle.standardError.write(Data("\(SafeText.line(error.description))\n".utf8))
            Foundation.exit(1)
        } catch let error as PackError {
            FileHandle.standardError.write(Data("\(SafeText.line(error.description))\n".utf8))
            Foundation.exit(1)
        } catch {
            // SQLite and file-system errors: one line saying what failed, what was kept, what to do.
            if let failure = StoreFailure.from(error, path: databasePathFromArguments()) {
                FileHandle.standardError.write(Data("casedesk: \(SafeText.line(failure.description))\n".utf8))
                Foundation.exit(failure.exitStatus)
            }
            // Help and --version print in full; a wrong flag or value is one line.
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            var message = Self.oneLine(message(for: error))
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            // A bare exit status (`ExitCode`): the command has said what it had to say.
            if !message.isEmpty { FileHandle.standardError.write(Data("casedesk: \(SafeText.line(message))\n".utf8)) }
            Foundation.exit(code.rawValue)
        }
    }
}


extension Casedesk {
    /// `mail deliver` runs once per message, started by the mail server: it is parsed on its
    /// own. Building the whole command tree costs more than filing the message (ArgumentParser
    /// names each of the hundred commands by reflection, about 10 ms). Help takes the whole tree,
    /// which knows the command's full name.
    static func parseMailDelivery() throws -> ParsableCommand? {
        let args = Array(CommandLine.arguments.dropFirst())
        guard args.count >= 2, args[0] == "mail", args[1] == "deliver",
              !args.contains(where: { $0 == "-h" || $0 == "--help" || $0.hasPrefix("--experimental") }) else { return nil }
        return try MailCommand.Deliver.parse(Array(args.dropFirst(2)))
    }

    /// ArgumentParser's usage errors in one line: a long list of accepted values comes as
    /// "one of the following:" and a "- value" line each; they are joined, not dropped.
    static func oneLine(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first else { return text }
        let values = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { "'\($0.dropFirst(2))'" }
        guard first.hasSuffix("one of the following:"), !values.isEmpty else { return first }
        return String(first.dropLast("the following:".count)) + values.joined(separator: ", ") + "."
    }
}
