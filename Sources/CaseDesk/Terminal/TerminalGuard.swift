import CNcursesw

/// Restores the terminal on every way out: SIGINT/SIGTERM/SIGHUP/SIGQUIT
/// (endwin, then exit 128+signo: 130/143/129/131), crashes (endwin, then the
/// previous handler, e.g. Swift's backtracer), and `exit()` (atexit).
/// SIGWINCH stays with ncurses (KEY_RESIZE); we only chain a wake-up byte.
/// All C installers are called only from this file (see shim.h about statics).
public enum TerminalGuard {
    /// Idempotent. Called by `CursesScreen.start()`.
    public static func install() {
        cd_install_fatal_signal_handlers()
        cd_install_crash_handlers()
        cd_register_atexit_endwin()
    }

    /// Back to default dispositions for SIGINT & co. (after `end()`).
    public static func uninstall() {
        cd_restore_default_signal_handlers()
    }

    /// While a child ($EDITOR) owns the terminal, ^C belongs to it.
    static func enterChildMode() { cd_ignore_interactive_signals() }
    static func leaveChildMode() { cd_install_fatal_signal_handlers() }

    /// Make SIGWINCH also write to `waker` (after ncurses installed its handler).
    static func forwardResize(to waker: Waker?) {
        if let waker { _ = cd_install_winch_wake(waker.writeFD) } else { cd_uninstall_winch_wake() }
    }
}
