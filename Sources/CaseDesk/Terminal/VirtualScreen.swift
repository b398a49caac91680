/// In-memory screen for tests and golden files (like ratatui's TestBackend).
public final class VirtualScreen: Screen {
    public private(set) var size: ScreenSize
    public var supportsColor: Bool
    public var unicode: Bool
    /// Rows of cells, `grid[y][x]`.
    public private(set) var grid: [[Cell]]
    public private(set) var cursor: (x: Int, y: Int)?
    /// Number of `refresh()` calls, for tests that care about redraws.
    public private(set) var refreshCount = 0

    public init(cols: Int, rows: Int, supportsColor: Bool = true, unicode: Bool = true) {
        size = ScreenSize(cols: max(0, cols), rows: max(0, rows))
        self.supportsColor = supportsColor
        self.unicode = unicode
        grid = Array(repeating: Array(repeating: .blank, count: max(0, cols)), count: max(0, rows))
    }

    /// Resize, keeping the top-left content (like a terminal would before redraw).
    public func resize(cols: Int, rows: Int) {
        let cols = max(0, cols), rows = max(0, rows)
        var g = Array(repeating: Array(repeating: Cell.blank, count: cols), count: rows)
        for y in 0..<min(rows, size.rows) {
            for x in 0..<min(cols, size.cols) { g[y][x] = grid[y][x] }
            // Do not leave half a wide char at the new right edge.
            if cols > 0, cols < size.cols, g[y][cols - 1].text != "",
               displayWidth(of: g[y][cols - 1].text) == 2 { g[y][cols - 1].text = " " }
        }
        grid = g
        size = ScreenSize(cols: cols, rows: rows)
    }

    public func clear() {
        grid = Array(repeating: Array(repeating: .blank, count: size.cols), count: size.rows)
        cursor = nil
    }

    @discardableResult
    public func put(_ text: String, x: Int, y: Int, maxWidth: Int?, attr: TextAttr, color: ColorRole) -> Int {
        guard y >= 0, y < size.rows else { return 0 }
        let (cells, used) = layoutText(text, x: x, maxWidth: maxWidth, cols: size.cols, unicode: unicode)
        for p in cells {
            if p.joinsPrevious {
                var px = p.x
                if px > 0, grid[y][px].isContinuation { px -= 1 }
                grid[y][px].text += p.text
                continue
            }
            set(Cell(text: p.text, attr: attr, color: color), x: p.x, y: y)
            if p.width == 2, p.x + 1 < size.cols {
                set(Cell(text: "", attr: attr, color: color), x: p.x + 1, y: y)
            }
        }
        return used
    }

    public func fill(x: Int, y: Int, width: Int, height: Int, char: Character, attr: TextAttr, color: ColorRole) {
        // A printable ASCII fill (blanks, mostly) sets the cells straight away.
        if let a = char.asciiValue, a >= 0x20, a < 0x7F {
            let cell = Cell(text: String(char), attr: attr, color: color)
            let x0 = max(x, 0), x1 = min(x + width, size.cols), y0 = max(y, 0), y1 = min(y + height, size.rows)
            guard x0 < x1, y0 < y1 else { return }
            for row in y0..<y1 { for col in x0..<x1 { set(cell, x: col, y: row) } }
            return
        }
        let line = String(repeating: String(char), count: max(0, width))
        for row in y..<(y + max(0, height)) where row >= 0 && row < size.rows {
            put(line, x: x, y: row, maxWidth: width, attr: attr, color: color)
        }
    }

    public func setCursor(_ position: (x: Int, y: Int)?) { cursor = position }

    public func refresh() { refreshCount += 1 }

    /// Overwrite one cell, repairing any wide char it cuts in half.
    private func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < size.cols else { return }
        let old = grid[y][x]
        if old.isContinuation, x > 0, !cell.isContinuation {
            grid[y][x - 1].text = " "          // cut the left half's partner
        }
        // (One byte is one narrow cell: most of the screen skips the width lookup.)
        if old.text.utf8.count > 1, displayWidth(of: old.text) == 2, x + 1 < size.cols,
           grid[y][x + 1].isContinuation {
            grid[y][x + 1].text = " "          // orphaned right half
        }
        grid[y][x] = cell
    }

    // MARK: - Inspection

    public func cell(x: Int, y: Int) -> Cell { grid[y][x] }

    /// The cells of row y.
    public func styledRow(_ y: Int) -> [Cell] { grid[y] }

    /// Text of row y, trailing spaces trimmed.
    public func row(_ y: Int) -> String {
        var s = grid[y].map(\.text).joined()
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Whole screen as text: rows joined by "\n", trailing spaces trimmed per
    /// row. This is what golden files hold.
    public func text() -> String {
        (0..<size.rows).map(row).joined(separator: "\n")
    }

    /// One letter per cell for the colour role (lowercase) — uppercase when
    /// bold/reverse — for golden checks of styling: n a o w d m s b.
    /// Right halves of wide chars repeat their left half's letter.
    public func colorMap() -> String {
        let letters: [ColorRole: Character] = [.normal: "n", .accent: "a", .ok: "o", .warn: "w",
                                               .danger: "d", .muted: "m", .selection: "s", .banner: "b"]
        return grid.map { row in
            String(row.map { c -> Character in
                let l = letters[c.color] ?? "?"
                return c.attr.contains(.bold) || c.attr.contains(.reverse) ? Character(l.uppercased()) : l
            })
        }.joined(separator: "\n")
    }

    /// Text of the cells in row y that have the given colour role (for asserts
    /// like "the selected row says X").
    public func text(y: Int, color: ColorRole) -> String {
        grid[y].filter { $0.color == color }.map(\.text).joined()
    }
}
