import Foundation

// glibc declares these only under _GNU_SOURCE, which the Swift module map does not set.
@_silgen_name("getresgid") private func c_getresgid(_ r: UnsafeMutablePointer<gid_t>, _ e: UnsafeMutablePointer<gid_t>,
                                                     _ s: UnsafeMutablePointer<gid_t>) -> Int32
@_silgen_name("setresgid") private func c_setresgid(_ r: gid_t, _ e: gid_t, _ s: gid_t) -> Int32

/// Running setgid `casedesk`, as mail spools and score files do: the group owns the data
/// directory (2770) and files (0660); users are not in it and reach the data only
/// through casedesk, which knows their real uid. What that asks of the program lives here.
public enum SharedInstall {
    /// Group-readable and -writable, nothing for others: every file casedesk creates.
    public static let umaskBits: mode_t = 0o007
    public static let directoryMode: mode_t = 0o2770
    public static let fileMode: mode_t = 0o660

    /// Called first thing by every command: umask 007, and in a setgid run no temporary
    /// directory the user could not write themselves (SQLite and the editor's file use it).
    public static func prepareProcess() {
        umask(umaskBits)
        guard privilegedGroup != nil else { return }
        unsetenv("SQLITE_TMPDIR")
        if let tmp = ProcessInfo.processInfo.environment["TMPDIR"], refusalToWrite(tmp) != nil { unsetenv("TMPDIR") }
    }

    // Files CaseDesk makes beside a shared database (backups, logs) take its mode and group.
    /// The file's permission bits when it is a shared install's (group-writable, in a
    /// setgid directory as `init --shared` makes), else nil. Every file casedesk creates is
    /// group-writable (umask 007), so the directory is what tells a shared install.
    public static func mode(of path: String) -> mode_t? {
        var st = stat(), dir = stat()
        let parent = (path as NSString).deletingLastPathComponent
        guard stat(path, &st) == 0, st.st_mode & S_IWGRP != 0,
              stat(parent.isEmpty ? "." : parent, &dir) == 0, dir.st_mode & S_ISGID != 0 else { return nil }
        return st.st_mode & 0o777
    }

    /// Gives `file` the mode and group of `model` when `model` is a shared install.
    public static func inherit(_ file: String, from model: String) {
        var st = stat()
        guard stat(model, &st) == 0, st.st_mode & S_IWGRP != 0 else { return }
        _ = chown(file, uid_t.max, st.st_gid)   // -1 keeps the owner
        _ = chmod(file, st.st_mode & 0o777)
    }

    /// Whether this process runs with a group it was not started with (the setgid bit).
    public static var isSetgid: Bool {
        var r: gid_t = 0, e: gid_t = 0, s: gid_t = 0
        _ = c_getresgid(&r, &e, &s)
        return e != r || s != r
    }

    /// The group casedesk runs with when setgid (nil otherwise).
    public static var privilegedGroup: gid_t? {
        var r: gid_t = 0, e: gid_t = 0, s: gid_t = 0
        _ = c_getresgid(&r, &e, &s)
        return e != r ? e : (s != r ? s : nil)
    }

    /// May a setgid run open `path`? Only if the real user could read and write it anyway,
    /// or it is a shared database: a file of casedesk's group in a directory of that group
    /// with mode 2770 (what `casedesk init --shared` makes). So no environment variable,
    /// home directory or `--db` lends the group to a file it does not already guard.
    /// nil: allowed; otherwise the reason, one line.
    public static func refusalToOpen(_ path: String) -> String? {
        guard let group = privilegedGroup else { return nil }
        if FileManager.default.fileExists(atPath: path) {
            if access(path, R_OK | W_OK) == 0 { return nil }   // access() asks with the real uid and gid
            if isSharedDatabase(path, group: group) { return nil }
            return "\(path) is neither yours nor a shared CaseDesk database (group \(groupName(group)), directory mode 2770); a setgid casedesk will not open it"
        }
        guard let refusal = refusalToWrite((path as NSString).deletingLastPathComponent) else { return nil }
        return "cannot create \(path): \(refusal)"
    }

    /// A file or directory a person names for casedesk to read (an import, a pack, scenarios):
    /// a setgid run reads it only if the real user could. nil: allowed.
    public static func refusalToRead(_ path: String) -> String? {
        guard privilegedGroup != nil, access(path, R_OK) != 0 else { return nil }
        return "cannot read \(path): you may not read it yourself, and a setgid casedesk reads only what you could"
    }

