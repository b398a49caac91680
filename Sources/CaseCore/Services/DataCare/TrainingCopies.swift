import Foundation
import GRDB

/// Which training databases were made from which real cases, recorded in the source
/// database by `train genericize`, so an erasure can name the copies made from a customer's
/// cases. (The copies themselves hold no customer details: genericize replaces them and
/// checks that none remain before it writes the file.)
public enum TrainingCopies {
    /// Best effort: a trainer who may read but not write the source still gets the copy.
    @discardableResult
    public static func record(source: String, output: String, caseIds: [Int64], by login: String = NSUserName(), at: Date) -> Bool {
        let absolute = URL(fileURLWithPath: output).standardizedFileURL.path
        do {
            let store = try CaseStore(path: source)
            try store.write { db in
                for id in caseIds {
                    try db.execute(sql: "INSERT INTO training_copies(case_id, output, made_at, made_by) VALUES (?, ?, ?, ?)",
                                   arguments: [id, absolute, at.timeIntervalSince1970, login])
                }
            }
            try store.pool.close()
            return true
        } catch {
            return false
        }
    }
}
