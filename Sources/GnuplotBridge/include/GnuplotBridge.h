// A plain-C face for gnuplot-iostream (Debian libgnuplot-iostream-dev), so that Swift can drive
// gnuplot without seeing C++.
//
// A session writes gnuplot commands either to a script file (file mode) or down a pipe into a
// gnuplot process (pipe mode). Nothing is thrown across this boundary: every call returns a
// GnuplotBridgeStatus, and the first failure is kept ("sticky"), with a message that
// gnuplot_bridge_last_error returns. Later calls on a failed session write nothing and return
// the same status.
//
// gnuplot-iostream itself never reports gnuplot's exit status. In pipe mode the bridge runs
// gnuplot through the shell as
//
//     'gnuplot' >/dev/null 2>'LOG'; echo $? >'STATUS'
//
// and, on close, reads back gnuplot's exit status and everything it printed on stderr. A
// session is not thread-safe; use one from one thread at a time.
//
// Typical use:
//
//     GnuplotBridgeSession *s = gnuplot_bridge_open_pipe("/usr/bin/gnuplot");
//     gnuplot_bridge_command(s, "load 'figure.gp'");
//     if (gnuplot_bridge_close(s) != GNUPLOT_BRIDGE_OK) puts(gnuplot_bridge_last_error(s));
//     gnuplot_bridge_free(s);

#ifndef GNUPLOT_BRIDGE_H
#define GNUPLOT_BRIDGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a bridge call returns. Zero is success; every failure also sets the session's message.
typedef enum GnuplotBridgeStatus {
  GNUPLOT_BRIDGE_OK = 0,
  /// The script file or the gnuplot process could not be opened.
  GNUPLOT_BRIDGE_OPEN_FAILED = 1,
  /// Writing to the file or the pipe failed (disk full, gnuplot already gone, ...).
  GNUPLOT_BRIDGE_WRITE_FAILED = 2,
  /// A bad argument: NULL pointer, a data-block name that is not an identifier, ...
  GNUPLOT_BRIDGE_BAD_ARGUMENT = 3,
  /// gnuplot ran but exited with a non-zero status (pipe mode, reported by close).
  GNUPLOT_BRIDGE_GNUPLOT_FAILED = 4,
  /// The session was already closed.
  GNUPLOT_BRIDGE_CLOSED = 5,
  /// Anything else caught on the C++ side (std::bad_alloc, ...).
  GNUPLOT_BRIDGE_INTERNAL = 6,
} GnuplotBridgeStatus;

/// An open file or pipe session; opaque to C and Swift.
typedef struct GnuplotBridgeSession GnuplotBridgeSession;

/// Opens a session that writes commands into the script file at `path` (created or truncated).
/// Returns NULL only when memory runs out; check gnuplot_bridge_status for an open failure.
GnuplotBridgeSession *gnuplot_bridge_open_file(const char *path);

/// Opens a session that pipes commands into a gnuplot process started from `gnuplotExecutable`
/// (a path or a name looked up on PATH by /bin/sh). Returns NULL only when memory runs out.
GnuplotBridgeSession *gnuplot_bridge_open_pipe(const char *gnuplotExecutable);

/// As gnuplot_bridge_open_pipe, but gnuplot is ended (SIGTERM, then SIGKILL 5 s later) when it
/// runs longer than `seconds` (> 0), and close() then reports exit status 124; 0 means no limit.
GnuplotBridgeSession *gnuplot_bridge_open_pipe_timeout(const char *gnuplotExecutable, int seconds);

/// Sends one command line; the bridge appends the newline.
GnuplotBridgeStatus gnuplot_bridge_command(GnuplotBridgeSession *session, const char *line);

/// Sends the named data block `$name << EOD`, `rows` lines of `columns` numbers taken row-major
/// from `values`, then `EOD`. Numbers are printed in the shortest form that reads back to the
/// same double (std::to_chars), separated by single spaces.
GnuplotBridgeStatus gnuplot_bridge_datablock(
  GnuplotBridgeSession *session, const char *name, const double *values, size_t rows,
  size_t columns);

/// Flushes and closes the file, or closes the pipe and waits for gnuplot to exit. In pipe mode a
/// non-zero exit status of gnuplot returns GNUPLOT_BRIDGE_GNUPLOT_FAILED.
GnuplotBridgeStatus gnuplot_bridge_close(GnuplotBridgeSession *session);

/// The first failure of the session, or GNUPLOT_BRIDGE_OK.
GnuplotBridgeStatus gnuplot_bridge_status(const GnuplotBridgeSession *session);

/// The message of the first failure ("" when none). Valid until gnuplot_bridge_free.
const char *gnuplot_bridge_last_error(const GnuplotBridgeSession *session);

/// gnuplot's exit status after close in pipe mode; -1 before close, in file mode, or when the
/// status could not be read.
int gnuplot_bridge_exit_status(const GnuplotBridgeSession *session);

/// What gnuplot printed on stderr (its errors, warnings and `print` output), read on close in
/// pipe mode; "" otherwise. Valid until gnuplot_bridge_free.
const char *gnuplot_bridge_gnuplot_output(const GnuplotBridgeSession *session);

/// Closes the session if still open and frees it. Accepts NULL.
void gnuplot_bridge_free(GnuplotBridgeSession *session);

#ifdef __cplusplus
}
#endif

#endif  // GNUPLOT_BRIDGE_H
