import Testing
import Foundation
@testable import CaseDesk
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DisplayWidthTests {
    @Test func widths() {
        #expect(displayWidth(of: "李娜") == 4)
        #expect(displayWidth(of: "Núñez") == 5)
        #expect(displayWidth(of: "Nu\u{303}n\u{303}ez") == 5)   // decomposed
        #expect(displayWidth(of: "👍") == 2)
        #expect(displayWidth(of: "👍🏽") == 4)                  // skin tone: 👍|🏽, as tmux and wcwidth draw it
        #expect(displayWidth(of: "👩‍💻") == 4)                  // ZWJ sequence: drawn as 👩|💻 (see terminalPieces)
        #expect(displayWidth(of: "🇫🇷") == 2)                  // flag
        #expect(displayWidth(of: "❤️") == 2)                   // VS16
        #expect(displayWidth(of: "❤") == 1)
        #expect(displayWidth(of: "ｶﾀｶﾅ") == 4)                 // halfwidth katakana
        #expect(displayWidth(of: "ＡＢ") == 4)                  // fullwidth
        #expect(displayWidth(of: "한국어") == 6)
        #expect(displayWidth(of: "a\u{200B}b") == 2)          // zero-width space
        #expect(displayWidth(of: "a\u{7}b") == 2)             // BEL dropped
        #expect(displayWidth(of: "") == 0)
    }

    @Test func truncateAndPad() {
        #expect(truncate("Hello world", toWidth: 8) == "Hello w…")
        #expect(truncate("Hello", toWidth: 5) == "Hello")
        #expect(truncate("李娜李娜", toWidth: 6) == "李娜…")     // 4 + 1, no half char
        #expect(truncate("李娜李娜", toWidth: 5) == "李娜…")
        #expect(truncate("abc", toWidth: 0) == "")
        #expect(truncate("abcdef", toWidth: 4, ellipsis: "...") == "a...")
        #expect(pad("李", toWidth: 4) == "李  ")
        #expect(pad("ab", toWidth: 4, alignment: .right) == "  ab")
        #expect(pad("abcdef", toWidth: 4) == "abc…")
        #expect(displayWidth(of: pad("María Núñez 李娜", toWidth: 12)) == 12)
    }

    @Test func asciiFallbackIsReadable() {
        #expect(asciiFallback("María Núñez 李娜") == "Maria Nunez li na")
        #expect(asciiFallback("straße – “quoted”") == "strasse - \"quoted\"")
        #expect(asciiFallback("plain") == "plain")
        #expect(asciiFallback("ok 👍").hasPrefix("ok ?"))
        let folded = asciiFallback("┌─┐")
        #expect(folded.allSatisfy { $0.isASCII })
    }
}

@Suite struct VirtualScreenTests {
    @Test func putAndText() {
        let s = VirtualScreen(cols: 10, rows: 3)
        #expect(s.put("Hi 李娜", x: 1, y: 0) == 7)
        #expect(s.text() == " Hi 李娜\n\n")
        #expect(s.cell(x: 4, y: 0).text == "李")
        #expect(s.cell(x: 5, y: 0).text == "")
        #expect(s.row(0) == " Hi 李娜")
    }

    @Test func clipsWideCharAtEdge() {
        let s = VirtualScreen(cols: 5, rows: 2)
        #expect(s.put("ab李娜", x: 0, y: 0) == 5)        // 李 fits at 2-3, 娜 would need 4-5
        #expect(s.row(0) == "ab李")
        #expect(s.cell(x: 4, y: 0).text == " ")
        #expect(s.put("李娜", x: 0, y: 1, maxWidth: 3) == 3)
        #expect(s.row(1) == "李")
        #expect(s.put("x", x: 7, y: 1) == 0)              // off screen
        #expect(s.put("x", x: 0, y: 5) == 0)
    }

    @Test func overwritingHalfAWideChar() {
        let s = VirtualScreen(cols: 6, rows: 1)
        s.put("李娜", x: 0, y: 0)
        s.put("x", x: 1, y: 0)                           // right half of 李
        #expect(s.row(0) == " x娜")
        s.put("y", x: 2, y: 0)                           // left half of 娜
        #expect(s.row(0) == " xy")
    }

