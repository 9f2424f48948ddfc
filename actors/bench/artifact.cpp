#include "actors/bench/artifact.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <thread>

#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

json strings_json(const std::vector<std::string>& v) {
  json::array_builder a(v.size());
  for (auto& s : v) a.push_back(s);
  return a.build();
}

// Reads the members of one artifact; the first error wins and is kept.
struct reader {
  json_fields fields;
  status first;

  const json* get(const json& obj, const json_path& at, const char* key, json_type want,
                  bool required = true) {
    if (!first) return nullptr;
    auto r = required ? fields.require(obj, at, key, want)
                      : fields.optional(obj, at, key, want);
    if (!r) {
      first = r.error();
      return nullptr;
    }
    return *r;
  }
  std::string text(const json& obj, const json_path& at, const char* key,
                   bool required = true) {
    auto* v = get(obj, at, key, json_type::string, required);
    return v ? std::string(v->as_string()) : std::string{};
  }
  double number(const json& obj, const json_path& at, const char* key) {
    auto* v = get(obj, at, key, json_type::real, false);  // null: NaN (unknown)
    return v ? v->as_double() : std::numeric_limits<double>::quiet_NaN();
  }
  std::int64_t integer(const json& obj, const json_path& at, const char* key) {
    auto* v = get(obj, at, key, json_type::integer);
    return v ? v->as_int() : 0;
  }
  std::vector<std::string> strings(const json& obj, const json_path& at,
                                   const char* key) {
    std::vector<std::string> out;
    auto* v = get(obj, at, key, json_type::array);
    if (v == nullptr) return out;
    std::size_t i = 0;
    for (auto& s : v->items()) {
      if (auto st = fields.expect(s, at.key(key).index(i++), json_type::string); !st) {
        if (first) first = st;
        return out;
      }
      out.emplace_back(s.as_string());
    }
    return out;
  }
};

benchmark_result read_result(reader& r, const json& obj, const json_path& at) {
  benchmark_result b;
  b.name = r.text(obj, at, "benchmark");
  b.unit = r.text(obj, at, "unit");
  b.n = static_cast<std::size_t>(std::max<std::int64_t>(0, r.integer(obj, at, "n")));
  b.mean = r.number(obj, at, "mean");
  b.median = r.number(obj, at, "median");
  b.stddev = r.number(obj, at, "stddev");
  b.min = r.number(obj, at, "min");
  b.max = r.number(obj, at, "max");
  if (auto* samples = r.get(obj, at, "samples", json_type::array)) {
    std::size_t i = 0;
    for (auto& s : samples->items()) {
      if (auto st = r.fields.expect(s, at.key("samples").index(i++), json_type::real);
          !st) {
        if (r.first) r.first = st;
        break;
      }
      b.samples.push_back(s.as_double());
    }
  }
  if (auto* e = r.get(obj, at, "error", json_type::boolean)) b.error = e->as_bool();
  b.error_message = r.text(obj, at, "error_message", false);
  return b;
}

}  // namespace

host_facts read_host_facts() {
  host_facts h;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0) h.hostname = name;
  struct utsname u {};
  if (uname(&u) == 0)
    h.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  h.cpu_count = std::thread::hardware_concurrency();
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    auto colon = line.find(':');
    if (colon != std::string::npos)
      h.cpu_model = line.substr(line.find_first_not_of(' ', colon + 1));
    break;
  }
  return h;
}

std::string benchmark_key(const std::string& suite, const std::string& name) {
  return suite + "/" + name;
}

json to_json(const host_facts& h) {
  json::object_builder b;
  b.set("hostname", h.hostname);
  b.set("kernel", h.kernel);
  b.set("cpu_model", h.cpu_model);
  b.set("cpu_count", h.cpu_count);
  return b.build();
}

json to_json(const benchmark_result& r) {
  json::object_builder b;
  b.set("n", r.n);
  b.set("mean", r.mean);
  b.set("median", r.median);
  b.set("stddev", r.stddev);
  b.set("min", r.min);  // NaN (unknown) is written as null
  b.set("max", r.max);
  json::array_builder samples(r.samples.size());
  for (double s : r.samples) samples.push_back(s);
  b.set("samples", samples.build());
  b.set("unit", r.unit);
  b.set("error", r.error);
  b.set("error_message", r.error_message);
  return b.build();
}

