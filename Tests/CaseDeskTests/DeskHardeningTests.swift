import CaseCore
import Foundation
import GRDB
import Testing
@testable import CaseDesk

/// The desk with its effects on the worker, as in the terminal: another process
/// holding the write lock must not freeze it.
@Suite struct DeskWorkerTests {
    static func backgroundDesk() throws -> (Desk, VirtualScreen, CaseStore) {
        let store = try DeskFixtures.store()
        let screen = VirtualScreen(cols: 160, rows: 45)
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: { DeskFixtures.now })
        desk.runEffectsInBackground {}
        desk.start()
        #expect(desk.waitUntilIdle())
        return (desk, screen, store)
    }

    @Test func aHeldWriteLockDoesNotFreezeTheDesk() throws {
        let (desk, screen, store) = try Self.backgroundDesk()
        #expect(desk.state.queue.rows.count == 3)
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.waitUntilIdle())
        let id = try #require(desk.state.open?.id)
        let notesBefore = try store.detail(id).events.filter { $0.kind == .note }.count

        // Another process (here: another connection) takes the write lock and keeps it.
        let lock = try LockHolder(path: store.path)
        // Two notes typed one after the other, both against the version on screen.
        for text in ["first while locked", "second while locked"] {
            DeskFixtures.keys(desk, [.char("i")])
            DeskFixtures.type(desk, text)
            DeskFixtures.keys(desk, [.enter])
        }
        // Keys still move and read: the queue selection and the case that opens.
        DeskFixtures.keys(desk, [.escape, .tab, .tab, .down])
        let moved = desk.state.queue.selected
        // Every key above returned while the lock was still held: nothing waited for it.
        #expect(desk.writesPending)
        usleep(UInt32(Desk.savingAfter * 1_000_000) + 50_000)
        desk.takeResults()
        #expect(desk.state.saving)
        #expect(screen.row(0).contains("saving…"))
        #expect(try store.detail(id).events.filter { $0.kind == .note }.count == notesBefore)

        lock.release()
        #expect(desk.waitUntilIdle())
        let notes = try store.detail(id).events.filter { $0.kind == .note }.compactMap(\.body)
        #expect(notes.suffix(2) == ["first while locked", "second while locked"])
        #expect(!desk.state.saving)
        #expect(!screen.row(0).contains("saving…"))
        #expect(desk.state.queue.selected == moved)
        #expect(desk.state.overlay == nil, "no conflict for this desk's own queued edits")
    }

    @Test func finishWaitsForQueuedWritesAndClosesTheInterval() throws {
        let (desk, _, store) = try Self.backgroundDesk()
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.waitUntilIdle())
        let id = try #require(desk.state.open?.id)
        DeskFixtures.keys(desk, [.char("i")])
        DeskFixtures.type(desk, "last words")
        DeskFixtures.keys(desk, [.enter])
        desk.finish()
        #expect(try store.detail(id).events.last { $0.kind == .note }?.body == "last words")
        let open = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM work_intervals WHERE ended_at IS NULL") }
        #expect(open == 0)
    }
}

/// Holds the database's write lock from another connection until `release()`.
final class LockHolder: @unchecked Sendable {
    private let release_ = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let held = DispatchSemaphore(value: 0)
        Thread { [release_, done] in
            try? queue.inTransaction(.immediate) { _ in
                held.signal()
                release_.wait()
                return .commit
            }
            done.signal()
        }.start()
        held.wait()
    }
    func release() { release_.signal(); done.wait() }
}

/// Names and text that are not one code point per cell.
@Suite struct GraphemeClusterTests {
    static let names = ["अनीता पटेल", "สมชาย ใจดี", "Nguye\u{302}\u{303}n Thi\u{323} Ha\u{306}\u{300}ng"]
    static let emoji = "👍🏽👩🏾‍💻🇬🇧"

    /// Widths as tmux 3.3 and glibc's wcwidth count them (measured with the cursor
    /// position after printing each string in a tmux pane), so curses and the
    /// terminal agree on where every cell is.
    @Test func widthsMatchTheTerminal() {
        #expect(displayWidth(of: "अनीता पटेल") == 9)
        #expect(displayWidth(of: "नी") == 2)
        #expect(displayWidth(of: "स्") == 1)
        #expect(displayWidth(of: "สมชาย ใจดี") == 9)
        #expect(displayWidth(of: "Nguye\u{302}\u{303}n") == 6)
        #expect(displayWidth(of: "👍🏽") == 4)
        #expect(displayWidth(of: "🇬🇧") == 2)
        #expect(displayWidth(of: "👍") == 2)
        // A cut never splits a cluster: the vowel sign stays with its consonant.
        #expect(truncate("अनीता पटेल", toWidth: 4) == "अनी…")
        #expect(truncate(Self.emoji, toWidth: 5) == "👍🏽…")
    }

