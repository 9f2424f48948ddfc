#include "runtime/app/node/signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace troupe {

namespace {

sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_shutdown_signals() {
  auto set = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

signal_watch::signal_watch(std::function<void(int)> on_first)
    : thread_([on_first = std::move(on_first)] {
        auto set = shutdown_set();
        int sig = 0;
        if (sigwait(&set, &sig) != 0) return;
        on_first(sig);
        if (sigwait(&set, &sig) != 0) return;
        static const char msg[] = "troupe: second signal, exiting now\n";
        [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
        std::_Exit(128 + sig);
      }) {}

signal_watch::~signal_watch() {
  thread_.detach();
}

}  // namespace troupe
