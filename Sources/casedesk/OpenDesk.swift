import CaseCore
import Foundation

/// `casedesk` with no subcommand. A newcomer with no database anywhere gets the demo.
func openDesk(_ options: StoreOptions, board: Bool) throws {
    let path = options.path
    if !FileManager.default.fileExists(atPath: path) {
        FileHandle.standardError.write(Data("casedesk: no database yet; creating a demo at \(path)\n".utf8))
        _ = try createDatabase(at: path, demo: true, pack: nil)
    }
    let store = try options.open()
    let me = try store.user(login: options.login)
    let page = try store.queuePage(QueueFilter(scope: .assignee(me.id)), limit: 20)
    print(table(["ID", "PRI", "CUSTOMER", "CALL TYPE", "SUBJECT"],
                page.map { [String($0.id), $0.priority.description, $0.customer, $0.callType ?? "-", $0.subject] }))
}