    @Test func combiningMarksJoinPreviousCell() {
        let s = VirtualScreen(cols: 6, rows: 1)
        s.put("e", x: 0, y: 0)
        s.put("\u{301}", x: 1, y: 0)
        #expect(s.cell(x: 0, y: 0).text == "e\u{301}")
        #expect(s.put("n\u{303}", x: 2, y: 0) == 1)
        #expect(s.row(0) == "e\u{301} n\u{303}")
    }

    @Test func attributesAndColours() {
        let s = VirtualScreen(cols: 8, rows: 1)
        s.put("ok", x: 0, y: 0, attr: .bold, color: .ok)
        s.put("no", x: 3, y: 0, color: .danger)
        #expect(s.styledRow(0)[0] == Cell(text: "o", attr: .bold, color: .ok))
        #expect(s.text(y: 0, color: .danger) == "no")
        #expect(s.colorMap() == "OOnddnnn")
    }

    @Test func boxDrawing() {
        let s = VirtualScreen(cols: 12, rows: 4)
        s.box(x: 0, y: 0, w: 12, h: 4, title: "Queue")
        s.put("李娜", x: 1, y: 1, maxWidth: 10)
        #expect(s.text() == """
        ┌─ Queue ──┐
        │李娜      │
        │          │
        └──────────┘
        """)
        let a = VirtualScreen(cols: 8, rows: 3, unicode: false)
        a.box(x: 0, y: 0, w: 8, h: 3, title: "Núñez wide title")
        a.put("Núñez", x: 1, y: 1)
        #expect(a.text() == """
        +- Nu~ +
        |Nunez |
        +------+
        """)
    }

    @Test func resizeAndFill() {
        let s = VirtualScreen(cols: 4, rows: 2)
        s.fill(x: 0, y: 0, width: 4, height: 2, char: ".")
        s.put("ab李", x: 0, y: 0)
        s.resize(cols: 3, rows: 3)
        #expect(s.text() == "ab\n...\n")
        #expect(s.size == ScreenSize(cols: 3, rows: 3))
        s.clear()
        #expect(s.text() == "\n\n")
    }
}

@Suite struct KeyTests {
    @Test func names() {
        #expect(Key(name: "ctrl-r") == .ctrl("r"))
        #expect(Key(name: "PgUp") == .pageUp)
        #expect(Key(name: "f5") == .f(5))
        #expect(Key(name: "?") == .char("?"))
        #expect(Key(name: "bogus") == nil)
        #expect(Key.ctrl("r").description == "Ctrl-R")
    }

    @Test func cursesCodes() {
        #expect(CursesScreen.charKey(18) == .ctrl("r"))
        #expect(CursesScreen.charKey(13) == .enter)
        #expect(CursesScreen.charKey(127) == .backspace)
        #expect(CursesScreen.charKey(0x674E) == .char("李"))
    }
}

@Suite struct TerminalLoopTests {
    @Test func timeoutWithoutInput() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let loop = try TerminalLoop(inputFD: fds[0])
        #expect(loop.wait(timeoutMs: 10).isTimeout)
    }

    @Test func wakerWakesPollFromAnotherThread() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let loop = try TerminalLoop(inputFD: fds[0])
        let waker = loop.waker
        let t = Thread { usleep(20_000); waker.wake(); waker.wake() }
        t.start()
        let r = loop.wait(timeoutMs: 5_000)
        #expect(r == .wake)
        #expect(loop.wait(timeoutMs: 0).isTimeout)          // coalesced and drained
    }

    @Test func inputIsReported() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let loop = try TerminalLoop(inputFD: fds[0])
        var b: UInt8 = 0x61
        #expect(write(fds[1], &b, 1) == 1)
        #expect(loop.wait(timeoutMs: 1_000).contains(.input))
    }

    @Test func refusesWithoutTerminal() {
        #expect(throws: TerminalError.self) {
            _ = try CursesScreen.start(environment: ["TERM": "dumb"])
        }
    }
}
