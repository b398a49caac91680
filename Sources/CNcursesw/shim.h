// Swift cannot import curses macros or C globals; these wrappers expose them.
#ifndef CASEDESK_CNCURSESW_SHIM_H
#define CASEDESK_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config -D flags, so enable the wide-char API here.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <unistd.h>
#include <poll.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ncursesw/curses.h>

// Globals
static inline WINDOW *cd_stdscr(void) { return stdscr; }
static inline int cd_lines(void) { return LINES; }
static inline int cd_cols(void) { return COLS; }
static inline int cd_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int cd_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline int cd_colors(void) { return COLORS; }
static inline int cd_color_pairs(void) { return COLOR_PAIRS; }

// Attributes (macros built from NCURSES_BITS)
static inline attr_t cd_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t cd_a_normal(void) { return (attr_t)A_NORMAL; }
static inline attr_t cd_a_bold(void) { return (attr_t)A_BOLD; }
static inline attr_t cd_a_reverse(void) { return (attr_t)A_REVERSE; }
static inline attr_t cd_a_dim(void) { return (attr_t)A_DIM; }
static inline attr_t cd_a_underline(void) { return (attr_t)A_UNDERLINE; }

// Colours
static inline short cd_color_black(void) { return COLOR_BLACK; }
static inline short cd_color_red(void) { return COLOR_RED; }
static inline short cd_color_green(void) { return COLOR_GREEN; }
static inline short cd_color_yellow(void) { return COLOR_YELLOW; }
static inline short cd_color_blue(void) { return COLOR_BLUE; }
static inline short cd_color_magenta(void) { return COLOR_MAGENTA; }
static inline short cd_color_cyan(void) { return COLOR_CYAN; }
static inline short cd_color_white(void) { return COLOR_WHITE; }

// Keys
static inline int cd_key_resize(void) { return KEY_RESIZE; }
static inline int cd_key_up(void) { return KEY_UP; }
static inline int cd_key_down(void) { return KEY_DOWN; }
static inline int cd_key_left(void) { return KEY_LEFT; }
static inline int cd_key_right(void) { return KEY_RIGHT; }
static inline int cd_key_ppage(void) { return KEY_PPAGE; }
static inline int cd_key_npage(void) { return KEY_NPAGE; }
static inline int cd_key_home(void) { return KEY_HOME; }
static inline int cd_key_end(void) { return KEY_END; }
static inline int cd_key_btab(void) { return KEY_BTAB; }
static inline int cd_key_enter(void) { return KEY_ENTER; }
static inline int cd_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cd_key_dc(void) { return KEY_DC; }
static inline int cd_key_ic(void) { return KEY_IC; }
static inline int cd_key_f0(void) { return KEY_F0; }
static inline int cd_key_f(int n) { return KEY_F(n); }
static inline int cd_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cd_err(void) { return ERR; }
static inline int cd_ok(void) { return OK; }

