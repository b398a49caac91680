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
        return resourceDirectory("pack", marker: PackLoader.callTypesFile, sourceFile: sourceFile)
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

    /// Another directory shipped beside the pack (`Resources/NAME`, installed `share/casedesk/NAME`),
    /// found the same way, by the file `marker` in it.
    static func resourceDirectory(_ name: String, marker: String, sourceFile: String = #filePath) -> URL? {
        for exe in executableCandidates() {
            if let found = search(upFrom: exe.deletingLastPathComponent(), name: name, marker: marker) { return found }
        }
        // Works on the machine that built the binary (development, `swift run`, tests).
        return search(upFrom: URL(fileURLWithPath: sourceFile).deletingLastPathComponent(), name: name, marker: marker)
    }

    /// Walks from `start` to `/`, checking `Resources/NAME` and `share/casedesk/NAME` at each level.
    static func search(upFrom start: URL, name: String = "pack", marker: String = PackLoader.callTypesFile) -> URL? {
        let fm = FileManager.default
        var dir = start.standardizedFileURL
        while true {
            for rel in ["Resources/" + name, "share/casedesk/" + name] {
                let found = dir.appendingPathComponent(rel, isDirectory: true)
                if fm.fileExists(atPath: found.appendingPathComponent(marker).path) { return found }
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path || dir.path == "/" { return nil }
            dir = parent
        }
    }
}
