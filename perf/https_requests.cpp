// https_requests: the node's HTTP server over TLS beside plain HTTP, on the
// same routes, measured with wrk (Debian's HTTP benchmarking tool).
//
// Two servers in this process, built as the node builds its own (2 io
// threads, one API token, a read-scoped route and an open one): one plain,
// one with a fresh P-256 certificate from the openssl CLI. wrk (1 thread, 16
// connections) drives each in turn, interleaved A, B, A, B, on
//   GET /api/hello   a read route with "Authorization: Bearer": auth + 2 B
//   GET /api/doc     the same with a 16 KiB JSON body
// with keep-alive (the TLS handshake once per connection) and with
// "Connection: close" (a handshake per request). Prints requests/s, p50 and
// p99 latency per case and the ratio HTTPS / HTTP; the last line is JSON.
//
//   ./build/https_requests [--quick]    (--quick: 1 s per run, one round)
#include <array>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "perf/workflow_perf.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/process/process_service.hpp"

using namespace troupe;

namespace {

const char* program = "https_requests";
const std::string token = "perf-token-0123456789abcdef";

[[noreturn]] void fail(const std::string& why) {
  perf::fail(program, why);
}

process_result run(process_service& service, std::vector<std::string> argv,
                   const std::string& cwd) {
  process_spec spec;
  spec.argv = std::move(argv);
  spec.cwd = cwd;
  spec.max_output_bytes = 1 << 20;
  std::promise<process_result> done;
  service.start(spec, [&done](process_result r) { done.set_value(std::move(r)); });
  auto r = done.get_future().get();
  if (!r.ok()) fail(spec.argv[0] + " failed: " + r.error + r.err);
  return r;
}

void add_routes(http_server& server) {
  static const std::string doc = [] {
    std::string s = "{\"items\":[";
    for (int i = 0; s.size() < 16 * 1024; ++i)
      s += (i ? "," : "") + std::string("{\"id\":") + std::to_string(i) +
           ",\"name\":\"x\"}";
    return s + "]}";
  }();
  server.route(
      "GET", "/api/hello",
      [](const http_request&, http_responder r) { r(text_response("hi")); },
      http_access::read);
  server.route(
      "GET", "/api/doc",
      [](const http_request&, http_responder r) { r(json_response(doc)); },
      http_access::read);
}

struct measured {
  double rps = 0, p50_ms = 0, p99_ms = 0;
};

// wrk's "Requests/sec:" and its --latency percentiles.
measured parse_wrk(const std::string& out) {
  measured m;
  auto number_after = [&](const std::string& label) {
    auto at = out.find(label);
    if (at == std::string::npos) fail("no '" + label + "' in wrk's output:\n" + out);
    return std::strtod(out.c_str() + at + label.size(), nullptr);
  };
  auto ms = [&](const std::string& label) {
    auto at = out.find(label);
    if (at == std::string::npos) fail("no '" + label + "' in wrk's output:\n" + out);
    char* end = nullptr;
    double v = std::strtod(out.c_str() + at + label.size(), &end);
    std::string unit(end, end + 2);
    if (unit.rfind("us", 0) == 0) return v / 1000;
    if (unit.rfind("ms", 0) == 0) return v;
    return v * 1000;  // "s"
  };
  m.rps = number_after("Requests/sec:");
  m.p50_ms = ms("50%");
  m.p99_ms = ms("99%");
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5, rounds = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      seconds = 1;
      rounds = 1;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  perf::temp_dir dir;
  process_service service;
  run(service,
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "api.key", "-out", "api.crt",
       "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"},
      dir.path());

  http_options plain_options;
  plain_options.listen = "127.0.0.1:0";
  plain_options.tokens = {{"perf", http_access::read, token}};
  auto tls_options = plain_options;
  tls_options.tls = {dir.path() + "/api.crt", dir.path() + "/api.key", "", ""};
  http_server plain(plain_options), tls(tls_options);
  add_routes(plain);
  add_routes(tls);
  auto plain_at = plain.start();
  auto tls_at = tls.start();
  if (!plain_at || !tls_at)
    fail(!plain_at ? plain_at.error().message() : tls_at.error().message());

  struct workload {
    std::string name, path;
    bool close;
  };
  std::vector<workload> workloads{{"hello, keep-alive", "/api/hello", false},
                                  {"16 KiB JSON, keep-alive", "/api/doc", false},
                                  {"hello, connection per request", "/api/hello", true}};
  // [workload][0: http, 1: https] → best of the rounds (the least disturbed).
  std::map<std::string, std::array<measured, 2>> best;
  for (int round = 0; round < rounds; ++round) {
    for (auto& w : workloads) {
      for (int scheme = 0; scheme < 2; ++scheme) {
        std::vector<std::string> cmd{"wrk",
                                     "-t1",
                                     "-c16",
                                     "-d" + std::to_string(seconds) + "s",
                                     "--latency",
                                     "-H",
                                     "Authorization: Bearer " + token};
        if (w.close) {
          cmd.push_back("-H");
          cmd.push_back("Connection: close");
        }
        cmd.push_back((scheme ? "https://" + *tls_at : "http://" + *plain_at) + w.path);
        auto m = parse_wrk(run(service, cmd, dir.path()).out);
        auto& slot = best[w.name][scheme];
        if (m.rps > slot.rps) slot = m;
      }
    }
  }

  std::printf("%-32s %12s %12s %8s %10s %10s\n", "workload", "http req/s", "https req/s",
              "ratio", "p99 http", "p99 https");
  std::string json =
      "{\"program\":\"https_requests\",\"seconds\":" + std::to_string(seconds) +
      ",\"rounds\":" + std::to_string(rounds) + ",\"workloads\":[";
  bool first = true;
  for (auto& w : workloads) {
    auto& [h, s] = best[w.name];
    double ratio = h.rps > 0 ? s.rps / h.rps : 0;
    std::printf("%-32s %12.0f %12.0f %7.2fx %8.2fms %8.2fms\n", w.name.c_str(), h.rps,
                s.rps, ratio, h.p99_ms, s.p99_ms);
    char entry[512];
    std::snprintf(
        entry, sizeof entry,
        "%s{\"name\":\"%s\",\"http_rps\":%.0f,\"https_rps\":%.0f,\"ratio\":%.3f,"
        "\"http_p50_ms\":%.3f,\"https_p50_ms\":%.3f,\"http_p99_ms\":%.3f,"
        "\"https_p99_ms\":%.3f}",
        first ? "" : ",", w.name.c_str(), h.rps, s.rps, ratio, h.p50_ms, s.p50_ms,
        h.p99_ms, s.p99_ms);
    json += entry;
    first = false;
  }
  std::printf("%s]}\n", json.c_str());
  return 0;
}
