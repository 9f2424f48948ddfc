#include "actors/fleet/provider_sim.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace troupe::fleet {

namespace asio = boost::asio;

struct sim_provider::impl {
  sim_options opt;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::thread thread;
  mutable std::mutex mu;  // guards everything below
  std::mt19937_64 rng;
  std::map<std::string, runner_object> objects;
  sim_counts counts;
  double tokens = 0;
  std::chrono::steady_clock::time_point refilled = std::chrono::steady_clock::now();
  exit_listener listener;

  explicit impl(sim_options o) : opt(o), rng(o.seed) {
    if (opt.burst <= 0) opt.burst = opt.rate;
    tokens = opt.burst;
    thread = std::thread([this] { io.run(); });
  }

  ~impl() {
    guard.reset();
    io.stop();
    thread.join();
  }

  std::chrono::nanoseconds latency() {
    if (opt.jitter.count() == 0) return opt.latency;
    std::uniform_int_distribution<std::int64_t> d(-opt.jitter.count(),
                                                  opt.jitter.count());
    return std::max(std::chrono::nanoseconds{0},
                    opt.latency + std::chrono::nanoseconds{d(rng)});
  }

  // Answers `done` with `report` after the simulated latency.
  void answer_later(std::chrono::nanoseconds delay, call_done done, call_report report) {
    auto timer = std::make_shared<asio::steady_timer>(io, delay);
    timer->async_wait([timer, done = std::move(done), report = std::move(report)](auto) {
      done(report);
    });
  }

  static call_report status(int code, std::string reason, std::string message = {}) {
    call_report r;
    r.http_status = code;
    r.status_reason = std::move(reason);
    r.status_message = std::move(message);
    return r;
  }

  // Token bucket: true when a create may proceed; otherwise sets the seconds
  // until the next token.
  bool take_token(int& retry_after_s) {
    if (opt.rate <= 0) return true;
    auto now = std::chrono::steady_clock::now();
    tokens = std::min(
        opt.burst,
        tokens + opt.rate * std::chrono::duration<double>(now - refilled).count());
    refilled = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    retry_after_s = std::max(1, static_cast<int>(std::ceil((1 - tokens) / opt.rate)));
    return false;
  }

  std::uint64_t duplicates() const {
    std::set<std::pair<std::string, std::string>> seen;
    std::uint64_t dups = 0;
    for (auto& [name, o] : objects) {
      auto pool = o.labels.count(pool_label) ? o.labels.at(pool_label) : "";
      auto slot = o.labels.count(slot_label) ? o.labels.at(slot_label) : name;
      if (!seen.insert({pool, slot}).second) ++dups;
    }
    return dups;
  }
};

sim_provider::sim_provider(sim_options options)
    : impl_(std::make_unique<impl>(options)) {}

sim_provider::~sim_provider() = default;

void sim_provider::create(const runner_spec& spec, call_done done) {
  call_report report;
  std::chrono::nanoseconds delay;
  {
    std::lock_guard<std::mutex> guard{impl_->mu};
    auto& st = *impl_;
    delay = st.latency();
    int retry_after = 0;
    if (st.opt.error_rate > 0 &&
        std::uniform_real_distribution<double>(0, 1)(st.rng) < st.opt.error_rate) {
      ++st.counts.server_errors;
      report = impl::status(500, "InternalError", "simulated server error");
    } else if (!st.take_token(retry_after)) {
      ++st.counts.throttled;
      report = impl::status(429, "TooManyRequests", "rate limit");
      report.retry_after = std::to_string(retry_after);
    } else if (st.objects.count(spec.name) > 0) {
      ++st.counts.conflicts;
      report = impl::status(409, "AlreadyExists", spec.name + " already exists");
    } else if (st.opt.quota > 0 && st.objects.size() >= st.opt.quota) {
      ++st.counts.quota_rejections;
      report = impl::status(403, "Forbidden",
                            "exceeded quota: runners=" + std::to_string(st.opt.quota));
    } else {
      runner_object o;
      o.name = spec.name;
      o.labels = {{pool_label, spec.pool},
                  {owner_label, spec.owner},
                  {slot_label, std::to_string(spec.slot)},
                  {generation_label, std::to_string(spec.generation)}};
      st.objects[spec.name] = std::move(o);
      ++st.counts.creates_served;
      report = impl::status(201, "");
    }
  }
  impl_->answer_later(delay, std::move(done), std::move(report));
}

void sim_provider::remove(const std::string&, const std::string& name, call_done done) {
  call_report report;
  std::chrono::nanoseconds delay;
  {
    std::lock_guard<std::mutex> guard{impl_->mu};
    delay = impl_->latency();
    if (impl_->objects.erase(name) > 0) {
      ++impl_->counts.deletes;
      report = impl::status(200, "");
    } else {
      report = impl::status(404, "NotFound", name + " not found");
    }
  }
  impl_->answer_later(delay, std::move(done), std::move(report));
}

void sim_provider::list(const std::string& pool, const std::string& owner,
                        list_done done) {
  std::vector<runner_object> out;
  std::chrono::nanoseconds delay;
  {
    std::lock_guard<std::mutex> guard{impl_->mu};
    delay = impl_->latency();
    for (auto& [name, o] : impl_->objects) {
      auto p = o.labels.find(pool_label);
      auto w = o.labels.find(owner_label);
      if (p != o.labels.end() && p->second == pool && w != o.labels.end() &&
          w->second == owner)
        out.push_back(o);
    }
  }
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, delay);
  timer->async_wait([timer, done = std::move(done), out = std::move(out)](auto) {
    call_report ok;
    ok.http_status = 200;
    done(true, out, ok);
  });
}

void sim_provider::on_exit(exit_listener listener) {
  std::lock_guard<std::mutex> guard{impl_->mu};
  impl_->listener = std::move(listener);
}

void sim_provider::finish(const std::string& name, int exit_code) {
  exit_listener listener;
  {
    std::lock_guard<std::mutex> guard{impl_->mu};
    if (impl_->objects.erase(name) == 0) return;
    listener = impl_->listener;
  }
  if (listener) listener(name, exit_code);
}

sim_counts sim_provider::counts() const {
  std::lock_guard<std::mutex> guard{impl_->mu};
  auto c = impl_->counts;
  c.objects = impl_->objects.size();
  c.duplicates = impl_->duplicates();
  return c;
}

}  // namespace troupe::fleet