json to_json(const artifact& a) {
  json::object_builder b;
  b.set("schema_version", artifact::schema_version);
  b.set("run_id", a.run_id);
  b.set("platform", a.platform);
  b.set("branch", a.branch);
  b.set("commit", a.commit);
  b.set("commit_range", strings_json(a.commit_range));
  b.set("skipped_before", strings_json(a.skipped_before));
  b.set("reason", a.reason);
  b.set("host", to_json(a.host));
  b.set("started_ms", a.started_ms);
  b.set("finished_ms", a.finished_ms);
  json::array_builder results(a.results.size());
  for (auto& r : a.results) {
    auto one = to_json(r.result).set("suite", r.suite).set("benchmark", r.result.name);
    results.push_back(one);
  }
  b.set("results", results.build());
  json::array_builder failures(a.failures.size());
  for (auto& f : a.failures) {
    json::object_builder o;
    o.set("step", f.step);
    o.set("repetition", f.repetition);
    o.set("kind", f.kind);
    o.set("exit_code", f.exit_code);
    o.set("message", f.message);
    failures.push_back(o.build());
  }
  b.set("failures", failures.build());
  json::array_builder measurements(a.measurements.size());
  for (auto& m : a.measurements) {
    json::object_builder o;
    o.set("suite", m.suite);
    o.set("repetition", m.repetition);
    o.set("seconds", m.seconds);
    o.set("cpu_seconds", m.cpu_seconds);
    o.set("foreign_cpu_seconds", m.foreign_cpu_seconds);
    o.set("attempts", m.attempts);
    measurements.push_back(o.build());
  }
  b.set("measurements", measurements.build());
  return b.build();
}

result<artifact> parse_artifact(std::string_view text, std::string_view source_name) {
  auto doc = json::parse(text, source_name);
  if (!doc) return doc.error();
  reader r{json_fields(source_name), status::ok()};
  json_path root;
  if (auto st = r.fields.expect(*doc, root, json_type::object); !st) return st;
  auto version = r.integer(*doc, root, "schema_version");
  if (r.first && version != artifact::schema_version)
    return r.fields.error(root.key("schema_version"),
                          "unsupported version " + std::to_string(version) +
                              " (this node reads " +
                              std::to_string(artifact::schema_version) + ")");
  artifact a;
  auto run = r.integer(*doc, root, "run_id");
  a.run_id = run > 0 ? static_cast<std::uint64_t>(run) : 0;
  a.platform = r.text(*doc, root, "platform");
  a.branch = r.text(*doc, root, "branch");
  a.commit = r.text(*doc, root, "commit");
  a.commit_range = r.strings(*doc, root, "commit_range");
  a.skipped_before = r.strings(*doc, root, "skipped_before");
  a.reason = r.text(*doc, root, "reason");
  if (auto* h = r.get(*doc, root, "host", json_type::object)) {
    auto at = root.key("host");
    a.host.hostname = r.text(*h, at, "hostname");
    a.host.kernel = r.text(*h, at, "kernel");
    a.host.cpu_model = r.text(*h, at, "cpu_model");
    a.host.cpu_count = static_cast<std::uint32_t>(r.integer(*h, at, "cpu_count"));
  }
  a.started_ms = r.integer(*doc, root, "started_ms");
  a.finished_ms = r.integer(*doc, root, "finished_ms");
  if (auto* results = r.get(*doc, root, "results", json_type::array)) {
    std::size_t i = 0;
    for (auto& item : results->items()) {
      auto at = root.key("results").index(i++);
      if (auto st = r.fields.expect(item, at, json_type::object); !st) return st;
      artifact_result one;
      one.suite = r.text(item, at, "suite");
      one.result = read_result(r, item, at);
      a.results.push_back(std::move(one));
    }
  }
  if (auto* failures = r.get(*doc, root, "failures", json_type::array)) {
    std::size_t i = 0;
    for (auto& item : failures->items()) {
      auto at = root.key("failures").index(i++);
      if (auto st = r.fields.expect(item, at, json_type::object); !st) return st;
      artifact_failure f;
      f.step = r.text(item, at, "step");
      f.repetition = static_cast<std::uint32_t>(r.integer(item, at, "repetition"));
      f.kind = r.text(item, at, "kind");
      f.exit_code = static_cast<std::int32_t>(r.integer(item, at, "exit_code"));
      f.message = r.text(item, at, "message");
      a.failures.push_back(std::move(f));
    }
  }
  // Optional: artifacts written before measurements were recorded lack it.
  if (auto* ms = r.get(*doc, root, "measurements", json_type::array, false)) {
    std::size_t i = 0;
    for (auto& item : ms->items()) {
      auto at = root.key("measurements").index(i++);
      if (auto st = r.fields.expect(item, at, json_type::object); !st) return st;
      artifact_measurement m;
      m.suite = r.text(item, at, "suite");
      m.repetition = static_cast<std::uint32_t>(r.integer(item, at, "repetition"));
      m.seconds = r.number(item, at, "seconds");
      m.cpu_seconds = r.number(item, at, "cpu_seconds");
      m.foreign_cpu_seconds = r.number(item, at, "foreign_cpu_seconds");
      m.attempts = static_cast<std::uint32_t>(r.integer(item, at, "attempts"));
      a.measurements.push_back(std::move(m));
    }
  }
  if (!r.first) return r.first;
  return a;
}

}  // namespace troupe::bench
