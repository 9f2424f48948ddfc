#include "actors/bench/bench_config.hpp"

#include <caf/config_option_adder.hpp>
#include <caf/config_value.hpp>

#include "runtime/services/config/settings_reader.hpp"
#include "runtime/services/process/spawn.hpp"

namespace troupe::bench {

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(name.front())) != 0;
}

const char* name_rule =
    "1-40 letters, digits, '-', '_' or '.', starting with a letter or digit";

result<suite_config> read_suite(const node_config& cfg, const std::string& prefix,
                                const std::string& name, const caf::config_value& value) {
  auto* dict = caf::get_if<caf::settings>(&value);
  if (dict == nullptr)
    return status::error(cfg.origin(prefix) + ": suite '" + name + "' must be a map: " +
                         name + "={ argv=[...] format=\"simple\" }");
  suite_config s;
  s.name = name;
  std::string format = "simple";
  settings_reader r(cfg, prefix, *dict);
  r.get("argv", s.argv);
  r.get("format", format);
  r.get("repetitions", s.repetitions);
  r.get("timeout", s.timeout);
  if (auto st = r.finish(); !st) return st;
  if (!valid_name(name))
    return status::error(cfg.origin(prefix) + ": suite name '" + name + "' must be " +
                         name_rule);
  if (s.argv.empty())
    return r.error("argv", "must name a program: argv=[\"prog\", \"arg\"]");
  auto f = parse_result_format(format);
  if (!f) return r.error("format", f.error().message());
  s.format = *f;
  if (s.repetitions < 1 || s.repetitions > 1000)
    return r.error("repetitions", "expects 1..1000");
  if (s.timeout.count() < 0) return r.error("timeout", "expects a positive duration");
  return s;
}

result<platform_config> read_platform(const node_config& cfg, const std::string& name,
                                      const caf::config_value& value) {
  auto prefix = "bench.platforms." + name;
  auto* dict = caf::get_if<caf::settings>(&value);
  if (dict == nullptr)
    return status::error(cfg.origin(prefix) + ": platform '" + name +
                         "' must be a map: " + name +
                         "={ workdir=\"...\" suites={ ... } }");
  if (!valid_name(name))
    return status::error(cfg.origin(prefix) + ": platform name '" + name + "' must be " +
                         name_rule);
  platform_config p;
  p.name = name;
  settings_reader r(cfg, prefix, *dict);
  r.get("labels", p.labels);
  r.get("node", p.node);
  r.get("workdir", p.workdir);
  r.get("build", p.build);
  r.get("cpus", p.cpus);
  std::vector<std::string> env;
  r.get("env", env);
  r.get("clear-env", p.clear_env);
  auto* suites = r.get_map("suites");
  if (auto st = r.finish(); !st) return st;
  if (auto st = check_cpus(p.cpus); !st) return r.error("cpus", st.message());
  for (auto& e : env) {
    auto eq = e.find('=');
    if (eq == 0 || eq == std::string::npos)
      return r.error("env", "expects NAME=VALUE strings, got \"" + e + "\"");
    p.env.emplace_back(e.substr(0, eq), e.substr(eq + 1));
  }
  if (suites == nullptr || suites->empty())
    return r.error("suites",
                   "must hold at least one suite: suites={ name={ argv=[...] } }");
  for (auto& [suite, v] : *suites) {
    auto s = read_suite(cfg, prefix + ".suites." + suite, suite, v);
    if (!s) return s.error();
    p.suites.push_back(std::move(*s));
  }
  return p;
}

}  // namespace

void declare_bench_options(node_config& cfg, bench_settings& s) {
  cfg.section("bench")
      .add(s.window, "window", "a branch's commits within this time become one run")
      .add(s.widen_threshold, "widen-threshold", "queued runs above which windows widen")
      .add(s.drop_threshold, "drop-threshold",
           "queued runs above which queued runs are dropped")
      .add(s.widen_factor, "widen-factor", "a widened window lasts this many windows")
      .add(s.tag, "tag", "a commit message holding this runs that commit on its own")
      .add(s.intake_queue, "intake-queue",
           "queued runs + unsaved commits before the API answers 429")
      .add(s.collector_deadline, "collector-deadline",
           "after dispatch, how long a run waits for every platform before it is "
           "appended without them")
      .add(s.scheduled_interval, "scheduled-interval",
           "run every branch with pending commits this often; 0s = never")
      .add(s.history_dir, "history-dir",
           "where history-<platform>.jsonl files go; \"\" = <data-dir>/bench")
      .add(s.retention_runs, "retention-runs", "history keeps the newest N runs; 0 = all")
      .add(s.baseline_runs, "baseline-runs", "regression detection: runs in the baseline")
      .add(s.confirm_runs, "confirm-runs",
           "regression detection: runs that confirm a step")
      .add(s.min_change, "min-change",
           "regression detection: smaller relative changes are noise")
      .add(s.max_noise, "max-noise",
           "regression detection: series noisier than this (run-to-run CV) are "
           "flagged noisy")
      .add(s.alert_webhook, "alert-webhook",
           "URL POSTed with each regression; \"\" = none")
      .add(s.suite_timeout, "suite-timeout", "default timeout of one suite command")
      .add(s.build_timeout, "build-timeout", "timeout of a platform's build command")
      .add(s.max_output_bytes, "max-output-bytes",
           "output kept per stream of one command")
      .add(s.isolation, "isolation",
           "\"host\": a suite measures alone on its host; \"off\": no isolation")
      .add(s.max_disturbance, "max-disturbance",
           "CPUs others may use beside a suite before it is measured again")
      .add(s.disturbance_retries, "disturbance-retries",
           "how often a disturbed suite command is measured again");
  cfg.dynamic_section("bench.platforms");
}

