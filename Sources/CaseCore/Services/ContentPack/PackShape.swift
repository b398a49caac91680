import Foundation

extension PackLoader {
    /// The folder's shape: calltypes.yaml a file, scripts/ and scorecards/ folders of .yaml files.
    static func shapeProblems(_ directory: URL, base: String) -> [PackError] {
        let fm = FileManager.default
        var problems: [PackError] = []
        func isFolder(_ rel: String) -> Bool? {
            var folder: ObjCBool = false
            guard fm.fileExists(atPath: directory.appendingPathComponent(rel).path, isDirectory: &folder) else { return nil }
            return folder.boolValue
        }
        if isFolder(callTypesFile) == true {
            problems.append(PackError(file: display(base, callTypesFile), line: 0, message: "is a folder; it must be a file"))
        }
        for sub in [scriptsDirectory, scorecardsDirectory] {
            switch isFolder(sub) {
            case false?:
                problems.append(PackError(file: display(base, sub), line: 0, message: "is a file; it must be a folder of .yaml files"))
            case true?:
                let names = ((try? fm.contentsOfDirectory(atPath: directory.appendingPathComponent(sub).path)) ?? []).sorted()
                for name in names where !name.hasPrefix(".") {
                    let rel = sub + "/" + name
                    if isFolder(rel) == true {
                        problems.append(PackError(file: display(base, rel), line: 0, message: "is a folder; \(sub)/ holds only .yaml files"))
                    } else if !(name.hasSuffix(".yaml") || name.hasSuffix(".yml")) {
                        problems.append(PackError(file: display(base, rel), line: 0, message: "is not a .yaml file, so it would be ignored"))
                    }
                }
            case nil:
                break
            }
        }
        return problems
    }
}
