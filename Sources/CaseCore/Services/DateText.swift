import Foundation

/// Dates as text with a fixed pattern and zone. Formatters are costly to make and
/// the desk formats dozens of times per frame, so each pattern/zone pair is made once.
public enum DateText {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var formatters: [String: DateFormatter] = [:]
    }
    private static let cache = Cache()

    public static func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let key = pattern + "|" + zone.identifier
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let f = cache.formatters[key] { return f.string(from: date) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = pattern
        cache.formatters[key] = f
        return f.string(from: date)
    }
}
