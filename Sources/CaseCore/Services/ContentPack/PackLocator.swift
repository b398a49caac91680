import Foundation

/// Finds the content pack `init` and `scripts import` use when no directory is given.
public enum PackLocator {
    /// The file whose presence marks a pack directory.
    static let marker = "Resources/pack/" + PackLoader.callTypesFile

    /// `CASEDESK_PACK` if set; else the nearest `Resources/pack` (or installed `share/casedesk/pack`)
    /// above the running executable; else the one in the source tree this file was built from.
    public static func defaultPackDirectory() -> URL? {
        defaultPackDirectory(environment: ProcessInfo.processInfo.environment)
    }

    static func defaultPackDirectory(environment: [String: String], sourceFile: String = #filePath) -> URL? {
        if let env = environment["CASEDESK_PACK"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath, isDirectory: true)
        }
        for exe in executableCandidates() {
            if let found = search(upFrom: exe.deletingLastPathComponent()) { return found }
        }
        // Works on the machine that built the binary (development, `swift run`, tests).
        return search(upFrom: URL(fileURLWithPath: sourceFile).deletingLastPathComponent())
    }

    static func executableCandidates() -> [URL] {
        var urls: [URL] = []
        if let u = Bundle.main.executableURL { urls.append(u.resolvingSymlinksInPath()) }
        if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            urls.append(URL(fileURLWithPath: arg0, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath())
        }
        return urls
    }

    /// Walks from `start` to `/`, checking `Resources/pack` and `share/casedesk/pack` at each level.
    static func search(upFrom start: URL) -> URL? {
        let fm = FileManager.default
        var dir = start.standardizedFileURL
        while true {
            for rel in ["Resources/pack", "share/casedesk/pack"] {
                let pack = dir.appendingPathComponent(rel, isDirectory: true)
                if fm.fileExists(atPath: pack.appendingPathComponent(PackLoader.callTypesFile).path) { return pack }
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path || dir.path == "/" { return nil }
            dir = parent
        }
    }
}