status check_bench_settings(const node_config& cfg, const bench_settings& s) {
  auto bad = [&](const std::string& key, const std::string& expected) {
    return status::error(cfg.origin(key) + ": key '" + key + "' expects " + expected);
  };
  if (s.window < std::chrono::seconds(1)) return bad("bench.window", "at least 1s");
  if (s.widen_threshold < 1) return bad("bench.widen-threshold", "at least 1");
  if (s.drop_threshold < s.widen_threshold)
    return bad("bench.drop-threshold", "at least widen-threshold");
  if (s.widen_factor < 1 || s.widen_factor > 100)
    return bad("bench.widen-factor", "1..100");
  if (s.intake_queue < 1) return bad("bench.intake-queue", "at least 1");
  if (s.collector_deadline < std::chrono::seconds(1))
    return bad("bench.collector-deadline", "at least 1s");
  if (s.scheduled_interval.count() < 0)
    return bad("bench.scheduled-interval", "0s or a positive duration");
  if (s.scheduled_interval.count() > 0 && s.scheduled_interval < std::chrono::seconds(1))
    return bad("bench.scheduled-interval", "0s or at least 1s");
  if (s.baseline_runs < 2 || s.baseline_runs > 1000)
    return bad("bench.baseline-runs", "2..1000");
  if (s.confirm_runs < 1 || s.confirm_runs > 100)
    return bad("bench.confirm-runs", "1..100");
  if (!(s.min_change >= 0 && s.min_change < 10))
    return bad("bench.min-change", "a fraction in [0, 10)");
  if (!(s.max_noise > 0 && s.max_noise < 10))
    return bad("bench.max-noise", "a fraction in (0, 10)");
  if (!s.alert_webhook.empty() && s.alert_webhook.rfind("http://", 0) != 0 &&
      s.alert_webhook.rfind("https://", 0) != 0)
    return bad("bench.alert-webhook", "an http:// or https:// URL");
  if (s.suite_timeout < std::chrono::milliseconds(1))
    return bad("bench.suite-timeout", "a positive duration");
  if (s.build_timeout < std::chrono::milliseconds(1))
    return bad("bench.build-timeout", "a positive duration");
  if (s.max_output_bytes < 1024) return bad("bench.max-output-bytes", "at least 1024");
  if (s.isolation != "host" && s.isolation != "off")
    return bad("bench.isolation", "\"host\" or \"off\"");
  if (!(s.max_disturbance > 0 && s.max_disturbance <= 1024))
    return bad("bench.max-disturbance", "a number of CPUs in (0, 1024]");
  if (s.disturbance_retries > 10) return bad("bench.disturbance-retries", "0..10");
  return status::ok();
}

result<std::vector<platform_config>> read_platforms(const node_config& cfg) {
  std::vector<platform_config> out;
  auto platforms = dynamic_entries(cfg, "bench.platforms", "one map per platform");
  if (!platforms) return platforms.error();
  if (*platforms == nullptr) return out;
  for (auto& [name, value] : **platforms) {
    auto p = read_platform(cfg, name, value);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  return out;
}

window_options window_options_of(const bench_settings& s) {
  window_options o;
  o.window = std::chrono::duration_cast<std::chrono::seconds>(s.window);
  o.widen_threshold = s.widen_threshold;
  o.drop_threshold = s.drop_threshold;
  o.widen_factor = static_cast<unsigned>(s.widen_factor);
  o.tag = s.tag;
  return o;
}

detector_options detector_options_of(const bench_settings& s) {
  detector_options o;
  o.baseline_runs = s.baseline_runs;
  o.min_baseline_runs = std::min<std::size_t>(o.min_baseline_runs, s.baseline_runs);
  o.confirm_runs = s.confirm_runs;
  o.min_change = s.min_change;
  o.max_noise = s.max_noise;
  return o;
}

}  // namespace troupe::bench