// Draw one wide char (with optional combining marks) at y,x with attributes.
static inline int cd_mvadd_wstr_attr(WINDOW *w, int y, int x, const wchar_t *ws, attr_t attr, short pair) {
    cchar_t cc;
    if (setcchar(&cc, ws, attr, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

// Draw a run of printable ASCII at y,x with attributes in one call (most of any screen).
static inline int cd_mvaddnstr_attr(WINDOW *w, int y, int x, const char *s, int n, attr_t attr, short pair) {
    attr_t old_attr; short old_pair;
    wattr_get(w, &old_attr, &old_pair, NULL);
    wattr_set(w, attr, pair, NULL);
    int r = mvwaddnstr(w, y, x, s, n);
    wattr_set(w, old_attr, old_pair, NULL);
    return r;
}

// Locale helpers
static inline const char *cd_codeset(void) { return nl_langinfo(CODESET); }
static inline int cd_wcwidth(wchar_t c) { return wcwidth(c); }

// Terminal creation that fails with NULL instead of exiting like initscr().
static inline SCREEN *cd_newterm(void) { return newterm(NULL, stdout, stdin); }

// ---- Signal handling ------------------------------------------------------
// In C because handlers must be C-callable and async-signal-safe-ish.
// Note: static variables in an imported header get one copy per Swift object
// file; each install function and the handler it installs live in the same
// copy, so only call each installer from one Swift file (TerminalGuard.swift).

// The wake pipe's write end, shared by every handler below. It is a
// process-lifetime pipe (never closed), so a handler can never write into a
// descriptor that teardown freed and the database reused. Read and written
// with lock-free atomics, which are async-signal-safe.
static int cd_signal_wake_fd = -1;
static int cd_quit_signo = 0;

static inline void cd_signal_wake(char b) {
    int fd = __atomic_load_n(&cd_signal_wake_fd, __ATOMIC_SEQ_CST);
    if (fd >= 0) { ssize_t r = write(fd, &b, 1); (void)r; }
}
static inline void cd_set_signal_wake_fd(int fd) { __atomic_store_n(&cd_signal_wake_fd, fd, __ATOMIC_SEQ_CST); }
static inline int cd_pending_quit_signal(void) { return __atomic_load_n(&cd_quit_signo, __ATOMIC_SEQ_CST); }

// SIGINT/SIGTERM/SIGHUP/SIGQUIT: only note the signal and ring the pipe; the
// run loop then finishes (closes the work interval, leaves presence, restores
// the terminal) and exits 128+signo. Nothing here that is not async-signal-safe.
static inline void cd_quit_signal_handler(int sig) {
    int saved = errno;
    int expected = 0;
    __atomic_compare_exchange_n(&cd_quit_signo, &expected, sig, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    cd_signal_wake('q');
    errno = saved;
}
static inline void cd_noop_signal_handler(int sig) { (void)sig; }
static inline void cd_set_handler(int sig, void (*h)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}
static inline void cd_install_fatal_signal_handlers(void) {
    cd_set_handler(SIGINT, cd_quit_signal_handler);
    cd_set_handler(SIGTERM, cd_quit_signal_handler);
    cd_set_handler(SIGHUP, cd_quit_signal_handler);
    cd_set_handler(SIGQUIT, cd_quit_signal_handler);
}

// While $EDITOR runs in the foreground it gets ^C itself; we must not die.
// A no-op handler (not SIG_IGN) so the child still gets default dispositions.
static inline void cd_ignore_interactive_signals(void) {
    cd_set_handler(SIGINT, cd_noop_signal_handler);
    cd_set_handler(SIGQUIT, cd_noop_signal_handler);
}
static inline void cd_restore_default_signal_handlers(void) {
    cd_set_handler(SIGINT, SIG_DFL);
    cd_set_handler(SIGTERM, SIG_DFL);
    cd_set_handler(SIGHUP, SIG_DFL);
    cd_set_handler(SIGQUIT, SIG_DFL);
}

// Crashes (Swift traps are SIGILL/SIGTRAP): restore the terminal, then put
// back the previous disposition (Swift's backtracer or default) and return so
// the fault re-fires into it. (endwin is not async-signal-safe; a crashing
// process has nothing better to try.)
static struct sigaction cd_crash_prev[65] = {{{0}}};
static int cd_crash_installed = 0;
static inline void cd_crash_handler(int sig) {
    if (!isendwin()) endwin();
    if (sig > 0 && sig < 65) sigaction(sig, &cd_crash_prev[sig], NULL);
    if (sig == SIGABRT) raise(sig);
}
static inline void cd_install_crash_handlers(void) {
    if (cd_crash_installed) return;
    int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = cd_crash_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, &cd_crash_prev[sigs[i]]);
    }
    cd_crash_installed = 1;
}

// exit() paths: make sure the terminal is restored.
static inline void cd_atexit_endwin(void) { if (!isendwin()) endwin(); }
static inline void cd_register_atexit_endwin(void) {
    static int done = 0;
    if (!done) { atexit(cd_atexit_endwin); done = 1; }
}

// SIGWINCH: ncurses installs its own handler (which yields KEY_RESIZE); chain
// after it and ring the wake pipe so a poll() in any thread wakes.
static struct sigaction cd_winch_prev = {{0}};
static int cd_winch_installed = 0;
static inline void cd_winch_handler(int sig) {
    int saved = errno;
    if (!(cd_winch_prev.sa_flags & SA_SIGINFO)
        && cd_winch_prev.sa_handler != SIG_DFL && cd_winch_prev.sa_handler != SIG_IGN)
        cd_winch_prev.sa_handler(sig);
    cd_signal_wake('w');
    errno = saved;
}
static inline int cd_install_winch_wake(void) {
    if (cd_winch_installed) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cd_winch_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int r = sigaction(SIGWINCH, &sa, &cd_winch_prev);
    if (r == 0) cd_winch_installed = 1;
    return r;
}
static inline void cd_uninstall_winch_wake(void) {
    if (cd_winch_installed) { sigaction(SIGWINCH, &cd_winch_prev, NULL); cd_winch_installed = 0; }
}

// Self-pipe helpers.
static inline int cd_set_nonblocking_cloexec(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    int fdfl = fcntl(fd, F_GETFD);
    if (fdfl < 0 || fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) < 0) return -1;
    return 0;
}
static inline int cd_errno(void) { return errno; }

#endif
