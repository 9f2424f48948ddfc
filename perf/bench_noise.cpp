// bench_noise: can troupe's numbers be trusted on the machine it runs on?
// The same real Google Benchmark program (perf/workloads/gbench_work, built
// against Debian's libbenchmark-dev) measured three ways, side by side in one
// run:
//
//   solo       the program run by itself, one run after another, nothing
//              else on the machine (the reference);
//   off        a standalone troupe node with two platforms on this one host,
//              [bench] isolation="off": each run, both platforms build (a
//              real g++ compile) and measure at the same time, as they did
//              before the host lock;
//   host       the same node with isolation="host" (the default): a suite
//              measures alone on the host; the other platform's build and
//              suite wait for it;
//   pinned     as host, and each platform's suites pinned to the last CPU
//              (cpus=[N-1]): what pinning adds.
//
// Each run's value is the median of its 10 repetitions of BM_Work. Printed
// per way: the CV of the run values (between runs, the noise a detector sees
// from run to run), the median within-run CV (from the repetitions), the
// ratio of the first to solo's (goal: host <= 1.5x solo), and the recall of
// an injected 10% step: trials drawn from the measured runs (bootstrap, in
// random order, 30 runs, the step at a random run in [12, 22), later runs
// scaled by 1.10 with their samples) given to troupe's detector, found only
// at the exact run; and the false positives of the same trials without a
// step. Prints a table, then one JSON line.
//
// Usage: bench_noise [--quick] [--runs N] [--trials T]
//   --quick: 3 runs per way and platform, 100 trials (CI checks it runs).
//   default: 20 runs, 1000 trials.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "actors/bench/regression.hpp"
#include "actors/bench/results.hpp"
#include "actors/bench/statistics.hpp"
#include "perf/perf_node.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/process/process_service.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace {

const char* program = "perf/bench_noise";
const char* benchmark_name = "BM_Work";

struct options {
  int runs = 20;
  int trials = 1000;
  bool quick = false;
};

std::vector<std::string> suite_argv(const std::string& workload) {
  return {workload, "--benchmark_format=json", "--benchmark_repetitions=10",
          "--benchmark_min_time=0.02",
          "--benchmark_filter=" + std::string(benchmark_name)};
}

// One run as the detector sees it: its median and its repetitions.
run_point point_of(const benchmark_result& r) {
  run_point p;
  p.value = r.median;
  p.samples = r.samples;
  return p;
}

// The reference: the program alone, `runs` times.
std::vector<run_point> measure_solo(const std::string& workload, int runs) {
  process_service service;
  std::vector<run_point> out;
  for (int i = 0; i < runs; ++i) {
    process_spec spec;
    spec.argv = suite_argv(workload);
    spec.max_output_bytes = 8 << 20;
    std::promise<process_result> done;
    service.start(spec, [&done](process_result r) { done.set_value(std::move(r)); });
    auto r = done.get_future().get();
    if (!r.ok()) perf::fail(program, "gbench_work failed: " + r.error + r.err);
    auto parsed = parse_google_benchmark(r.out, "gbench_work");
    if (!parsed) perf::fail(program, parsed.error().message());
    for (auto& b : parsed->benchmarks)
      if (b.name == benchmark_name) out.push_back(point_of(b));
  }
  return out;
}

// A translation unit that takes g++ a few seconds: the platforms' "build".
void write_build_source(const std::string& path) {
  std::ofstream out(path);
  out << "#include <regex>\n#include <map>\n#include <string>\n#include <iostream>\n"
         "#include <sstream>\n#include <vector>\n#include <algorithm>\n";
  for (int i = 0; i < 12; ++i)
    out << "int f" << i << "(const std::string& s) { std::regex r(\"a" << i
        << "+b\"); std::map<std::string, std::vector<int>> m; m[s].push_back(" << i
        << "); std::ostringstream o; o << s << m.size(); return "
           "std::regex_search(o.str(), r) ? "
        << i << " : 0; }\n";
}

