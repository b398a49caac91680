/// Word-wraps by display width (CJK counts two); a word longer than a line is cut.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    let text = SafeText.block(text)   // widths of what will really be drawn (␛ takes a cell)
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = "", lineWidth = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            var w = String(word), ww = displayWidth(of: w)
            if lineWidth > 0, lineWidth + 1 + ww > width {
                lines.append(line); line = ""; lineWidth = 0
            }
            while ww > width {
                // Cut an over-long word (a URL, an unbroken CJK sentence) at the edge.
                var head = "", hw = 0
                for ch in w {
                    let cw = displayWidth(of: ch)
                    if hw + cw > width - lineWidth - (lineWidth > 0 ? 1 : 0) { break }
                    head.append(ch); hw += cw
                }
                if head.isEmpty { lines.append(line); line = ""; lineWidth = 0; continue }
                lines.append(lineWidth > 0 ? line + " " + head : head)
                line = ""; lineWidth = 0
                w = String(w.dropFirst(head.count)); ww = displayWidth(of: w)
            }
            if ww == 0 { continue }
            line += (lineWidth > 0 ? " " : "") + w
            lineWidth += (lineWidth > 0 ? 1 : 0) + ww
        }
        lines.append(line)
    }
    return lines
}
