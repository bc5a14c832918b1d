// The C API of GnuplotBridge.h over gnuplot-iostream's `Gnuplot` stream.
//
// gnuplot-iostream gives us the two session kinds: `Gnuplot(FILE *)` writes into a file we opened,
// and `Gnuplot(command)` popen()s a process and writes into its standard input. What it does not
// give is a way to learn that anything went wrong: its destructor prints "pclose returned error"
// on std::cerr and carries on. So the bridge adds three things around it:
//
// 1. Every C++ exception is caught here and turned into a status code and a message.
// 2. In pipe mode the shell command saves gnuplot's stderr and exit status in two temporary
//    files, which close() reads back.
// 3. Writes into the pipe run with SIGPIPE blocked, so a gnuplot that has already exited (not
//    installed, killed) gives a write error instead of killing the calling process.

#include "GnuplotBridge.h"

#include <gnuplot-iostream.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <pthread.h>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

/// Blocks SIGPIPE on this thread for its lifetime and discards a SIGPIPE raised meanwhile (the
/// write then fails with EPIPE, which the stream reports). The usual recipe for libraries that
/// must not change the process's signal dispositions.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
    sigset_t pending;
    sigpending(&pending);
    wasPending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (!wasPending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        const timespec zero = {0, 0};
        sigtimedwait(&set, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard &) = delete;
  SigpipeGuard &operator=(const SigpipeGuard &) = delete;

 private:
  sigset_t old_;
  bool wasPending_ = false;
};