    /// A directory casedesk is asked to write into (an export): only where the real user could.
    public static func refusalToWrite(_ path: String) -> String? {
        guard privilegedGroup != nil else { return nil }
        var target = path
        while !FileManager.default.fileExists(atPath: target) {
            let parent = (target as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == target { target = "."; break }
            target = parent
        }
        guard access(target, W_OK | X_OK) != 0 else { return nil }
        return "you may not write \(target) yourself, and a setgid casedesk writes only where you could"
    }

    static func isSharedDatabase(_ path: String, group: gid_t) -> Bool {
        let real = (path as NSString).resolvingSymlinksInPath
        var file = stat(), dir = stat()
        guard stat(real, &file) == 0, stat((real as NSString).deletingLastPathComponent, &dir) == 0 else { return false }
        return (file.st_mode & S_IFMT) == S_IFREG && file.st_gid == group
            && dir.st_gid == group && (dir.st_mode & 0o7777) == directoryMode
    }

    public static func groupName(_ gid: gid_t) -> String {
        guard let g = getgrgid(gid), let name = g.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }

    public static func groupId(_ name: String) -> gid_t? {
        if let g = getgrnam(name) { return g.pointee.gr_gid }
        return gid_t(name).flatMap { getgrgid($0) != nil ? $0 : nil }
    }

    // MARK: making and checking a shared install

    /// The shared database's directory: created if missing (it must be empty if it exists,
    /// so a mistyped path never re-moded /tmp or a home), given to `group`, mode 2770.
    public static func prepareDirectory(_ dir: String, group: gid_t) throws {
        let dir = dir.isEmpty ? "." : dir
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw CaseError.invalid("\(dir) is not a directory") }
            let entries = (try? fm.contentsOfDirectory(atPath: dir)) ?? []
            guard entries.isEmpty else {
                throw CaseError.invalid("\(dir) already holds files (\(entries.sorted().prefix(3).joined(separator: ", "))); a shared database gets a directory of its own")
            }
            try share(dir, group: group, mode: directoryMode)
        } else {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            do { try share(dir, group: group, mode: directoryMode) } catch { rmdir(dir); throw error }   // nothing left half-made
        }
    }

    /// Gives a file (or directory) to `group` with `mode` (default 0660).
    public static func share(_ path: String, group: gid_t, mode: mode_t = fileMode) throws {
        guard chown(path, uid_t.max, group) == 0 else {
            throw CaseError.invalid("cannot give \(path) to group \(groupName(group)): \(String(cString: strerror(errno))) (run init --shared as root)")
        }
        guard chmod(path, mode) == 0 else { throw CaseError.invalid("cannot set the mode of \(path): \(String(cString: strerror(errno)))") }
    }

    public struct FileReport: Sendable {
        public var lines: [String]
        public var healthy: Bool
    }

    /// `casedesk doctor`'s look at the files: in a shared install (a setgid directory) the
    /// directory is 2770 and the database, WAL and shm files are 0660, all of the
    /// directory's group; anywhere else the files must at least not be open to others.
    public static func checkFiles(_ path: String) -> FileReport {
        let dir = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var lines: [String] = []
        var d = stat()
        guard stat(dir, &d) == 0 else { return FileReport(lines: ["files: cannot stat \(dir)"], healthy: false) }
        let shared = d.st_mode & S_ISGID != 0
        var problems: [String] = []
        if shared, d.st_mode & 0o7777 != directoryMode {
            problems.append("directory \(dir) is mode \(octal(d.st_mode)), want 2770")
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var f = stat()
            guard stat(file, &f) == 0 else { continue }
            let name = (file as NSString).lastPathComponent
            if shared {
                if f.st_mode & 0o7777 != fileMode { problems.append("\(name) is mode \(octal(f.st_mode)), want 0660") }
                if f.st_gid != d.st_gid { problems.append("\(name) belongs to group \(groupName(f.st_gid)), want \(groupName(d.st_gid))") }
            } else if f.st_mode & 0o007 != 0 {
                problems.append("\(name) is mode \(octal(f.st_mode)): other users can read it (chmod o-rwx \(file))")
            }
        }
        if problems.isEmpty {
            lines.append(shared ? "files: ok (shared: directory 2770, files 0660, group \(groupName(d.st_gid)))" : "files: ok (not open to other users)")
        } else {
            lines += problems.map { "files: \($0)" }
        }
        return FileReport(lines: lines, healthy: problems.isEmpty)
    }

    static func octal(_ mode: mode_t) -> String { String(format: "%04o", Int(mode & 0o7777)) }

    // MARK: children

    /// Runs a program with casedesk's group dropped from the real, effective and saved gid,
    /// waits for it and returns its exit status (-1 when it could not start). Stdin, stdout
    /// and stderr are inherited (an editor needs the terminal).
    public static func runDropped(_ arguments: [String], environment: [String: String]? = nil) -> Int32 {
        guard let program = arguments.first else { return -1 }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        // Everything the child needs is built before fork: after it only async-signal-safe calls.
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        let gid = getgid()
        // The desk ignores ^C and friends while a child has the terminal; the child starts with defaults.
        let defaults = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGWINCH, SIGCHLD]
        let pid = fork()
        if pid == 0 {
            if c_setresgid(gid, gid, gid) != 0 { _exit(126) }
            for sig in defaults { signal(sig, SIG_DFL) }
            var sigs = sigset_t()
            sigemptyset(&sigs)
            pthread_sigmask(SIG_SETMASK, &sigs, nil)
            execve(program, argv, envp)
            _exit(127)
        }
        guard pid > 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    // MARK: temporary files

    /// A private directory (0700, made with mkdtemp) holding one file created with O_EXCL
    /// (0600): no other user can read it, swap it or point it elsewhere. Remove it with
    /// `removePrivate`.
    public static func privateFile(named name: String, contents: Data) throws -> URL {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty || refusalToWrite($0) != nil ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/casedesk-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CaseError.invalid("cannot make a private directory in \(base): \(String(cString: strerror(errno)))") }
        let dir = String(cString: made)
        let path = dir + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { rmdir(dir); throw CaseError.invalid("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw CaseError.invalid("cannot write \(path)") }
        return URL(fileURLWithPath: path)
    }

    public static func removePrivate(_ file: URL) {
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())   // with any swap file the editor left
    }
}
