// metrics_registry: registration (with the naming rules), callback families
// and rendering. The metric types and families are in metrics.cpp.
#include <cmath>
#include <set>
#include <stdexcept>

#include "runtime/services/metrics/metrics.hpp"
#include "runtime/services/metrics/metrics_text.hpp"

namespace troupe {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] void fail(const std::string& name, const std::string& why) {
  throw std::invalid_argument("metric " + name + ": " + why);
}

void validate(const std::string& name, const std::string& help, metric_type type,
              const std::vector<std::string>& label_names) {
  if (!is_valid_metric_name(name)) fail(name, "invalid metric name");
  if (help.empty()) fail(name, "help text is empty");
  if ((type == metric_type::counter) != ends_with(name, "_total")) {
    fail(name, "counter names, and only they, end in _total");
  }
  std::set<std::string> seen;
  for (const auto& label : label_names) {
    if (!is_valid_label_name(label)) fail(name, "invalid label name '" + label + "'");
    if (type == metric_type::histogram && label == "le")
      fail(name, "label 'le' is reserved");
    if (!seen.insert(label).second) fail(name, "duplicate label name '" + label + "'");
  }
}

std::vector<double> normalized_bounds(const std::string& name,
                                      std::vector<double> bounds) {
  if (!bounds.empty() && std::isinf(bounds.back()) && bounds.back() > 0)
    bounds.pop_back();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) fail(name, "bucket bounds must be finite");
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      fail(name, "bucket bounds must be strictly increasing");
    }
  }
  return bounds;
}

// A family whose samples come from a function at scrape time.
class callback_family_impl final : public metric_family_base {
 public:
  callback_family_impl(metric_type type, std::string name, std::string help,
                       std::vector<std::string> label_names,
                       std::function<std::vector<labeled_value>()> collect)
      : metric_family_base(std::move(name), std::move(help), type,
                           std::move(label_names)),
        collect_(std::move(collect)) {}

  void render(std::string& out) const override {
    std::map<std::vector<std::string>, double> samples;
    for (auto& sample : collect_()) {
      if (sample.labels.size() == label_names().size()) {
        samples[std::move(sample.labels)] = sample.value;
      }
    }
    if (samples.empty()) return;
    append_header(out);
    for (const auto& [labels, value] : samples) {
      append_sample(out, name(), label_names(), labels, {}, {}, value);
    }
  }

 private:
  std::function<std::vector<labeled_value>()> collect_;
};

}  // namespace

metrics_registry::metrics_registry() = default;
metrics_registry::~metrics_registry() = default;

template <class Family, class Make>
Family& metrics_registry::find_or_add(const std::string& name, metric_type type,
                                      const std::vector<std::string>& label_names,
                                      const std::vector<double>& bounds, Make make) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto family = make();
    Family& result = *family;
    families_.emplace(name, std::move(family));
    return result;
  }
  auto* existing = dynamic_cast<Family*>(it->second.get());
  if (existing == nullptr || existing->type() != type ||
      existing->label_names() != label_names || existing->bounds() != bounds) {
    fail(name, "registered again with a different type, labels or buckets");
  }
  return *existing;
}

metric_family<counter>& metrics_registry::counter_family(
    std::string name, std::string help, std::vector<std::string> label_names) {
  validate(name, help, metric_type::counter, label_names);
  return find_or_add<metric_family<counter>>(
      name, metric_type::counter, label_names, {}, [&] {
        return std::make_unique<metric_family<counter>>(
            name, help, metric_type::counter, label_names, std::vector<double>{});
      });
}

metric_family<gauge>& metrics_registry::gauge_family(
    std::string name, std::string help, std::vector<std::string> label_names) {
  validate(name, help, metric_type::gauge, label_names);
  return find_or_add<metric_family<gauge>>(
      name, metric_type::gauge, label_names, {}, [&] {
        return std::make_unique<metric_family<gauge>>(name, help, metric_type::gauge,
                                                      label_names, std::vector<double>{});
      });
}

metric_family<histogram>& metrics_registry::histogram_family(
    std::string name, std::string help, std::vector<std::string> label_names,
    std::vector<double> bounds) {
  validate(name, help, metric_type::histogram, label_names);
  bounds = normalized_bounds(name, std::move(bounds));
  return find_or_add<metric_family<histogram>>(
      name, metric_type::histogram, label_names, bounds, [&] {
        return std::make_unique<metric_family<histogram>>(
            name, help, metric_type::histogram, label_names, bounds);
      });
}

counter& metrics_registry::counter_metric(std::string name, std::string help) {
  return counter_family(std::move(name), std::move(help), {}).with({});
}

gauge& metrics_registry::gauge_metric(std::string name, std::string help) {
  return gauge_family(std::move(name), std::move(help), {}).with({});
}

histogram& metrics_registry::histogram_metric(std::string name, std::string help,
                                              std::vector<double> bounds) {
  return histogram_family(std::move(name), std::move(help), {}, std::move(bounds))
      .with({});
}

void metrics_registry::gauge_callback(std::string name, std::string help,
                                      std::function<double()> sample) {
  callback_family(metric_type::gauge, std::move(name), std::move(help), {},
                  [sample = std::move(sample)] {
                    return std::vector<labeled_value>{{{}, sample()}};
                  });
}

void metrics_registry::counter_callback(std::string name, std::string help,
                                        std::function<double()> sample) {
  callback_family(metric_type::counter, std::move(name), std::move(help), {},
                  [sample = std::move(sample)] {
                    return std::vector<labeled_value>{{{}, sample()}};
                  });
}

void metrics_registry::callback_family(
    metric_type type, std::string name, std::string help,
    std::vector<std::string> label_names,
    std::function<std::vector<labeled_value>()> collect) {
  if (type == metric_type::histogram)
    fail(name, "callback families are counters or gauges");
  validate(name, help, type, label_names);
  std::lock_guard<std::mutex> lock(mutex_);
  if (families_.count(name) != 0) fail(name, "callback registered under a name in use");
  families_.emplace(
      name, std::make_unique<callback_family_impl>(
                type, name, std::move(help), std::move(label_names), std::move(collect)));
}

bool metrics_registry::remove_callback(const std::string& name) {
  std::unique_ptr<metric_family_base> removed;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end() ||
      dynamic_cast<callback_family_impl*>(it->second.get()) == nullptr) {
    return false;
  }
  removed = std::move(it->second);
  families_.erase(it);
  return true;
}

std::string metrics_registry::render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

}  // namespace troupe
