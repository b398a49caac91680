#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw

/// A one-line, user-facing reason the terminal could not be used.
public struct TerminalError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The ncursesw screen. Curses is single-threaded: create, draw, read keys and
/// end on one thread only (hence not Sendable).
public final class CursesScreen: Screen {
    public private(set) var supportsColor = false
    public private(set) var unicode = false
    private var ended = false
    private var suspended = false
    private let waker: Waker?
    /// Per role: colour pair (when colour is on) and fallback attributes.
    private var rolePair: [ColorRole: Int16] = [:]
    private var roleAttr: [ColorRole: TextAttr] = [:]

    /// Check the environment, then set up curses.
    /// - Parameters:
    ///   - waker: if given, SIGWINCH also wakes `TerminalLoop.wait` (signals may
    ///     land on another thread and then not interrupt poll()). Signals always
    ///     ring `Waker.process`, so pass that one (the loop must wait on it).
    ///   - rawKeys: raw mode (default): ^C, ^Z, ^S, ^Q arrive as keys rather than
    ///     signals/flow control. false = cbreak (^C sends SIGINT → exit 130).
    /// - Throws: `TerminalError` with a one-line message, nothing printed.
    public static func start(waker: Waker? = nil, rawKeys: Bool = true,
                             environment: [String: String]? = nil) throws -> CursesScreen {
        let env = environment ?? currentEnvironment()
        let term = env["TERM"] ?? ""
        try requireTerminal(environment: env)
        setlocale(LC_ALL, "")
        let s = CursesScreen(waker: waker)
        // newterm (not initscr) so an unknown TERM returns NULL instead of exiting.
        guard cd_newterm() != nil else {
            throw TerminalError("casedesk: unknown terminal type TERM=\(term); try TERM=xterm-256color")
        }
        TerminalGuard.install()
        s.setUp(rawKeys: rawKeys, noColor: !(env["NO_COLOR"] ?? "").isEmpty)
        TerminalGuard.forwardResize(waker != nil)
        return s
    }

