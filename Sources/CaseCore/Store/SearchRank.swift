import Foundation
import GRDB
import GRDBSQLite

/// How search results are ranked: Okapi BM25 as FTS5's own `bm25()` computes it, except
/// that each word's weight (its IDF) is given by the query instead of counted on the spot.
///
/// `bm25()` learns how many documents hold each word by walking the word's whole list of
/// documents, on every query: for a word in nine cases out of ten that is 900,000 entries
/// at a million cases, whatever the LIMIT. `SearchRank.weights` estimates the same counts
/// from at most `sample` entries per word instead, so ranking costs what the matches on the
/// page cost. Registered on every connection as `casedesk_rank(case_search, idf1, idf2, …)`,
/// one weight per phrase of the MATCH query in order; used as
/// `… AND rank MATCH 'casedesk_rank(…)' ORDER BY rank` so FTS5 still makes snippets for the
/// page alone.
enum SearchRank {
    static let functionName = "casedesk_rank"
    /// Entries read per word to estimate how common it is.
    static let sample = 2000
    static let k1 = 1.2, b = 0.75

    static func register(_ db: Database) {
        let api = FTS5.api(db)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, nil, { api, fts, context, count, values in
            guard let api, let fts, let context else { return }
            SearchRank.score(api, fts, context, Int(count), values)
        }, nil)
    }

    /// The `rank MATCH` argument for these weights.
    static func rankFunction(_ weights: [Double]) -> String {
        functionName + "(" + weights.map { String(format: "%.6f", $0) }.joined(separator: ", ") + ")"
    }

    /// One IDF per phrase, as FTS5's bm25 defines it (log((N − n + 0.5) / (n + 0.5)), at
    /// least 1e-6), with N and n counted among documents from rowid `start` on: n exactly
    /// where a phrase has fewer than `sample` matches there, else from how far back its
    /// newest `sample` matches reach.
    static func weights(_ db: Database, phrases: [String], from start: Int64) throws -> [Double] {
        guard let newest = try Int64.fetchOne(db, sql: "SELECT rowid FROM case_search ORDER BY rowid DESC LIMIT 1") else {
            return phrases.map { _ in 1e-6 }
        }
        // N: the rowids in the range, but never more than the documents there are (a purge
        // leaves gaps, mostly among the oldest); from the start, exactly bm25's N.
        let rows = try documentCount(db) ?? (newest - start + 1)
        let documents = Double(max(min(newest - start + 1, rows), 1))
        return try phrases.map { phrase in
            let edge = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT rowid FROM case_search WHERE case_search MATCH ? AND rowid >= ? ORDER BY rowid DESC LIMIT 1 OFFSET ?
                """), arguments: [phrase, start, sample - 1])
            let holding: Double
            if let edge {
                holding = Double(sample) * documents / Double(max(newest - edge + 1, 1))
            } else {
                holding = Double(try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*) FROM case_search WHERE case_search MATCH ? AND rowid >= ?
                    """), arguments: [phrase, start]) ?? 0)
            }
            let n = min(holding, documents)
            return max(log((documents - n + 0.5) / (n + 0.5)), 1e-6)
        }
    }

    /// How many documents `case_search` holds, from FTS5's own totals (the "averages" record,
    /// rowid 1 of its data table, starts with the row count as a varint): what `bm25()`
    /// takes for N, without counting the rows.
    static func documentCount(_ db: Database) throws -> Int64? {
        guard let block = try Data.fetchOne(db, sql: "SELECT block FROM case_search_data WHERE id = 1"), !block.isEmpty else {
            return nil
        }
        // SQLite's varint: 7 bits a byte while the high bit is set; a ninth byte gives 8.
        var value: UInt64 = 0
        for (i, byte) in block.prefix(9).enumerated() {
            if i == 8 { value = (value << 8) | UInt64(byte); break }
            value = (value << 7) | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { break }
        }
        return Int64(clamping: value)
    }

    /// BM25 of the current row: Σ idf × tf·(k1+1) / (tf + k1·(1 − b + b·|D|/avgdl)), negated
    /// so that ORDER BY rank puts the best first, as with bm25().
    static func score(_ api: UnsafePointer<Fts5ExtensionApi>, _ fts: OpaquePointer, _ context: OpaquePointer,
                      _ count: Int, _ values: UnsafeMutablePointer<OpaquePointer?>?) {
        let x = api.pointee
        let phrases = Int(x.xPhraseCount(fts))
        var rows: sqlite3_int64 = 0, tokens: sqlite3_int64 = 0, length: Int32 = 0, instances: Int32 = 0
        guard x.xRowCount(fts, &rows) == SQLITE_OK, x.xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK,
              x.xColumnSize(fts, -1, &length) == SQLITE_OK, x.xInstCount(fts, &instances) == SQLITE_OK else {
            sqlite3_result_error(context, "casedesk_rank: cannot read the match", -1)
            return
        }
        var frequency = [Double](repeating: 0, count: phrases)
        for i in 0..<instances {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            if x.xInst(fts, i, &phrase, &column, &offset) == SQLITE_OK, Int(phrase) < phrases { frequency[Int(phrase)] += 1 }
        }
        let average = rows > 0 ? Double(tokens) / Double(rows) : 1
        let norm = k1 * (1 - b + b * Double(length) / max(average, 1))
        var score = 0.0
        for (i, tf) in frequency.enumerated() where tf > 0 {
            let idf = i < count ? sqlite3_value_double(values?[i]) : 1e-6
            score += idf * tf * (k1 + 1) / (tf + norm)
        }
        sqlite3_result_double(context, -score)
    }
}
