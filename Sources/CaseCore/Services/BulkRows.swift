import Foundation
import GRDB

extension BulkLoad {
    /// Makes the bulk load's rows, a chunk at a time, from drawn call types, customers and
    /// topics: the same rows, in the same order, for the same seed, on whichever thread.
    struct RowMaker: Sendable {
        static let chunkSize = 2000
        static let channels = ["phone", "email", "chat", "web", "mobile", "social", "ivr", "retail"]
        static let channelCut: [UInt64] = [30, 50, 67, 77, 85, 91, 96].map { UInt64(Double($0) / 100 * 0x1p64) } + [UInt64.max]
        /// A year of history ending at `anchor`.
        static let span = 365.0 * 86400

        let callTypes: [(code: String, priority: Int, minutes: Int)]
        let codes: [String]
        let agents: [Int64]
        let customers: [BulkCustomer]
        let topics: [[(subject: String, body: String)]]
        let anchor: Double
        let count: Int
        let openShare: Double
        let firstId: Int64

        /// Rows of cases, their `created` events and their search documents, flattened
        /// (16, 6 and 4 values a row).
        struct Chunk: Sendable {
            var cases: [DatabaseValue] = []
            var events: [DatabaseValue] = []
            var documents: [DatabaseValue] = []
        }

        func chunk(from start: Int, rng: inout SplitMix64) -> Chunk {
            var out = Chunk()
            let end = min(start + Self.chunkSize, count)
            out.cases.reserveCapacity(16 * (end - start)); out.events.reserveCapacity(6 * (end - start)); out.documents.reserveCapacity(4 * (end - start))
            func values(_ row: [(any DatabaseValueConvertible)?]) -> [DatabaseValue] { row.map { $0?.databaseValue ?? .null } }
            for i in start..<end {
                let id = firstId + Int64(i)
                let created = anchor - Self.span + Self.span * (Double(i) + rng.unit()) / Double(max(count, 1))
                let r = rng.next()
                let channel = Self.channels[Self.channelCut.firstIndex { r <= $0 } ?? 0]
                let t = rng.below(callTypes.count)
                let ct = callTypes[t]
                let topic = topics[t][rng.below(BulkLoad.topicsPerCallType)]
                let subject = topic.subject
                let due = created + Double(ct.minutes) * 60
                let who = customers[rng.below(customers.count)]
                let words = BulkText.firstWords(topic.body, lang: who.lang, rng: &rng)
                out.events += values([id, created, "created", channel, channel, words])
                out.documents += values(SearchIndex.caseDocument(id: id, customer: who.name, subject: subject, bodies: [words]))
                if rng.unit() < openShare {
                    // Open: most wait in the queue, some sit with an agent.
                    let assigned = !agents.isEmpty && rng.unit() < 0.3
                    let status = assigned ? (rng.unit() < 0.7 ? "open" : "pending") : "new"
                    out.cases += values([
                        id, who.id, channel, ct.code, subject, status, ct.priority,
                        assigned ? agents[rng.below(agents.count)] : nil, created,
                        assigned ? created + 600 : nil, due, nil, nil, nil, rng.below(3) == 0, created,
                    ])
                } else {
                    let resolved = created + Double(ct.minutes) * 60 * rng.unit() * 0.8
                    out.cases += values([
                        id, who.id, channel, ct.code, subject, "resolved", ct.priority,
                        agents.isEmpty ? nil : agents[rng.below(agents.count)], created,
                        created + 300 + 3000 * rng.unit(), due, resolved, codes[rng.below(codes.count)],
                        rng.below(2) == 0 ? 3 + rng.below(3) : nil, rng.below(3) == 0, resolved,
                    ])
                }
            }
            return out
        }
    }

    /// A bounded hand-over between one maker thread and one writer: `put` waits while
    /// `capacity` items are waiting, and says false once the writer has given up.
    final class Handoff<Item: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [Item] = []
        private let capacity: Int
        private var finished = false, cancelled = false

        init(capacity: Int) { self.capacity = capacity }

        func put(_ item: Item) -> Bool {
            condition.lock(); defer { condition.unlock() }
            while items.count >= capacity, !cancelled { condition.wait() }
            guard !cancelled else { return false }
            items.append(item)
            condition.broadcast()
            return true
        }

        /// The next item, or nil once the maker has finished and all are taken.
        func take() -> Item? {
            condition.lock(); defer { condition.unlock() }
            while items.isEmpty, !finished { condition.wait() }
            guard !items.isEmpty else { return nil }
            condition.broadcast()
            return items.removeFirst()
        }

        func finish() { condition.lock(); finished = true; condition.broadcast(); condition.unlock() }
        func cancel() { condition.lock(); cancelled = true; items.removeAll(); condition.broadcast(); condition.unlock() }
    }
}
