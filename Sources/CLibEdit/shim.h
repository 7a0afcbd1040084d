// Thin C shim over libedit's native API (histedit.h).
//
// el_set, el_get and history() are C-variadic, which Swift cannot call, and Swift 6 rejects
// references to mutable C globals (stdin, stdout, ...). Every such use is wrapped here in a
// one-line static inline function, so the unsafety stays in this one file. No C target needed.
#ifndef KAFKALAB_CLIBEDIT_SHIM_H
#define KAFKALAB_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <unistd.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <poll.h>
#include <wchar.h>
#include <limits.h>

typedef char *(*kl_prompt_fn)(EditLine *);
typedef unsigned char (*kl_command_fn)(EditLine *, int);

// ---- C globals -------------------------------------------------------------------------------
static inline FILE *kl_stdin(void) { return stdin; }
static inline FILE *kl_stdout(void) { return stdout; }
static inline FILE *kl_stderr(void) { return stderr; }
static inline void kl_set_locale_from_environment(void) { setlocale(LC_ALL, ""); }

// ---- terminal --------------------------------------------------------------------------------
/// Columns of the terminal on `fd`, or 0 when unknown.
static inline int kl_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return (int)ws.ws_col;
    return 0;
}

// ---- el_set / el_get -------------------------------------------------------------------------
static inline int kl_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int kl_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int kl_el_set_prompt_esc(EditLine *el, kl_prompt_fn fn, char esc) {
    return el_set(el, EL_PROMPT_ESC, fn, esc);
}
static inline int kl_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int kl_el_add_fn(EditLine *el, const char *name, const char *help, kl_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int kl_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}
/// Changes one tty flag of the editing mode ("-d"), e.g. "-isig" so ^C arrives as a key.
static inline int kl_el_setty_edit(EditLine *el, const char *flag) {
    return el_set(el, EL_SETTY, "-d", flag, (const char *)NULL);
}
static inline int kl_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *kl_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}
static inline FILE *kl_el_get_outfile(EditLine *el) {
    FILE *fp = NULL;
    if (el_get(el, EL_GETFP, 1, &fp) != 0 || fp == NULL) return stdout;
    return fp;
}

// ---- live output above the prompt ------------------------------------------------------------
typedef int (*kl_getc_fn)(EditLine *, wchar_t *);
static inline int kl_el_set_getcfn(EditLine *el, kl_getc_fn fn) { return el_set(el, EL_GETCFN, fn); }
/// Terminal columns of a character (2 for a Korean syllable, -1 for a control character). Declared here because
/// glibc's <wchar.h> hides it without _XOPEN_SOURCE.
extern int wcwidth(wchar_t c);
static inline int kl_wcwidth(wchar_t c) { return wcwidth(c); }
/// Redraws the prompt and the line being edited from the start of the cursor's terminal row.
static inline int kl_el_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }

/// Reads one character from `in_fd` as libedit's own reader does (a multibyte sequence decoded in the current
/// locale; an invalid one dropped), but also wakes when `wake_fd` is readable between characters, so another
/// thread's output can be shown without busy-waiting. Returns 1 with *wc set, 0 at end of input, -1 on error,
/// 2 when woken.
static inline int kl_read_char_or_wake(int in_fd, int wake_fd, wchar_t *wc) {
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        struct pollfd fds[2] = {{in_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        // Half-way through a character, finish it first.
        int ready = poll(fds, (count == 0 && wake_fd >= 0) ? 2 : 1, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;  // SIGWINCH: libedit's own handler has already resized
            return -1;
        }
        if (count == 0 && wake_fd >= 0 && (fds[1].revents & POLLIN)) return 2;
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t got = read(in_fd, bytes + count, 1);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (got == 0) return 0;
        count += 1;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t used = mbrtowc(wc, bytes, count, &state);
        if (used == (size_t)-2 && count < MB_LEN_MAX) continue;
        if (used == (size_t)-1 || used == (size_t)-2) { count = 0; continue; }
        if (used == 0) *wc = L'\0';
        return 1;
    }
}

// ---- history() -------------------------------------------------------------------------------
static inline int kl_history_setsize(History *h, int size) { HistEvent ev; return history(h, &ev, H_SETSIZE, size); }
static inline int kl_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int kl_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int kl_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int kl_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }
/// Copy of the newest history entry (caller frees), or NULL when the history is empty.
static inline char *kl_history_newest_copy(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_FIRST) != 0 || ev.str == NULL) return NULL;
    return strdup(ev.str);
}


/* Line-buffered stdout even on a pipe (Swift 6 cannot touch the C global `stdout`). */
static inline void kl_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/* Ctrl-C while a command runs: SIGINT only sets a flag; the simulation checks it at safe points
   (between timers, between perf-tool chunks) and stops there. Editing a line turns ISIG off, so
   there Ctrl-C is a key, not this signal. */
static volatile sig_atomic_t kl_interrupt_flag = 0;
static void kl_on_sigint(int signo) { (void)signo; kl_interrupt_flag = 1; }
static inline void kl_install_interrupt_flag(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = kl_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
}
static inline int kl_take_interrupt(void) { int raised = kl_interrupt_flag; kl_interrupt_flag = 0; return raised; }
static inline int kl_peek_interrupt(void) { return kl_interrupt_flag; }
#endif
