import CNcursesw

/// Restores the terminal on every way out. SIGINT/SIGTERM/SIGHUP/SIGQUIT are
/// noted by a handler that only stores the signal number and writes one byte to
/// the process's wake pipe (`Waker.process`); the run loop sees `quitSignal`,
/// finishes (work interval, presence, terminal) and exits 128+signo
/// (130/143/129/131). Crashes: endwin, then the previous handler (e.g. Swift's
/// backtracer); `exit()`: atexit. SIGWINCH stays with ncurses (KEY_RESIZE); we
/// chain a wake-up byte to the same pipe.
/// All C installers are called only from this file (see shim.h about statics).
public enum TerminalGuard {
    /// Idempotent. Called by `CursesScreen.start()`. The pipe is set before any
    /// handler that writes to it is installed.
    public static func install() {
        cd_set_signal_wake_fd(Waker.process.writeFD)
        cd_install_fatal_signal_handlers()
        cd_install_crash_handlers()
        cd_register_atexit_endwin()
    }

    /// Back to default dispositions for SIGINT & co. (after `end()`).
    public static func uninstall() {
        cd_restore_default_signal_handlers()
    }

    /// The first quit signal received since `install()`, if any.
    public static var quitSignal: Int32? {
        let s = cd_pending_quit_signal()
        return s == 0 ? nil : s
    }

    /// While a child ($EDITOR) owns the terminal, ^C belongs to it.
    static func enterChildMode() { cd_ignore_interactive_signals() }
    static func leaveChildMode() { cd_install_fatal_signal_handlers() }

    /// SIGWINCH also rings `Waker.process` (after ncurses installed its handler).
    static func forwardResize(_ on: Bool) {
        if on { cd_set_signal_wake_fd(Waker.process.writeFD); _ = cd_install_winch_wake() } else { cd_uninstall_winch_wake() }
    }
}
