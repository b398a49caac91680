import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts `casedesk mail flush` in the background after a response was queued for
/// mail, so whoever queued it (a desk, a command) never waits on the mail command.
/// The flush runs detached (its own session, no terminal); a failure shows on the
/// timeline, and a cron or systemd timer running `casedesk mail flush` retries.
public enum FlushLauncher {
    /// Does nothing unless this process is the `casedesk` program itself (never from a
    /// test runner), or when CASEDESK_NO_AUTOFLUSH is set.
    public static func launch(database: String, login: String) {
        guard ProcessInfo.processInfo.environment["CASEDESK_NO_AUTOFLUSH"] == nil else { return }
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              (exe as NSString).lastPathComponent == "casedesk" else { return }
        // sh puts the flush in the background and exits at once: nothing is left for us to reap.
        let script = "setsid \"$0\" mail flush --quiet --db \"$1\" --as \"$2\" </dev/null >/dev/null 2>&1 &"
        let argv: [String] = ["/bin/sh", "-c", script, exe, database, login]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", &actions, nil, cargs, environ) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
