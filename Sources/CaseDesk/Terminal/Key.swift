/// A key press as the desk sees it. Ctrl-letter keys arrive as `.ctrl("r")`
/// (lowercase); Tab, Enter, Backspace and Escape have their own cases.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backTab, backspace, escape, delete, insert
    case resize
    case ctrl(Character)
    case f(Int)
    /// A curses key code we do not name (e.g. shifted arrows).
    case unknown(Int)
}

extension Key: CustomStringConvertible {
    /// Human name for help overlays and hint lines: "Ctrl-R", "PgUp", "x".
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .escape: return "Esc"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .resize: return "Resize"
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .f(let n): return "F\(n)"
        case .unknown(let n): return "Key(\(n))"
        }
    }

    /// ASCII-only name for non-UTF-8 terminals.
    public var asciiDescription: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        default: return asciiFallback(description)
        }
    }
}

extension Key {
    /// Parse a key name as written in keymap files: "j", "ctrl-r", "C-r",
    /// "enter", "esc", "pgup", "shift-tab", "f5", "space", "up", "?".
    public init?(name: String) {
        if name.count == 1, let c = name.first { self = .char(c); return }
        let n = name.lowercased()
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where n.hasPrefix(prefix) {
            let rest = n.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first else { return nil }
            self = .ctrl(c); return
        }
        switch n {
        case "space": self = .char(" ")
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup", "ppage": self = .pageUp
        case "pgdn", "pgdown", "pagedown", "npage": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter", "return", "ret": self = .enter
        case "tab": self = .tab
        case "shift-tab", "backtab", "btab", "s-tab": self = .backTab
        case "backspace", "bs": self = .backspace
        case "esc", "escape": self = .escape
        case "del", "delete": self = .delete
        case "ins", "insert": self = .insert
        default:
            if n.hasPrefix("f"), let k = Int(n.dropFirst()), (1...24).contains(k) { self = .f(k); return }
            return nil
        }
    }
}