// Two platforms on one standalone node with [bench] isolation=`isolation`;
// `runs` runs (tagged commits). Returns each platform's run values, in run
// order.
std::vector<std::vector<run_point>> measure_node(const std::string& troupe,
                                                 const std::string& workload,
                                                 const std::string& dir,
                                                 const std::string& isolation, int cpu,
                                                 int runs) {
  auto source = dir + "/build_me.cpp";
  write_build_source(source);
  auto port = perf::free_port(program);
  std::ofstream ini(dir + "/node.ini");
  ini << "[bench]\nwindow=1h\nisolation=\"" << isolation
      << "\"\nwiden-threshold=1000\ndrop-threshold=1000\n"
      << "intake-queue=1000\n[bench.platforms]\n";
  for (auto name : {"alpha", "beta"}) {
    ini << name << "={\n  workdir=\"" << dir << "\"\n  build=[\"g++\",\"-O2\",\"-c\",\""
        << source << "\",\"-o\",\"/dev/null\"]\n";
    if (cpu >= 0) ini << "  cpus=[" << cpu << "]\n";
    ini << "  suites={\n    gbench={\n      argv=[";
    auto argv = suite_argv(workload);
    for (std::size_t i = 0; i < argv.size(); ++i)
      ini << (i ? "," : "") << '"' << argv[i] << '"';
    ini << "]\n      format=\"google-benchmark\"\n    }\n  }\n}\n";
  }
  ini.close();
  perf::node_child node(program, troupe, dir + "/data",
                        {"--config-file=" + dir + "/node.ini",
                         "--http.listen=127.0.0.1:" + std::to_string(port)});
  auto api = perf::client_of(program, port);
  perf::await(program, *api, "/api/v1/bench/status", [](const std::string& body) {
    auto j = json::parse(body);
    return j && (*j)["ready"].is_bool() && (*j)["ready"].as_bool();
  });
  json::array_builder commits;
  for (int i = 0; i < runs; ++i) {
    char sha[41];
    std::snprintf(sha, sizeof sha, "%040d", i + 1);
    commits.push_back(json::object()
                          .set("sha", sha)
                          .set("branch", "main")
                          .set("message", "change [bench]"));
  }
  auto in = api->call("POST", "/api/v1/bench/commits", commits.build().dump());
  if (!in.ok() || in.status != 202) perf::fail(program, "commits not taken: " + in.body);
  perf::await(
      program, *api, "/api/v1/bench/runs?limit=1000",
      [runs](const std::string& body) {
        auto j = json::parse(body);
        if (!j) return false;
        int appended = 0;
        for (auto& r : (*j)["runs"].items())
          appended += r["state"].as_string() == "appended";
        return appended == runs;
      },
      std::chrono::seconds(60 * runs));
  std::vector<std::vector<run_point>> out;
  for (auto name : {"alpha", "beta"}) {
    auto r = api->call("GET", std::string("/api/v1/bench/history/") + name);
    auto doc = json::parse(r.body);
    if (!doc) perf::fail(program, "history of " + std::string(name) + ": " + r.body);
    std::vector<run_point> series;
    for (auto& run : (*doc)["runs"].items()) {
      auto b = run["results"].find(std::string("gbench/") + benchmark_name);
      if (!b)
        perf::fail(program,
                   "run without results on " + std::string(name) + ": " + run.dump());
      run_point p;
      p.value = (*b)["median"].as_double();
      for (auto& s : (*b)["samples"].items()) p.samples.push_back(s.as_double());
      series.push_back(std::move(p));
    }
    out.push_back(std::move(series));
  }
  return out;
}

double cv(const std::vector<double>& values) {
  auto s = summarize(values);
  return s.mean == 0 ? 0 : s.stddev / s.mean;
}

double between_cv(const std::vector<run_point>& runs) {
  std::vector<double> values;
  for (auto& r : runs) values.push_back(r.value);
  return cv(values);
}

double within_cv(const std::vector<run_point>& runs) {
  std::vector<double> cvs;
  for (auto& r : runs) cvs.push_back(cv(r.samples));
  return median(cvs);
}

struct trial_result {
  double recall = 0;
  double false_positive_rate = 0;
};

