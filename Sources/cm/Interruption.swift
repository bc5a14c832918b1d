// Ctrl-C and `kill`: a training run finishes its step, saves, says how to resume, exits 130.

import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Set by the first SIGINT or SIGTERM; read by the run driver after every step.
private let interruptRequested = Atomic<Bool>(false)

/// SIGINT and SIGTERM request a clean stop instead of killing the process: the handler only
/// sets a flag (an atomic store is async-signal-safe), and restores the default action, so a
/// second Ctrl-C still kills at once.
enum Interruption {
  /// Installs the handlers (once per process).
  static func install() {
    // A parent may start us with these signals blocked (the mask is inherited across exec):
    // unblock them, or a stop request would wait until the process ends.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigaddset(&unblock, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber) { received in
        interruptRequested.store(true, ordering: .relaxed)
        signal(received, SIG_DFL)
      }
    }
  }

  /// Whether a stop was requested.
  static var requested: Bool { interruptRequested.load(ordering: .relaxed) }
}

/// The run stopped on SIGINT or SIGTERM after saving: exits with 130 (128 + SIGINT), as shells
/// report a Ctrl-C, after one line saying how to go on.
struct Interrupted: Error, CustomStringConvertible {
  var description: String
}

/// Reading or writing a file failed (not a usage error): exits with 74 (EX_IOERR of sysexits.h).
struct IOFailure: Error, CustomStringConvertible {
  var description: String
}
