/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x, y, w, h: Int
}

/// Where the panes go for a terminal size: three panes when wide, one pane at a
/// time (Tab switches) when narrow, and a one-line message when too small.
public struct DeskLayout: Equatable, Sendable {
    public enum Mode: Equatable, Sendable { case tooSmall, stacked, wide }
    public static let minCols = 40, minRows = 10, wideCols = 100

    public var mode: Mode
    public var queue: Rect
    public var caseDetail: Rect
    public var script: Rect

    public init(_ size: ScreenSize) {
        let body = Rect(x: 0, y: 1, w: size.cols, h: max(0, size.rows - 2))
        if size.cols < Self.minCols || size.rows < Self.minRows {
            mode = .tooSmall; queue = body; caseDetail = body; script = body
        } else if size.cols < Self.wideCols {
            mode = .stacked; queue = body; caseDetail = body; script = body
        } else {
            mode = .wide
            let qw = min(64, max(44, size.cols * 2 / 5))
            let rw = size.cols - qw
            let ch = max(6, body.h * 11 / 20)
            queue = Rect(x: 0, y: body.y, w: qw, h: body.h)
            caseDetail = Rect(x: qw, y: body.y, w: rw, h: ch)
            script = Rect(x: qw, y: body.y + ch, w: rw, h: body.h - ch)
        }
    }

    public func rect(_ pane: Pane) -> Rect {
        switch pane {
        case .queue: queue
        case .caseDetail: caseDetail
        case .script: script
        }
    }

    /// Queue rows that fit inside the frame.
    public var queueRows: Int { max(1, queue.h - 2) }
    public var caseLines: Int { max(1, caseDetail.h - 2) }
}
