#include "runtime/app/node/signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace troupe {

namespace {

sigset_t watched_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_shutdown_signals() {
  auto set = watched_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

signal_watch::signal_watch(std::function<void(int)> on_first,
                           std::function<void()> on_hangup)
    : thread_([on_first = std::move(on_first), on_hangup = std::move(on_hangup)] {
        auto set = watched_set();
        bool shutting_down = false;
        for (;;) {
          int sig = 0;
          if (sigwait(&set, &sig) != 0) return;
          if (sig == SIGHUP) {
            if (on_hangup) on_hangup();
            continue;
          }
          if (!shutting_down) {
            shutting_down = true;
            on_first(sig);
            continue;
          }
          static const char msg[] = "troupe: second signal, exiting now\n";
          [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
          std::_Exit(128 + sig);
        }
      }) {}

signal_watch::~signal_watch() {
  thread_.detach();
}

}  // namespace troupe
