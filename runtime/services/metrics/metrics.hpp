// metrics: the node's one registry of counters, gauges and histograms, rendered
// in the Prometheus text exposition format 0.0.4 (served at GET /metrics).
//
//   metrics_registry registry;
//   auto& requests = registry.counter_family(
//       "troupe_http_requests_total", "HTTP requests served", {"method", "code"});
//   counter& ok = requests.with({"GET", "200"});  // keep this reference
//   ok.inc();
//
// Threading: every member is thread-safe. Updating a metric is a few relaxed
// atomic operations. with() takes a shared lock (an exclusive one only to create
// a child), so hot paths look a child up once and keep the reference. Families
// and children are never removed: every reference returned here stays valid for
// the registry's lifetime.
//
// Errors: metric names, label names, label counts and bucket layouts are
// constants of the program, so a mistake in them is a programming error and
// throws std::invalid_argument at the call (in practice at startup). Label
// *values* are data: any string is accepted and escaped on output.
//
// Naming rules enforced on registration (so that `promtool check metrics` finds
// nothing to lint): names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names match
// [a-zA-Z_][a-zA-Z0-9_]* and do not start with "__", help is not empty, counter
// names end in "_total" and no other metric's name does.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace troupe {

enum class metric_type { counter, gauge, histogram };

// A monotonically increasing value (requests served, bytes written).
class counter {
 public:
  // Adds `amount`. Negative and NaN amounts are ignored: counters only go up.
  void inc(double amount = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down (queue depth, connections open).
class gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1);
  void dec(double amount = 1) { inc(-amount); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into buckets with fixed upper bounds (inclusive, "le").
class histogram {
 public:
  // `bounds`: finite upper bounds, strictly increasing; the +Inf bucket is
  // implicit. *bounds must remain live while this histogram is in use (the
  // owning family keeps it).
  explicit histogram(const std::vector<double>* bounds);

  // Records `value`. NaN is ignored (it would poison the sum forever).
  void observe(double value);

  struct snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  // A copy of the current state. Buckets are cumulative and count equals the
  // +Inf bucket; the sum may lag the buckets by a concurrent observation.
  snapshot collect() const;

 private:
  const std::vector<double>* bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, +Inf last
  std::atomic<double> sum_{0};
};

// What every family has in common; the registry renders families through it.
class metric_family_base {
 public:
  metric_family_base(std::string name, std::string help, metric_type type,
                     std::vector<std::string> label_names);
  virtual ~metric_family_base() = default;
  metric_family_base(const metric_family_base&) = delete;
  metric_family_base& operator=(const metric_family_base&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  metric_type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends "# HELP", "# TYPE" and every sample, children sorted by label
  // values. Appends nothing when the family has no samples.
  virtual void render(std::string& out) const = 0;

 protected:
  // Appends the "# HELP" and "# TYPE" lines.
  void append_header(std::string& out) const;

 private:
  std::string name_;
  std::string help_;
  metric_type type_;
  std::vector<std::string> label_names_;
};

// A named metric with labels: one child metric per distinct label-value tuple.
// Metric is counter, gauge or histogram.
template <class Metric>
class metric_family final : public metric_family_base {
 public:
  // `bounds` is used by histogram families only.
  metric_family(std::string name, std::string help, metric_type type,
                std::vector<std::string> label_names, std::vector<double> bounds);

  // Returns the child for `label_values` (one per label name, in the order the
  // names were registered), created at zero on first use. The reference stays
  // valid for the registry's lifetime. Throws std::invalid_argument when the
  // number of values differs from the number of label names.
  Metric& with(const std::vector<std::string>& label_values);

  // The bucket bounds of a histogram family (empty otherwise).
  const std::vector<double>& bounds() const { return bounds_; }

  void render(std::string& out) const override;

 private:
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;  // guards children_ (the map, not the values)
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

// One sample of a callback family: label values (one per label name) and value.
struct labeled_value {
  std::vector<std::string> labels;
  double value = 0;
};

class metrics_registry {
 public:
  // The Content-Type of render()'s output.
  static constexpr const char* content_type = "text/plain; version=0.0.4; charset=utf-8";

  metrics_registry();
  ~metrics_registry();
  metrics_registry(const metrics_registry&) = delete;
  metrics_registry& operator=(const metrics_registry&) = delete;

  // Registers (or finds) a family. Registering a name again with the same type,
  // label names (and bounds) returns the existing family; any other
  // re-registration, and any name or label that breaks the naming rules above,
  // throws std::invalid_argument. The help text of the first registration wins.
  metric_family<counter>& counter_family(std::string name, std::string help,
                                         std::vector<std::string> label_names);
  metric_family<gauge>& gauge_family(std::string name, std::string help,
                                     std::vector<std::string> label_names);
  // `bounds`: finite upper bounds, strictly increasing (a trailing +Inf is
  // accepted and dropped). Re-registration must give the same bounds.
  metric_family<histogram>& histogram_family(std::string name, std::string help,
                                             std::vector<std::string> label_names,
                                             std::vector<double> bounds);

  // Label-less conveniences: the single child of a family without labels.
  counter& counter_metric(std::string name, std::string help);
  gauge& gauge_metric(std::string name, std::string help);
  histogram& histogram_metric(std::string name, std::string help,
                              std::vector<double> bounds);

  // A gauge (or counter) whose value is computed at scrape time, e.g. uptime or
  // a queue's depth. `sample` runs on the thread that calls render(), with the
  // registry's lock held: it must be cheap, thread-safe, must not block and must
  // not call into this registry. Whatever it captures must stay live until
  // remove_callback(name) or the registry's destruction (capture a shared_ptr
  // or a pointer to something that outlives the registry). A name already
  // registered (callback or not) throws std::invalid_argument.
  void gauge_callback(std::string name, std::string help, std::function<double()> sample);
  void counter_callback(std::string name, std::string help,
                        std::function<double()> sample);
  // Labelled variant: `collect` returns the current samples, each with one label
  // value per name in `label_names`. `type` is counter or gauge. A sample with
  // the wrong number of labels is skipped; duplicate label tuples keep the last.
  void callback_family(metric_type type, std::string name, std::string help,
                       std::vector<std::string> label_names,
                       std::function<std::vector<labeled_value>()> collect);
  // Removes a callback family; returns false when `name` is not one.
  bool remove_callback(const std::string& name);

  // The whole registry in the text exposition format 0.0.4, families sorted by
  // name and children by label values, so equal states render equal text.
  std::string render() const;

 private:
  // Finds `name` or creates it with `make`; throws on a conflicting family.
  template <class Family, class Make>
  Family& find_or_add(const std::string& name, metric_type type,
                      const std::vector<std::string>& label_names,
                      const std::vector<double>& bounds, Make make);
  void add_callback(std::unique_ptr<metric_family_base> family);

  mutable std::mutex mutex_;  // guards families_ and serialises render()
  std::map<std::string, std::unique_ptr<metric_family_base>> families_;
};

// Bucket layouts. `count` bounds each: start, start*factor, ... / start+width*i.
std::vector<double> exponential_buckets(double start, double factor, int count);
std::vector<double> linear_buckets(double start, double width, int count);
// Latency buckets in seconds, 1ms to 10s (Prometheus' defaults plus 1ms).
std::vector<double> default_duration_buckets();

}  // namespace troupe
