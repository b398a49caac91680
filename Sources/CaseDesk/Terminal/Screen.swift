/// Text attributes; combine freely (`[.bold, .underline]`).
public struct TextAttr: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let normal: TextAttr = []
    public static let bold = TextAttr(rawValue: 1 << 0)
    public static let reverse = TextAttr(rawValue: 1 << 1)
    public static let dim = TextAttr(rawValue: 1 << 2)
    public static let underline = TextAttr(rawValue: 1 << 3)
}

/// Semantic colours; each screen decides how to show them (colour pair, or an
/// attribute when colour is off / NO_COLOR).
public enum ColorRole: Int, CaseIterable, Hashable, Sendable {
    case normal, accent, ok, warn, danger, muted, selection, banner
}

public struct ScreenSize: Equatable, Hashable, Sendable {
    public var cols: Int
    public var rows: Int
    public init(cols: Int, rows: Int) { self.cols = cols; self.rows = rows }
}

/// One terminal cell. `text` is one grapheme, or "" for the right half of a
/// wide character.
public struct Cell: Equatable, Hashable, Sendable {
    public var text: String
    public var attr: TextAttr
    public var color: ColorRole
    public init(text: String = " ", attr: TextAttr = .normal, color: ColorRole = .normal) {
        self.text = text; self.attr = attr; self.color = color
    }
    public static let blank = Cell()
    public var isContinuation: Bool { text.isEmpty }
}

/// A drawing surface: `CursesScreen` for the terminal, `VirtualScreen` for tests.
/// Coordinates are 0-based cells; everything is clipped to the screen.
public protocol Screen: AnyObject {
    var size: ScreenSize { get }
    /// False under NO_COLOR or on terminals without colour.
    var supportsColor: Bool { get }
    /// False when the locale is not UTF-8: text is drawn through `asciiFallback`
    /// and boxes use +-|.
    var unicode: Bool { get }
    func clear()
    /// Draw `text` at (x, y), clipped to `maxWidth` cells and the screen edge.
    /// Returns the display cells used. Wide chars take 2 cells; one that does
    /// not fit at the clip edge becomes a space. Tabs/newlines draw as spaces.
    @discardableResult
    func put(_ text: String, x: Int, y: Int, maxWidth: Int?, attr: TextAttr, color: ColorRole) -> Int
    /// Fill a rectangle with one (narrow) character.
    func fill(x: Int, y: Int, width: Int, height: Int, char: Character, attr: TextAttr, color: ColorRole)
    /// Show the text cursor at (x, y) (for input fields), or hide it with nil.
    func setCursor(_ position: (x: Int, y: Int)?)
    func refresh()
}

public extension Screen {
    @discardableResult
    func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil,
             attr: TextAttr = .normal, color: ColorRole = .normal) -> Int {
        put(text, x: x, y: y, maxWidth: maxWidth, attr: attr, color: color)
    }

    func fill(x: Int, y: Int, width: Int, height: Int, char: Character = " ",
              attr: TextAttr = .normal, color: ColorRole = .normal) {
        fill(x: x, y: y, width: width, height: height, char: char, attr: attr, color: color)
    }

    /// Clear one row (whole width) with the given style, e.g. for a status bar.
    func clearRow(_ y: Int, attr: TextAttr = .normal, color: ColorRole = .normal) {
        fill(x: 0, y: y, width: size.cols, height: 1, char: " ", attr: attr, color: color)
    }

    /// Box characters for this screen (Unicode or ASCII).
    var boxChars: BoxChars { unicode ? .unicode : .ascii }

    /// Horizontal line of `width` cells.
    func hline(x: Int, y: Int, width: Int, attr: TextAttr = .normal, color: ColorRole = .muted) {
        fill(x: x, y: y, width: width, height: 1, char: boxChars.horizontal, attr: attr, color: color)
    }

    /// Vertical line of `height` cells.
    func vline(x: Int, y: Int, height: Int, attr: TextAttr = .normal, color: ColorRole = .muted) {
        fill(x: x, y: y, width: 1, height: height, char: boxChars.vertical, attr: attr, color: color)
    }

    /// Frame of w×h cells (w, h ≥ 2) with an optional title in the top edge
    /// ("┌─ Title ─────┐"). The inside is not cleared.
    func box(x: Int, y: Int, w: Int, h: Int, title: String? = nil,
             attr: TextAttr = .normal, color: ColorRole = .muted,
             titleAttr: TextAttr = .bold, titleColor: ColorRole = .normal) {
        guard w >= 2, h >= 2 else { return }
        let b = boxChars
        put(String(b.topLeft), x: x, y: y, attr: attr, color: color)
        put(String(b.topRight), x: x + w - 1, y: y, attr: attr, color: color)
        put(String(b.bottomLeft), x: x, y: y + h - 1, attr: attr, color: color)
        put(String(b.bottomRight), x: x + w - 1, y: y + h - 1, attr: attr, color: color)
        hline(x: x + 1, y: y, width: w - 2, attr: attr, color: color)
        hline(x: x + 1, y: y + h - 1, width: w - 2, attr: attr, color: color)
        vline(x: x, y: y + 1, height: h - 2, attr: attr, color: color)
        vline(x: x + w - 1, y: y + 1, height: h - 2, attr: attr, color: color)
        if let title, !title.isEmpty, w >= 7 {
            let room = w - 5   // "┌─ " + title + " ┐"
            let t = truncate(title, toWidth: room, ellipsis: unicode ? "…" : "~")
            put(" " + t + " ", x: x + 2, y: y, maxWidth: w - 3, attr: titleAttr, color: titleColor)
        }
    }
}