    @Test func clustersAreDrawnWhole() {
        let screen = VirtualScreen(cols: 30, rows: 4)
        for (y, name) in (Self.names + [Self.emoji]).enumerated() {
            screen.put(name, x: 0, y: y)
            screen.put("|", x: 20, y: y)
        }
        #expect(screen.row(0) == "अनीता पटेल           |")
        #expect(screen.row(1) == "สมชาย ใจดี           |")
        #expect(screen.row(2) == "Nguye\u{302}\u{303}n Thi\u{323} Ha\u{306}\u{300}ng     |")
        #expect(screen.row(3) == "👍🏽👩🏾💻🇬🇧        |")   // the joiner is left out, every piece shown
        // Clipped at a cluster boundary: 👍🏽 needs 4 cells, 3 are left.
        let narrow = VirtualScreen(cols: 10, rows: 1)
        narrow.put("ab" + Self.emoji, x: 0, y: 0, maxWidth: 5)
        #expect(narrow.row(0) == "ab")
    }

    @Test func deskGoldenWithIndicThaiVietnameseAndEmoji() throws {
        let store = try DeskFixtures.store()
        for (i, name) in Self.names.enumerated() {
            let id = try store.createCase(NewCase(customer: name, channel: .chat, callType: "billing", subject: "Question \(i + 1) " + Self.emoji,
                                                  body: "Hello from " + name, createdAt: DeskFixtures.now.addingTimeInterval(-600)), by: nil)
            try store.assign(id, to: "alice", by: "dana")
        }
        let screen = VirtualScreen(cols: 120, rows: 24)
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: { DeskFixtures.now })
        desk.start()
        let row = try #require(desk.state.queue.rows.firstIndex { $0.customer == Self.names[0] })
        DeskFixtures.keys(desk, Array(repeating: .down, count: row) + [.enter])
        #expect(desk.state.open?.detail.customer.name == Self.names[0])
        try expectGolden(screen, "desk-120x24-clusters")
        // Every queue row is as wide as the pane: the border after each name lines up.
        let text = screen.text().split(separator: "\n", omittingEmptySubsequences: false)
        for name in Self.names {
            let line = try #require(text.first { $0.contains(name) && $0.contains("billing") })
            #expect(displayWidth(of: String(line)) <= 120)
        }
    }
}

/// One home for what reaches the terminal.
@Suite struct SafeTextTests {
    @Test func controlsBecomeVisibleAndBidiGoes() {
        #expect(SafeText.line("Mallory \u{1B}]0;PWNED\u{07}\u{1B}[2J") == "Mallory ␛]0;PWNED␇␛[2J")
        #expect(SafeText.line("a\u{0}b\u{7F}c\u{9B}d") == "a␀b␡c\u{FFFD}d")
        #expect(SafeText.line("x\u{202E}gnp.exe\u{2066}y\u{2069}") == "xgnp.exey")
        #expect(SafeText.line("one\r\ntwo\nthree\tfour") == "one two three four")
        #expect(SafeText.block("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour")
        #expect(SafeText.line("plain ASCII") == "plain ASCII")
        #expect(SafeText.line("李娜 👩🏾‍💻") == "李娜 👩🏾‍💻")
        let huge = String(repeating: "\u{1B}[2J", count: 10_000)
        #expect(!SafeText.line(huge).unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test func theScreenNeverReceivesAControl() {
        let screen = VirtualScreen(cols: 40, rows: 1)
        screen.put("Mallory \u{1B}]0;PWNED\u{07}\u{1B}[2J\u{202E}x", x: 0, y: 0)
        #expect(screen.row(0) == "Mallory ␛]0;PWNED␇␛[2Jx")
        #expect(!screen.row(0).unicodeScalars.contains { SafeText.isUnsafe($0.value) })
    }
}

/// Drawing only the panes that changed must leave exactly the screen a full draw gives.
@Suite struct PartialRedrawTests {
    @Test func everyKeyLeavesTheScreenAFullDrawWouldGive() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        let keys: [Key] = [.down, .down, .up, .enter, .tab, .tab, .tab, .down, .char("j"), .pageDown, .pageUp, .enter,
                           .char("i"), .char("o"), .char("k"), .enter, .tab, .down, .up, .char("?"), .escape, .down, .enter]
        for key in keys {
            desk.send(.key(key))
            let full = VirtualScreen(cols: 160, rows: 45)
            DeskView.render(desk.state, on: full)
            #expect(screen.text() == full.text(), "after \(key)")
            #expect(screen.colorMap() == full.colorMap(), "after \(key)")
        }
    }
}
