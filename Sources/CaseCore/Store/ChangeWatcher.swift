import Foundation
import GRDB

/// Learns that another connection (another desk, a command, an import) committed.
/// `PRAGMA data_version` on a connection of its own changes only for commits made
/// by other connections, and reading it costs no table access.
public final class ChangeWatcher {
    private let queue: DatabaseQueue
    private var seen: Int

    public init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        queue = try DatabaseQueue(path: path, configuration: config)
        seen = 0
        seen = try current()
    }

    private func current() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// True once per batch of commits made elsewhere since the last call.
    public func changed() -> Bool {
        guard let now = try? current(), now != seen else { return false }
        seen = now
        return true
    }
}