public struct BoxChars: Sendable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    public static let unicode = BoxChars(horizontal: "─", vertical: "│", topLeft: "┌",
                                         topRight: "┐", bottomLeft: "└", bottomRight: "┘")
    public static let ascii = BoxChars(horizontal: "-", vertical: "|", topLeft: "+",
                                       topRight: "+", bottomLeft: "+", bottomRight: "+")
}

/// One cell placement produced by `layoutText`; shared by both screens so the
/// terminal and the golden tests clip identically.
struct PlacedCell: Equatable {
    var x: Int
    var text: String
    var width: Int
    /// A combining mark with no base in this call: append to the cell left of x.
    var joinsPrevious: Bool = false
}

/// Lay out `text` from column x, clipped to [0, min(x+maxWidth, cols)).
/// Returns placements and the number of cells advanced (within the clip).
/// The text is made safe first (`SafeText.line`); each grapheme cluster is
/// placed whole, as the pieces a terminal draws (`terminalPieces`), or not at
/// all: one that does not fit at the clip edge becomes spaces.
func layoutText(_ text: String, x: Int, maxWidth: Int?, cols: Int, unicode: Bool) -> (cells: [PlacedCell], used: Int) {
    var limit = cols
    if let maxWidth { limit = min(limit, x + max(0, maxWidth)) }
    // Fast path: printable ASCII (most of any screen) is safe and one cell a byte,
    // so there are no grapheme clusters to find.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
        let start = max(x, 0), end = min(limit, x + text.utf8.count)
        guard start < end else { return ([], max(0, min(x + text.utf8.count, limit) - x)) }
        var cells: [PlacedCell] = []
        cells.reserveCapacity(end - start)
        var cx = x
        for byte in text.utf8 {
            if cx >= end { break }
            if cx >= 0 { cells.append(PlacedCell(x: cx, text: String(UnicodeScalar(byte)), width: 1)) }
            cx += 1
        }
        return (cells, max(0, end - x))
    }
    let s = unicode ? SafeText.line(text) : asciiFallback(SafeText.line(text))
    var cells: [PlacedCell] = []
    var cx = x
    for c in s {
        if cx >= limit { break }
        let w = displayWidth(of: c)
        if w == 0 {
            // An orphan combining mark joins the previous cell.
            if let f = c.unicodeScalars.first, isZeroWidth(f) {
                let g = String(c)
                if !cells.isEmpty { cells[cells.count - 1].text += g }
                else if cx - 1 >= 0, cx - 1 < cols { cells.append(PlacedCell(x: cx - 1, text: g, width: 0, joinsPrevious: true)) }
            }
            continue
        }
        if cx + w > limit {
            // A cluster straddling the clip edge: spaces instead, never part of it.
            for i in max(cx, 0)..<limit { cells.append(PlacedCell(x: i, text: " ", width: 1)) }
            cx = limit
            break
        }
        if c.unicodeScalars.count == 1 || c == "\r\n" {
            placeOne(c == "\r\n" ? " " : String(c), width: w, at: &cx, into: &cells)
        } else {
            for piece in terminalPieces(of: c) where piece.width > 0 {
                placeOne(piece.text, width: piece.width, at: &cx, into: &cells)
            }
        }
    }
    return (cells, max(0, min(cx, limit) - x))
}

/// One piece at cx: left of the screen it is skipped (a wide one straddling 0 shows a space).
private func placeOne(_ text: String, width: Int, at cx: inout Int, into cells: inout [PlacedCell]) {
    if cx < 0 {
        if cx + width > 0 { cells.append(PlacedCell(x: 0, text: " ", width: 1)) }
    } else {
        cells.append(PlacedCell(x: cx, text: text, width: width))
    }
    cx += width
}
