import Foundation

/// One problem in a content pack, located like a compiler diagnostic: `FILE:LINE: problem`.
public struct PackError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the caller named it: the pack directory given to the loader joined with
    /// the file's path inside the pack (`Resources/pack/scripts/billing.dispute.yaml`).
    public var file: String
    /// 1-based; 0 when the problem is about the file as a whole (missing, unreadable).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
