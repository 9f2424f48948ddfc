// troupe-kube-sim: a stand-in for kube-apiserver on loopback, serving the
// subset of the Kubernetes API that troupe's kubernetes provider uses (create,
// list by label selector, get and delete of objects in any namespaced
// collection) with the faults a real cluster shows: latency with jitter, a
// rate limit answered with 429 and Retry-After, random 5xx, slow successes
// (object created, answer after the client gave up) and a quota (403).
// Objects persist for the life of the process, so a controller that restarts
// sees what it created before. Semantics and endpoints: kube_api.hpp; flags:
// --help (sim_options.cpp).
//
// Prints "listening on http://HOST:PORT" on stderr once it serves, and runs
// until SIGINT or SIGTERM.
//
//   troupe-kube-sim --listen=127.0.0.1:0 --latency-ms=3000 --rate=50 --burst=50
//                   --error-rate=0.1 --slow-rate=0.01 --slow-ms=40000 --quota=0
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "perf/troupe-kube-sim/kube_api.hpp"
#include "perf/troupe-kube-sim/sim_options.hpp"
#include "runtime/services/http/server.hpp"

namespace {

troupe::result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) return troupe::status::error("--token-file=" + path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  token.erase(0, token.find_first_not_of(" \t\r\n"));
  if (token.empty()) return troupe::status::error("--token-file=" + path + ": empty");
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace troupe;
  // Taken by sigwait below; blocked before any thread starts so that none of
  // them gets these signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  bool help = false;
  auto options = kube_sim::parse_sim_options({argv + 1, argv + argc}, help);
  if (help) {
    std::cout << kube_sim::sim_usage;
    return 0;
  }
  if (!options) {
    std::cerr << "troupe-kube-sim: " << options.error().message() << "\n"
              << kube_sim::sim_usage;
    return 2;
  }
  std::string token;
  if (!options->token_file.empty()) {
    auto read = read_token(options->token_file);
    if (!read) {
      std::cerr << "troupe-kube-sim: " << read.error().message() << "\n";
      return 2;
    }
    token = std::move(*read);
  }

  http_options http;
  http.listen = options->listen;
  http.threads = options->threads;
  http.max_body_bytes = 3 << 20;  // kube-apiserver's limit for a request body
  http.max_inflight = 1 << 20;    // delayed answers wait as held responders
  http.idle_timeout = std::chrono::seconds(120);
  kube_sim::kube_api api(*options, token);
  http_server server(http);
  api.install(server);
  auto bound = server.start();
  if (!bound) {
    std::cerr << "troupe-kube-sim: " << bound.error().message() << "\n";
    return 1;
  }
  std::cerr << "listening on http://" << *bound << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "troupe-kube-sim: stopping on signal " << signal << std::endl;
  server.stop();
  return 0;
}
