import CaseCore
import Foundation

/// Failures and refusals of commands that opened a database go to its operations log
/// (the command's name and the one-line message; never its arguments, which may hold
/// personal data).
enum FailureLog {
    nonisolated(unsafe) static var opened: (database: String, login: String)?

    static func record(_ message: String, refusal: Bool = false) {
        guard let (database, login) = opened else { return }
        let command = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2).joined(separator: " ")
        let log = OperationsLog.logger(forDatabase: database)
        let line = "\(refusal ? "refused" : "failed"): casedesk \(command) by \(login): \(message)"
        if refusal { log.notice("\(line)") } else { log.error("\(line)") }
    }
}
