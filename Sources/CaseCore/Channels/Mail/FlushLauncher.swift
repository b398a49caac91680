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
        let script = "exec </dev/null >/dev/null 2>&1; setsid \"$0\" mail flush --quiet --db \"$1\" --as \"$2\" &"
        // Like every child, it starts with casedesk's group dropped (SharedInstall); the
        // flush gets it back from its own setgid bit, as any casedesk command does.
        _ = SharedInstall.runDropped(["/bin/sh", "-c", script, exe, database, login])
    }
}
