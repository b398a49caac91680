import Foundation

/// Runs the real `casedesk` binary, as scripts and integrations do.
enum Casedesk {
    /// The binary sits next to the test bundle in the build folder.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["CASEDESK_BIN"] { return explicit }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("casedesk").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/casedesk").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        let p = try start(args, env: env)
        let out = p.standardOutput as! Pipe, err = p.standardError as! Pipe
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func start(_ args: [String], env: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["CASEDESK_DB"] = nil
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardOutput = Pipe()
        p.standardError = Pipe()
        try p.run()
        return p
    }

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A new database with the shipped pack and no demo data.
    static func freshDatabase() throws -> String {
        let path = try tempDir() + "/desk.sqlite"
        let r = try run(["init", "--db", path])
        precondition(r.status == 0, "init failed: \(r.stderr)")
        return path
    }
}

/// posix_spawn + waitpid, for programs that leave a daemon behind (tmux's server):
/// Foundation's Process would wait for every inheritor of its exit-watch socket.
enum Spawn {
    static func run(_ path: String, _ args: [String], capture: Bool) throws -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        if capture { guard pipe(&fds) == 0 else { throw POSIXError(.EIO) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Children start with default signals and nothing blocked, as from a shell.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
        if capture { close(fds[1]) }
        guard rc == 0 else { if capture { close(fds[0]) }; throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var output = Data()
        if capture {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                output.append(buffer, count: n)
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}