    /// Whether the desk can run here (stdin and stdout a tty, a usable TERM): asked before
    /// anything is created, so `casedesk` with no terminal writes nothing.
    public static func requireTerminal(environment: [String: String]? = nil) throws {
        let term = (environment ?? currentEnvironment())["TERM"] ?? ""
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError("casedesk: the desk needs a terminal (stdin/stdout are not a tty); use the command-line subcommands for scripts")
        }
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalError("casedesk: the desk needs a terminal (TERM=\(term.isEmpty ? "<unset>" : term)); set TERM, e.g. TERM=xterm-256color")
        }
    }

    private init(waker: Waker?) { self.waker = waker }

    deinit { end() }

    private func setUp(rawKeys: Bool, noColor: Bool) {
        let codeset = cd_codeset().map { String(cString: $0) } ?? ""
        unicode = codeset.uppercased().filter { $0 != "-" } == "UTF8"
        let w = cd_stdscr()
        if rawKeys { raw() } else { cbreak() }
        noecho()
        nonl()
        keypad(w, true)
        nodelay(w, true)       // readKey never blocks; TerminalLoop does the waiting
        set_escdelay(25)
        curs_set(0)
        if !noColor && has_colors() { setUpColors() }
        setUpRoleAttrs()
    }

    private func setUpColors() {
        guard start_color() == cd_ok() else { return }
        let defaultsOK = use_default_colors() == cd_ok()
        let bgDefault: Int16 = defaultsOK ? -1 : cd_color_black()
        let fgDefault: Int16 = defaultsOK ? -1 : cd_color_white()
        let muted: Int16 = cd_colors() >= 16 ? 8 : fgDefault   // bright black = grey
        let table: [(ColorRole, Int16, Int16)] = [
            (.accent, cd_color_cyan(), bgDefault),
            (.ok, cd_color_green(), bgDefault),
            (.warn, cd_color_yellow(), bgDefault),
            (.danger, cd_color_red(), bgDefault),
            (.muted, muted, bgDefault),
            (.selection, cd_color_black(), cd_color_cyan()),
            (.banner, cd_color_white(), cd_color_blue()),
        ]
        guard cd_color_pairs() > table.count else { return }
        for (role, fg, bg) in table {
            let pair = Int16(role.rawValue)
            if init_pair(pair, fg, bg) == cd_ok() { rolePair[role] = pair }
        }
        supportsColor = !rolePair.isEmpty
    }

    private func setUpRoleAttrs() {
        // Without colour, roles still need to be distinguishable.
        if supportsColor {
            roleAttr = [.danger: .bold, .banner: .bold]
            if cd_colors() < 16 { roleAttr[.muted] = .dim }
        } else {
            roleAttr = [.accent: .bold, .warn: .bold, .danger: [.bold, .underline],
                        .muted: .dim, .selection: .reverse, .banner: [.reverse, .bold]]
        }
    }

    private static func currentEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        for key in ["TERM", "NO_COLOR"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        return env
    }

    // MARK: - Screen

    public var size: ScreenSize {
        let w = cd_stdscr()
        return ScreenSize(cols: Int(cd_getmaxx(w)), rows: Int(cd_getmaxy(w)))
    }

    public func clear() { werase(cd_stdscr()) }

    private func cursesAttr(_ attr: TextAttr, _ color: ColorRole) -> attr_t {
        let a = attr.union(roleAttr[color] ?? [])
        var r = cd_a_normal()
        if a.contains(.bold) { r |= cd_a_bold() }
        if a.contains(.reverse) { r |= cd_a_reverse() }
        if a.contains(.dim) { r |= cd_a_dim() }
        if a.contains(.underline) { r |= cd_a_underline() }
        return r
    }

    @discardableResult
    public func put(_ text: String, x: Int, y: Int, maxWidth: Int?, attr: TextAttr, color: ColorRole) -> Int {
        let sz = size
        guard y >= 0, y < sz.rows, !ended else { return 0 }
        let a = cursesAttr(attr, color)
        let pair = rolePair[color] ?? 0
        let w = cd_stdscr()
        // Printable ASCII (most of any screen): one cell a byte, drawn in one call.
        var ascii = text
        if ascii.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let limit = min(sz.cols, maxWidth.map { x + max(0, $0) } ?? sz.cols)
            let start = max(x, 0), end = min(limit, x + ascii.utf8.count)
            if start < end {
                ascii.withUTF8 { bytes in
                    let run = UnsafeRawPointer(bytes.baseAddress! + (start - x)).assumingMemoryBound(to: CChar.self)
                    // ERR at the bottom-right cell is expected (the cursor cannot advance); the text is drawn.
                    _ = cd_mvaddnstr_attr(w, Int32(y), Int32(start), run, Int32(end - start), a, pair)
                }
            }
            return max(0, end - x)
        }
        let (cells, used) = layoutText(text, x: x, maxWidth: maxWidth, cols: sz.cols, unicode: unicode)
        for p in cells where !p.joinsPrevious {   // orphan marks: curses can't append to a cell
            draw(p, y: Int32(y), attr: a, pair: pair, window: w)
        }
        return used
    }

    private func draw(_ p: PlacedCell, y: Int32, attr: attr_t, pair: Int16, window w: UnsafeMutablePointer<WINDOW>?) {
        // One piece of a cluster (see `terminalPieces`): a spacing scalar and its marks.
        var scalars = Array(p.text.unicodeScalars)
        let x = Int32(p.x)
        let libcWidth = cd_wcwidth(wchar_t(bitPattern: scalars[0].value))
        // Not printable in this locale: curses would show ^X or ~ instead.
        if libcWidth < 0 {
            for i in 0..<p.width { addOne(["?"], x: x + Int32(i), y: y, attr: attr, pair: pair, window: w) }
            return
        }
        // We say wide, libc (hence curses) says narrow (❤️, ☺️): send the bare
        // base so the terminal draws it narrow too, and blank the right half.
        if p.width == 2, libcWidth == 1 {
            addOne([scalars[0]], x: x, y: y, attr: attr, pair: pair, window: w)
            addOne([" "], x: x + 1, y: y, attr: attr, pair: pair, window: w)
            return
        }
        // setcchar takes one spacing char + up to 4 marks; beyond that, or a mark
        // libc does not know as one, keep the base.
        if !addOne(scalars, x: x, y: y, attr: attr, pair: pair, window: w) {
            scalars = [scalars[0]]
            addOne(scalars, x: x, y: y, attr: attr, pair: pair, window: w)
        }
    }

    @discardableResult
    private func addOne(_ scalars: [Unicode.Scalar], x: Int32, y: Int32, attr: attr_t, pair: Int16,
                        window w: UnsafeMutablePointer<WINDOW>?) -> Bool {
        // setcchar accepts one spacing char followed by non-spacing ones only.
        guard scalars.count <= 5,
              scalars.dropFirst().allSatisfy({ cd_wcwidth(wchar_t(bitPattern: $0.value)) == 0 }) else { return false }
        var ws = scalars.map { wchar_t(bitPattern: $0.value) }
        ws.append(0)
        // ERR at the bottom-right cell is expected (cursor cannot advance); the cell is drawn.
        _ = cd_mvadd_wstr_attr(w, y, x, &ws, attr, pair)
        return true
    }

    public func fill(x: Int, y: Int, width: Int, height: Int, char: Character, attr: TextAttr, color: ColorRole) {
        guard width > 0, height > 0 else { return }
        let line = String(repeating: String(char), count: width)
        for row in y..<(y + height) { put(line, x: x, y: row, maxWidth: width, attr: attr, color: color) }
    }

    private var cursorPosition: (x: Int, y: Int)?

    public func setCursor(_ position: (x: Int, y: Int)?) { cursorPosition = position }

    public func refresh() {
        guard !ended, !suspended else { return }
        let w = cd_stdscr()
        if let c = cursorPosition {
            wmove(w, Int32(c.y), Int32(c.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wrefresh(w)
    }

    /// After KEY_RESIZE: ncurses has resized stdscr; force a full repaint next refresh.
    public func handleResize() {
        clearok(cd_stdscr(), true)
    }

    // MARK: - Keys

    /// Next key, or nil when none is waiting (never blocks). After
    /// `TerminalLoop.wait` reports input, call until nil: ncurses may buffer.
    public func readKey() -> Key? {
        guard !ended, !suspended else { return nil }
        var wc: wint_t = 0
        let r = wget_wch(cd_stdscr(), &wc)
        if r == cd_err() { return nil }
        let code = Int32(bitPattern: UInt32(wc))
        if r == cd_key_code_yes() { return Self.functionKey(code) }
        return Self.charKey(code)
    }

    static func functionKey(_ code: Int32) -> Key {
        switch code {
        case cd_key_resize(): return .resize
        case cd_key_up(): return .up
        case cd_key_down(): return .down
        case cd_key_left(): return .left
        case cd_key_right(): return .right
        case cd_key_ppage(): return .pageUp
        case cd_key_npage(): return .pageDown
        case cd_key_home(): return .home
        case cd_key_end(): return .end
        case cd_key_btab(): return .backTab
        case cd_key_enter(): return .enter
        case cd_key_backspace(): return .backspace
        case cd_key_dc(): return .delete
        case cd_key_ic(): return .insert
        case cd_key_f(1)...cd_key_f(24): return .f(Int(code - cd_key_f0()))
        default: return .unknown(Int(code))
        }
    }

    static func charKey(_ code: Int32) -> Key {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))  // ^A → "a"
        case 28...31: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 64)))  // ^\ ^] ^^ ^_
        default:
            guard let s = Unicode.Scalar(UInt32(bitPattern: code)) else { return .unknown(Int(code)) }
            return .char(Character(s))
        }
    }

    // MARK: - Lifecycle

    /// Hand the terminal to a child (e.g. $EDITOR). Pair with `resume()`.
    public func suspend() {
        guard !ended, !suspended else { return }
        def_prog_mode()
        endwin()
        suspended = true
        TerminalGuard.enterChildMode()
    }

    /// Take the terminal back after `suspend()` and repaint.
    public func resume() {
        guard !ended, suspended else { return }
        TerminalGuard.leaveChildMode()
        suspended = false
        reset_prog_mode()
        clearok(cd_stdscr(), true)
        wrefresh(cd_stdscr())
    }

    /// Run `body` (e.g. spawning $EDITOR and waiting) with the terminal restored.
    public func withSuspended<T>(_ body: () throws -> T) rethrows -> T {
        suspend()
        defer { resume() }
        return try body()
    }

    /// Restore the terminal. Idempotent; also run by deinit, signals and atexit.
    public func end() {
        guard !ended else { return }
        ended = true
        TerminalGuard.forwardResize(false)
        if !isendwin() { endwin() }
        TerminalGuard.uninstall()
    }
}