/// `text` as one single-quoted /bin/sh word: ' becomes '\''.
std::string shellQuoted(const std::string &text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// The whole file as a string, or "" when it cannot be read.
std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A gnuplot data-block name: a letter or '_' followed by letters, digits and '_'.
bool isIdentifier(const char *name) {
  if (name == nullptr || name[0] == '\0') return false;
  for (const char *p = name; *p != '\0'; ++p) {
    const bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_';
    const bool digit = *p >= '0' && *p <= '9';
    if (!letter && !(digit && p != name)) return false;
  }
  return true;
}

/// The shortest decimal form of `value` that reads back to the same double.
void appendShortest(std::string &out, double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

struct GnuplotBridgeSession {
  std::unique_ptr<Gnuplot> gp;   // the gnuplot-iostream stream, null once closed
  std::FILE *file = nullptr;     // file mode: the FILE* that `gp` writes to (and fcloses)
  bool isPipe = false;
  std::string tempDir;           // pipe mode: holds `log` and `status`
  GnuplotBridgeStatus status = GNUPLOT_BRIDGE_OK;
  std::string message;
  int exitStatus = -1;
  std::string gnuplotOutput;

  /// Records the first failure only; returns the sticky status.
  GnuplotBridgeStatus fail(GnuplotBridgeStatus code, const std::string &what) {
    if (status == GNUPLOT_BRIDGE_OK) {
      status = code;
      message = what;
    }
    return status;
  }

  std::string describe() const { return isPipe ? "gnuplot pipe" : "script file"; }
};

namespace {

/// Runs `body` with SIGPIPE blocked, turning any exception into `session->fail`.
template <typename Body>
GnuplotBridgeStatus guarded(GnuplotBridgeSession *session, const char *what, Body body) {
  if (session == nullptr) return GNUPLOT_BRIDGE_BAD_ARGUMENT;
  if (session->status != GNUPLOT_BRIDGE_OK) return session->status;
  try {
    SigpipeGuard guard;
    return body();
  } catch (const std::exception &error) {
    return session->fail(GNUPLOT_BRIDGE_INTERNAL, std::string(what) + ": " + error.what());
  } catch (...) {
    return session->fail(GNUPLOT_BRIDGE_INTERNAL, std::string(what) + ": unknown C++ exception");
  }
}

/// Flushes the stream and reports a write error on the session.
GnuplotBridgeStatus flushed(GnuplotBridgeSession *session, const char *what) {
  session->gp->flush();
  if (!session->gp->good()) {
    return session->fail(
      GNUPLOT_BRIDGE_WRITE_FAILED,
      std::string(what) + ": writing to the " + session->describe() + " failed"
        + (session->isPipe ? " (gnuplot exited early?)" : ""));
  }
  return GNUPLOT_BRIDGE_OK;
}

/// Removes the pipe session's temporary directory and the two files in it.
void removeTempDir(GnuplotBridgeSession *session) {
  if (session->tempDir.empty()) return;
  std::remove((session->tempDir + "/status").c_str());
  std::remove((session->tempDir + "/log").c_str());
  rmdir(session->tempDir.c_str());
  session->tempDir.clear();
}

GnuplotBridgeStatus ensureOpen(GnuplotBridgeSession *session, const char *what) {
  if (!session->gp) {
    return session->fail(GNUPLOT_BRIDGE_CLOSED, std::string(what) + ": the session is closed");
  }
  return GNUPLOT_BRIDGE_OK;
}

}  // namespace

extern "C" {

GnuplotBridgeSession *gnuplot_bridge_open_file(const char *path) {
  GnuplotBridgeSession *session = new (std::nothrow) GnuplotBridgeSession();
  if (session == nullptr) return nullptr;
  if (path == nullptr) {
    session->fail(GNUPLOT_BRIDGE_BAD_ARGUMENT, "open file: the path is NULL");
    return session;
  }
  guarded(session, "open file", [&] {
    std::FILE *file = std::fopen(path, "w");
    if (file == nullptr) {
      return session->fail(
        GNUPLOT_BRIDGE_OPEN_FAILED,
        std::string("cannot open ") + path + " for writing: " + std::strerror(errno));
    }
    fcntl(fileno(file), F_SETFD, FD_CLOEXEC);  // keep it out of gnuplot children
    session->file = file;
    session->gp = std::make_unique<Gnuplot>(file);  // from here on `gp` owns (fcloses) it
    return GNUPLOT_BRIDGE_OK;
  });
  return session;
}

GnuplotBridgeSession *gnuplot_bridge_open_pipe(const char *gnuplotExecutable) {
  return gnuplot_bridge_open_pipe_timeout(gnuplotExecutable, 0);
}

GnuplotBridgeSession *gnuplot_bridge_open_pipe_timeout(const char *gnuplotExecutable, int seconds) {
  GnuplotBridgeSession *session = new (std::nothrow) GnuplotBridgeSession();
  if (session == nullptr) return nullptr;
  session->isPipe = true;
  if (gnuplotExecutable == nullptr || gnuplotExecutable[0] == '\0') {
    session->fail(GNUPLOT_BRIDGE_BAD_ARGUMENT, "open pipe: no gnuplot executable given");
    return session;
  }
  guarded(session, "open pipe", [&] {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && tmp[0] ? tmp : "/tmp") + "/gnuplot-bridge-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return session->fail(
        GNUPLOT_BRIDGE_OPEN_FAILED,
        "cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    }
    session->tempDir = pattern;
    // gnuplot's stdout (a PNG when no `set output` was given) goes nowhere; its stderr and its
    // exit status go to the two files that close() reads.
    // With a time limit, coreutils' timeout(1) ends a gnuplot that hangs (TERM, then KILL 5 s
    // later) and exits with 124, which close() reports as gnuplot's status.
    const std::string limit =
      seconds > 0 ? "timeout -k 5 " + std::to_string(seconds) + " " : std::string();
    const std::string command = limit + shellQuoted(gnuplotExecutable) + " >/dev/null 2>"
      + shellQuoted(pattern + "/log") + "; echo $? >" + shellQuoted(pattern + "/status");
    session->gp = std::make_unique<Gnuplot>(command);
    return GNUPLOT_BRIDGE_OK;
  });
  return session;
}

GnuplotBridgeStatus gnuplot_bridge_command(GnuplotBridgeSession *session, const char *line) {
  return guarded(session, "command", [&] {
    if (line == nullptr) return session->fail(GNUPLOT_BRIDGE_BAD_ARGUMENT, "command: NULL line");
    if (ensureOpen(session, "command") != GNUPLOT_BRIDGE_OK) return session->status;
    *session->gp << line << '\n';
    return flushed(session, "command");
  });
}

GnuplotBridgeStatus gnuplot_bridge_datablock(
  GnuplotBridgeSession *session, const char *name, const double *values, size_t rows,
  size_t columns) {
  return guarded(session, "data block", [&] {
    if (!isIdentifier(name)) {
      return session->fail(
        GNUPLOT_BRIDGE_BAD_ARGUMENT,
        std::string("data block: name '") + (name ? name : "(null)")
          + "' is not an identifier (letters, digits, '_')");
    }
    if (rows > 0 && (columns == 0 || values == nullptr)) {
      return session->fail(
        GNUPLOT_BRIDGE_BAD_ARGUMENT,
        std::string("data block $") + name + ": rows without columns or values");
    }
    if (ensureOpen(session, "data block") != GNUPLOT_BRIDGE_OK) return session->status;
    std::string text = std::string("$") + name + " << EOD\n";
    for (size_t i = 0; i < rows; ++i) {
      for (size_t j = 0; j < columns; ++j) {
        if (j > 0) text += ' ';
        appendShortest(text, values[i * columns + j]);
      }
      text += '\n';
    }
    text += "EOD\n";
    *session->gp << text;
    return flushed(session, "data block");
  });
}

GnuplotBridgeStatus gnuplot_bridge_close(GnuplotBridgeSession *session) {
  if (session == nullptr) return GNUPLOT_BRIDGE_BAD_ARGUMENT;
  if (!session->gp) {
    return session->status != GNUPLOT_BRIDGE_OK
      ? session->status : session->fail(GNUPLOT_BRIDGE_CLOSED, "close: already closed");
  }
  try {
    SigpipeGuard guard;
    if (!session->isPipe) {
      // Flush and fsync before fclose (in ~Gnuplot), so that a caller that renames the file
      // into place renames complete contents.
      if (session->status == GNUPLOT_BRIDGE_OK
          && flushed(session, "close") == GNUPLOT_BRIDGE_OK
          && fsync(fileno(session->file)) != 0) {
        session->fail(
          GNUPLOT_BRIDGE_WRITE_FAILED,
          std::string("close: fsync of the script file failed: ") + std::strerror(errno));
      }
      session->gp.reset();  // fclose
      session->file = nullptr;
      return session->status;
    }
    session->gp.reset();  // EOF on gnuplot's stdin, then pclose waits for the shell
    const std::string statusText = readFile(session->tempDir + "/status");
    session->gnuplotOutput = readFile(session->tempDir + "/log");
    removeTempDir(session);
    // A write that failed because gnuplot had already exited is better explained by gnuplot's
    // own exit status and messages, so those replace it.
    const GnuplotBridgeStatus writeStatus = session->status;
    const std::string writeMessage = session->message;
    if (writeStatus == GNUPLOT_BRIDGE_WRITE_FAILED) {
      session->status = GNUPLOT_BRIDGE_OK;
      session->message.clear();
    }
    char *end = nullptr;
    const long code = std::strtol(statusText.c_str(), &end, 10);
    if (statusText.empty() || end == statusText.c_str()) {
      return session->fail(
        GNUPLOT_BRIDGE_GNUPLOT_FAILED, "gnuplot did not report an exit status (killed?)");
    }
    session->exitStatus = static_cast<int>(code);
    if (code == 127 || code == 126) {
      return session->fail(
        GNUPLOT_BRIDGE_OPEN_FAILED,
        "gnuplot could not be started (status " + std::to_string(code)
          + "): " + session->gnuplotOutput);
    }
    if (code != 0) {
      return session->fail(
        GNUPLOT_BRIDGE_GNUPLOT_FAILED,
        "gnuplot exited with status " + std::to_string(code) + ": " + session->gnuplotOutput);
    }
    if (writeStatus == GNUPLOT_BRIDGE_WRITE_FAILED) session->fail(writeStatus, writeMessage);
    return session->status;
  } catch (const std::exception &error) {
    return session->fail(GNUPLOT_BRIDGE_INTERNAL, std::string("close: ") + error.what());
  } catch (...) {
    return session->fail(GNUPLOT_BRIDGE_INTERNAL, "close: unknown C++ exception");
  }
}

GnuplotBridgeStatus gnuplot_bridge_status(const GnuplotBridgeSession *session) {
  return session ? session->status : GNUPLOT_BRIDGE_BAD_ARGUMENT;
}

const char *gnuplot_bridge_last_error(const GnuplotBridgeSession *session) {
  return session ? session->message.c_str() : "no session";
}

int gnuplot_bridge_exit_status(const GnuplotBridgeSession *session) {
  return session ? session->exitStatus : -1;
}

const char *gnuplot_bridge_gnuplot_output(const GnuplotBridgeSession *session) {
  return session ? session->gnuplotOutput.c_str() : "";
}

void gnuplot_bridge_free(GnuplotBridgeSession *session) {
  if (session == nullptr) return;
  if (session->gp) gnuplot_bridge_close(session);
  removeTempDir(session);
  delete session;
}

}  // extern "C"
