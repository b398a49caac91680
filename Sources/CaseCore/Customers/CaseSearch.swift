import Foundation
import GRDB

/// One search result: the case, its customer, and where the words matched.
public struct SearchHit: Codable, Equatable, Sendable {
    public var id: Int64
    public var customer: String
    public var status: CaseStatus
    public var callType: String?
    public var subject: String
    public var createdAt: Date
    /// A few words around the match; the matched words between `SearchResults.markOn` and `markOff`.
    public var snippet: String
}

public struct SearchResults: Equatable, Sendable {
    /// Which order the results are in, said on screen and in the output.
    public enum Order: Equatable, Sendable {
        /// Exact hits (case id, email, phone, account) and then every match by relevance.
        case relevance
        /// Too many matches to rank them all quickly: relevance among the newest `window`.
        case relevanceAmongNewest(window: Int)
        /// Newest first.
        case newest

        public var words: String {
            switch self {
            case .relevance: "by relevance"
            case .relevanceAmongNewest(let n): "by relevance among the newest \(n) matches"
            case .newest: "newest first"
            }
        }
    }
    public var hits: [SearchHit]
    public var order: Order

    public static let markOn = "\u{2}", markOff = "\u{3}"
    /// A snippet with its marks as brackets, for plain text.
    public static func bracketed(_ snippet: String) -> String {
        snippet.replacingOccurrences(of: markOn, with: "[").replacingOccurrences(of: markOff, with: "]")
    }
    public static func plain(_ snippet: String) -> String {
        snippet.replacingOccurrences(of: markOn, with: "").replacingOccurrences(of: markOff, with: "")
    }
}

extension CaseStore {
    /// Matches ranked in full when there are at most this many; otherwise among the newest this many.
    public static let rankWindow = 2000

