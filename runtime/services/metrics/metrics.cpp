#include "runtime/services/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "runtime/services/metrics/metrics_text.hpp"

namespace troupe {

namespace {

// C++17 has no fetch_add for atomic<double>.
void atomic_add(std::atomic<double>& target, double amount) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + amount,
                                       std::memory_order_relaxed)) {
  }
}

const char* type_name(metric_type type) {
  switch (type) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      return "histogram";
  }
  return "untyped";
}

void render_child(std::string& out, const metric_family_base& family,
                  const std::vector<std::string>& labels, const counter& metric) {
  append_sample(out, family.name(), family.label_names(), labels, {}, {}, metric.value());
}

void render_child(std::string& out, const metric_family_base& family,
                  const std::vector<std::string>& labels, const gauge& metric) {
  append_sample(out, family.name(), family.label_names(), labels, {}, {}, metric.value());
}

void render_child(std::string& out, const metric_family_base& family,
                  const std::vector<std::string>& labels, const histogram& metric,
                  const std::vector<double>& bounds) {
  histogram::snapshot s = metric.collect();
  const std::string bucket = family.name() + "_bucket";
  std::string le;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    le.clear();
    append_metric_value(le, bounds[i]);
    append_sample(out, bucket, family.label_names(), labels, "le", le,
                  static_cast<double>(s.cumulative[i]));
  }
  append_sample(out, bucket, family.label_names(), labels, "le", "+Inf",
                static_cast<double>(s.count));
  append_sample(out, family.name() + "_sum", family.label_names(), labels, {}, {}, s.sum);
  append_sample(out, family.name() + "_count", family.label_names(), labels, {}, {},
                static_cast<double>(s.count));
}

}  // namespace

void counter::inc(double amount) {
  if (amount > 0) atomic_add(value_, amount);  // also false for NaN
}

void gauge::inc(double amount) {
  atomic_add(value_, amount);
}

histogram::histogram(const std::vector<double>* bounds)
    : bounds_(bounds), counts_(new std::atomic<std::uint64_t>[bounds->size() + 1]) {
  for (std::size_t i = 0; i <= bounds_->size(); ++i) counts_[i].store(0);
}

void histogram::observe(double value) {
  if (std::isnan(value)) return;
  // First bound >= value: "le" buckets are inclusive.
  auto bucket =
      std::lower_bound(bounds_->begin(), bounds_->end(), value) - bounds_->begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, value);
}

histogram::snapshot histogram::collect() const {
  snapshot s;
  s.cumulative.reserve(bounds_->size() + 1);
  for (std::size_t i = 0; i <= bounds_->size(); ++i) {
    s.count += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

void metric_family_base::append_header(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out.push_back(' ');
  append_help_text(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out.push_back(' ');
  out += type_name(type_);
  out.push_back('\n');
}

metric_family_base::metric_family_base(std::string name, std::string help,
                                       metric_type type,
                                       std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {}

template <class Metric>
metric_family<Metric>::metric_family(std::string name, std::string help, metric_type type,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds)
    : metric_family_base(std::move(name), std::move(help), type, std::move(label_names)),
      bounds_(std::move(bounds)) {}

template <class Metric>
Metric& metric_family<Metric>::with(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names().size()) {
    throw std::invalid_argument(
        "metric " + name() + ": expected " + std::to_string(label_names().size()) +
        " label values, got " + std::to_string(label_values.size()));
  }
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto it = children_.find(label_values);
    if (it != children_.end()) return *it->second;
  }
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto& child = children_[label_values];
  if (!child) {
    if constexpr (std::is_same_v<Metric, histogram>) {
      child = std::make_unique<histogram>(&bounds_);
    } else {
      child = std::make_unique<Metric>();
    }
  }
  return *child;
}

template <class Metric>
void metric_family<Metric>::render(std::string& out) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (children_.empty()) return;
  append_header(out);
  for (const auto& [labels, child] : children_) {
    if constexpr (std::is_same_v<Metric, histogram>) {
      render_child(out, *this, labels, *child, bounds_);
    } else {
      render_child(out, *this, labels, *child);
    }
  }
}

template class metric_family<counter>;
template class metric_family<gauge>;
template class metric_family<histogram>;

std::vector<double> exponential_buckets(double start, double factor, int count) {
  std::vector<double> bounds;
  for (int i = 0; i < count; ++i, start *= factor) bounds.push_back(start);
  return bounds;
}

std::vector<double> linear_buckets(double start, double width, int count) {
  std::vector<double> bounds;
  for (int i = 0; i < count; ++i) bounds.push_back(start + width * i);
  return bounds;
}

std::vector<double> default_duration_buckets() {
  return {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace troupe
