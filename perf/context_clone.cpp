// context_clone: what it costs to hand a workflow context to a task or a
// with-items item. The context is built as the engine builds it
// (execution.hpp: {"parameters", "vars", "task", "system"}, each finished
// task set persistently as task.<name> = {"result", "state"}) holding 0, 10,
// 100 and 500 task results of 10 KB each (an object with an exit code and an
// array of 100 strings of ~90 bytes: empty to ~5 MB).
//
// Per size, two figures:
//   clone_ns      one copy of the json value (copy construction: what a
//                 dispatch or an item costs). Timed over batches of 1M copies
//                 into a pre-allocated vector (which keeps every copy alive,
//                 so none can be optimized away, and keeps release out of the
//                 timed loop); the median of 9 batches, per copy.
//   deep_copy_ns  a rebuild of the same data, as an executor that copies its
//                 context per item does: every array, object and string
//                 allocated again (recursive rebuild through the builders);
//                 the median of several rebuilds.
// clone_flatness = max/min of clone_ns over the sizes (target ≤ 1.2,
// clone_ns ≤ 10). context_bytes is the size of the context's compact JSON.
// Prints a table, then one JSON line; clone_flatness is in every row.
//
//   context_clone [--quick]     (quick: 3 batches of 200k copies, fewer rebuilds)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/base/json/json.hpp"

using namespace troupe;

namespace {

struct row {
  std::size_t task_results = 0;
  std::size_t context_bytes = 0;
  double clone_ns = 0;
  double deep_copy_ns = 0;
};

// A task result of about 10 KB: {"exit_code": 0, "lines": [100 strings]}.
json task_result(std::size_t task) {
  json::array_builder lines(100);
  for (std::size_t i = 0; i < 100; ++i) {
    std::string line =
        "task " + std::to_string(task) + " line " + std::to_string(i) + ": ";
    line.resize(90, 'x');
    lines.push_back(json(line));
  }
  json::object_builder r;
  r.set("exit_code", json(0));
  r.set("lines", lines.build());
  return r.build();
}

// A context with `n` finished tasks, built step by step as the engine does.
json make_context(std::size_t n) {
  json::object_builder system;
  system.set("execution", json("perf-execution"));
  system.set("workflow", json("context_clone"));
  system.set("started", json("2026-11-22T00:00:00Z"));
  json::object_builder ctx;
  ctx.set("parameters", json::object().set("hosts", json::array().push_back(json("a"))));
  ctx.set("vars", json::object().set("deployed", json(0)));
  ctx.set("task", json::object());
  ctx.set("system", system.build());
  json context = ctx.build();
  for (std::size_t t = 0; t < n; ++t) {
    json::object_builder entry;
    entry.set("result", task_result(t));
    entry.set("state", json("succeeded"));
    context =
        context.set("task", context["task"].set("t" + std::to_string(t), entry.build()));
  }
  return context;
}

// A copy of `v` sharing nothing with it.
json deep_copy(const json& v) {
  switch (v.type()) {
    case json_type::string:
      return json(v.as_string());
    case json_type::array: {
      json::array_builder b(v.size());
      for (const json& item : v.items()) b.push_back(deep_copy(item));
      return b.build();
    }
    case json_type::object: {
      json::object_builder b;
      for (auto m : v.members()) b.set(m.key, deep_copy(m.value));
      return b.build();
    }
    default:
      return v;
  }
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

using clock_type = std::chrono::steady_clock;

double elapsed_ns(clock_type::time_point since) {
  return std::chrono::duration<double, std::nano>(clock_type::now() - since).count();
}

// Median ns per copy of `context` over `batches` batches of `copies`.
double time_clone(const json& context, std::vector<json>& sink, std::size_t copies,
                  int batches) {
  std::vector<double> per_copy;
  for (int b = 0; b < batches; ++b) {
    sink.clear();  // releases the previous batch, untimed; capacity stays
    auto start = clock_type::now();
    for (std::size_t i = 0; i < copies; ++i) sink.push_back(context);
    per_copy.push_back(elapsed_ns(start) / static_cast<double>(copies));
  }
  sink.clear();
  return median(per_copy);
}

// Median ns of one deep copy of `context` over `runs` rebuilds.
double time_deep_copy(const json& context, int runs) {
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    auto start = clock_type::now();
    json copy = deep_copy(context);
    times.push_back(elapsed_ns(start));
    if (copy.identity() == context.identity() && !context.is_null()) std::abort();
    // Destruction of the copy is not timed (a clone's release is not either).
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t copies = 1'000'000;
  int batches = 9, deep_runs = 15;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      copies = 200'000;
      batches = 3;
      deep_runs = 3;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }

  std::vector<json> sink;
  sink.reserve(copies);
  sink.assign(copies, json());  // touch the pages before timing anything
  sink.clear();

  std::vector<row> rows;
  for (std::size_t n : {0, 10, 100, 500}) {
    json context = make_context(n);
    json copy = deep_copy(context);
    if (copy != context) {
      std::fprintf(stderr, "context_clone: the deep copy differs from the original\n");
      return 1;
    }
    row r;
    r.task_results = n;
    r.context_bytes = context.dump().size();
    time_clone(context, sink, copies / 10, 1);  // warm-up
    r.clone_ns = time_clone(context, sink, copies, batches);
    r.deep_copy_ns = time_deep_copy(context, n >= 100 ? deep_runs : deep_runs * 4);
    rows.push_back(r);
  }
  double lo = rows[0].clone_ns, hi = rows[0].clone_ns;
  for (const row& r : rows) {
    lo = std::min(lo, r.clone_ns);
    hi = std::max(hi, r.clone_ns);
  }
  double flatness = lo > 0 ? hi / lo : 0;

  std::printf(
      "context_clone: median of %d batches of %zu clones; deep copy = full rebuild\n",
      batches, copies);
  std::printf("%-13s %14s %10s %16s %14s\n", "task_results", "context_bytes", "clone_ns",
              "deep_copy_ns", "deep/clone");
  for (const row& r : rows) {
    std::printf("%-13zu %14zu %10.2f %16.0f %13.0fx\n", r.task_results, r.context_bytes,
                r.clone_ns, r.deep_copy_ns, r.deep_copy_ns / r.clone_ns);
  }
  std::printf(
      "clone_flatness (max/min clone_ns): %.3f  (target <= 1.2; clone_ns target <= 10)\n",
      flatness);
  std::printf("{\"benchmark\":\"context_clone\",\"results\":[");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    std::printf(
        "%s{\"task_results\":%zu,\"context_bytes\":%zu,\"clone_ns\":%.3f,"
        "\"deep_copy_ns\":%.1f,\"clone_flatness\":%.4f}",
        i ? "," : "", r.task_results, r.context_bytes, r.clone_ns, r.deep_copy_ns,
        flatness);
  }
  std::printf("]}\n");
  return 0;
}