    /// Full text over subjects, customer messages, responses and notes (FTS5), plus exact
    /// case id, customer email, phone number and account, which come first.
    ///
    /// Ranking (BM25, `SearchRank`) costs time per matching document, so a word in a third
    /// of a million cases cannot be ranked in full quickly: when more than `rankWindow`
    /// cases match, the newest `rankWindow` of them are ranked (recency is what an agent
    /// usually wants then). With a status filter on such a query, newest first.
    public func search(_ text: String, status: [CaseStatus]? = nil, limit: Int = 50) throws -> SearchResults {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty else {
            throw CaseError.invalid("search for something: words, a case id, an email, a phone number or an account")
        }
        guard limit > 0 else { throw CaseError.invalid("the limit must be positive, not \(limit)") }
        return try read { db in
            let statusSQL = status.map { list in " AND c.status IN (" + list.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")" } ?? ""
            var hits = try Self.exactHits(db, typed, statusSQL: statusSQL, limit: limit)
            if hits.isEmpty, SearchText.matchQuery(typed) == nil {
                throw CaseError.invalid("nothing to search for in '\(typed)': give words, a case id, an email, a phone number or an account")
            }
            var order = SearchResults.Order.relevance
            if hits.count < limit, let query = SearchText.matchQuery(typed) {
                // First the ids in order (cheap: BM25 over at most `rankWindow` documents, or
                // rowids newest first), then snippets for those alone.
                let from = statusSQL.isEmpty ? "case_search s" : "case_search s JOIN cases c ON c.id = s.rowid"
                let window = try Int64.fetchOne(db, sql: "SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                                                arguments: [query, Self.rankWindow - 1])
                let rank = { SearchRank.rankFunction(try SearchRank.weights(db, phrases: SearchText.phrases(typed), from: window ?? 0)) }
                let want = limit + hits.count
                let snippet = "snippet(case_search, -1, '\(SearchResults.markOn)', '\(SearchResults.markOff)', '…', 12)"
                // (id, snippet) in order. Without a join FTS5 itself orders (by rank or rowid) and
                // stops at the limit, so snippets are made for the page alone.
                var page: [(Int64, String?)]
                switch (window, status) {
                case (nil, nil):
                    page = try Row.fetchAll(db, sql: """
                        SELECT rowid, \(snippet) AS snippet FROM case_search WHERE case_search MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?
                        """, arguments: [query, rank(), want]).map { ($0["rowid"], $0["snippet"]) }
                case (let start?, nil):
                    order = .relevanceAmongNewest(window: Self.rankWindow)
                    page = try Row.fetchAll(db, sql: """
                        SELECT rowid, \(snippet) AS snippet FROM case_search WHERE case_search MATCH ? AND rowid >= ? AND rank MATCH ?
                        ORDER BY rank LIMIT ?
                        """, arguments: [query, start, rank(), want]).map { ($0["rowid"], $0["snippet"]) }
                case (let w, _?):
                    if w != nil { order = .newest }
                    let ids = try w == nil
                        ? Int64.fetchAll(db, sql: """
                            SELECT s.rowid FROM \(from) WHERE case_search MATCH ? AND s.rank MATCH ?\(statusSQL) ORDER BY s.rank LIMIT ?
                            """, arguments: [query, rank(), want])
                        : Int64.fetchAll(db, sql: """
                            SELECT s.rowid FROM \(from) WHERE case_search MATCH ?\(statusSQL) ORDER BY s.rowid DESC LIMIT ?
                            """, arguments: [query, want])
                    // Snippets for a filtered page: one FTS5 lookup per case on the page.
                    let snippets = ids.isEmpty ? [:] : Dictionary(try Row.fetchAll(db, sql: """
                        SELECT rowid, \(snippet) AS snippet FROM case_search WHERE case_search MATCH ? AND rowid IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                        """, arguments: StatementArguments([query] + ids.map { $0 as DatabaseValueConvertible })).map { ($0["rowid"] as Int64, $0["snippet"] as String?) },
                        uniquingKeysWith: { a, _ in a })
                    page = ids.map { ($0, snippets[$0] ?? nil) }
                }
                let seen = Set(hits.map(\.id))
                page = page.filter { !seen.contains($0.0) }
                if !page.isEmpty {
                    let rows = try Row.fetchAll(db, sql: """
                        SELECT c.id, cu.name AS customer, c.status, c.call_type, c.subject, c.created_at
                        FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id IN (\(page.map { _ in "?" }.joined(separator: ",")))
                        """, arguments: StatementArguments(page.map { $0.0 }))
                    let byId = Dictionary(rows.map { ($0["id"] as Int64, $0) }, uniquingKeysWith: { a, _ in a })
                    hits += try page.compactMap { id, text in try byId[id].map { try Self.hit($0, snippet: SearchText.display(text ?? "")) } }
                }
            }
            return SearchResults(hits: Array(hits.prefix(limit)), order: order)
        }
    }

    static func hit(_ r: Row, snippet: String) throws -> SearchHit {
        try SearchHit(id: r["id"], customer: r["customer"], status: r.value("status", of: "cases"), callType: r["call_type"],
                  subject: r["subject"], createdAt: Date(timeIntervalSince1970: r["created_at"]), snippet: snippet)
    }

    /// A case id, or the cases of the customer an exact email, phone number or account names.
    static func exactHits(_ db: Database, _ typed: String, statusSQL: String, limit: Int) throws -> [SearchHit] {
        let select = """
            SELECT c.id, cu.name AS customer, c.status, c.call_type, c.subject, c.created_at
            FROM cases c JOIN customers cu ON cu.id = c.customer_id
            """
        var hits: [SearchHit] = []
        let bare = typed.trimmingCharacters(in: CharacterSet(charactersIn: "#"))
        if bare.allSatisfy(\.isNumber), let id = Int64(bare),
           let row = try Row.fetchOne(db, sql: select + " WHERE c.id = ?" + statusSQL, arguments: [id]) {
            hits.append(try hit(row, snippet: "case #\(id)"))
        }
        let email = typed.contains("@") ? typed : nil
        let phone = typed.allSatisfy { $0.isNumber || " +-().".contains($0) } ? typed : nil
        let account = typed.contains(where: \.isLetter) && typed.contains(where: \.isNumber) && !typed.contains(" ") ? typed : nil
        if let (customerId, by) = try matchExisting(db, email: email, phone: phone, account: account) {
            let rows = try Row.fetchAll(db, sql: select + " WHERE c.customer_id = ?" + statusSQL + " ORDER BY c.id DESC LIMIT ?",
                                        arguments: [customerId, limit])
            hits += try rows.map { try hit($0, snippet: "customer \(by): \(typed)") }
        }
        return hits
    }
}