// Bootstrap trials from `pool` (see the header).
trial_result trials(const std::vector<run_point>& pool, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1), at(12, 21);
  detector_options opts;
  int found = 0, noisy = 0;
  for (int t = 0; t < count; ++t) {
    std::vector<run_point> series;
    for (int i = 0; i < 30; ++i) series.push_back(pool[pick(rng)]);
    for (auto& s : find_steps(series, opts))
      if (s.confirmed && s.evidence.kind != verdict::noise) {
        ++noisy;
        break;
      }
    auto step = at(rng);
    for (auto i = step; i < series.size(); ++i) {
      series[i].value *= 1.10;
      for (auto& x : series[i].samples) x *= 1.10;
    }
    for (auto& s : find_steps(series, opts))
      if (s.confirmed && s.index == step && s.evidence.kind == verdict::regression) {
        ++found;
        break;
      }
  }
  return {double(found) / count, double(noisy) / count};
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      o.quick = true;
      o.runs = 3;
      o.trials = 100;
    } else if (a.rfind("--runs=", 0) == 0) {
      o.runs = std::max(3, std::atoi(a.c_str() + 7));
    } else if (a.rfind("--trials=", 0) == 0) {
      o.trials = std::max(1, std::atoi(a.c_str() + 9));
    } else {
      perf::fail(program, "unknown argument '" + a +
                              "' (usage: bench_noise [--quick] [--runs=N] [--trials=T])");
    }
  }
  auto troupe = perf::troupe_beside(argv[0]);
  auto workload = troupe.substr(0, troupe.rfind('/') + 1) + "gbench_work";
  if (workload.front() != '/') workload = std::filesystem::absolute(workload).string();
  struct stat st;
  if (::stat(workload.c_str(), &st) != 0)
    perf::fail(program, "no " + workload + " (build the gbench_work target)");
  perf::temp_dir dir;

  struct way {
    std::string name;
    std::vector<std::vector<run_point>> platforms;
  };
  std::vector<way> ways;
  ways.push_back({"solo", {measure_solo(workload, o.runs)}});
  int last_cpu = static_cast<int>(std::thread::hardware_concurrency()) - 1;
  for (std::string w : {"off", "host", "pinned"}) {
    auto sub = dir.path() + "/" + w;
    std::filesystem::create_directories(sub);
    ways.push_back({w, measure_node(troupe, workload, sub, w == "off" ? "off" : "host",
                                    w == "pinned" ? last_cpu : -1, o.runs)});
  }

  double solo_cv = between_cv(ways[0].platforms[0]);
  std::printf("%-6s %-9s %5s %11s %12s %8s %12s %10s\n", "way", "platform", "runs",
              "between_cv", "within_cv", "x_solo", "recall_10%", "false_pos");
  json::array_builder rows;
  std::uint64_t seed = 1;
  for (auto& w : ways) {
    for (std::size_t p = 0; p < w.platforms.size(); ++p) {
      auto& runs = w.platforms[p];
      auto platform =
          w.name == "solo" ? std::string("-") : std::string(p == 0 ? "alpha" : "beta");
      auto b = between_cv(runs), in = within_cv(runs);
      auto t = trials(runs, o.trials, seed++);
      std::printf("%-6s %-9s %5zu %10.2f%% %11.2f%% %8.2f %12.3f %10.3f\n",
                  w.name.c_str(), platform.c_str(), runs.size(), b * 100, in * 100,
                  solo_cv > 0 ? b / solo_cv : 0, t.recall, t.false_positive_rate);
      rows.push_back(json::object()
                         .set("way", w.name)
                         .set("platform", platform)
                         .set("runs", static_cast<std::int64_t>(runs.size()))
                         .set("between_run_cv", b)
                         .set("within_run_cv", in)
                         .set("cv_vs_solo", solo_cv > 0 ? b / solo_cv : 0)
                         .set("recall_10pct", t.recall)
                         .set("false_positive_rate", t.false_positive_rate));
    }
  }
  std::printf("%s\n", json::object()
                          .set("benchmark", "bench_noise")
                          .set("results", rows.build())
                          .dump()
                          .c_str());
  return 0;
}
