// creation_sim: a discrete-event simulation of fleet's creation path, for
// tests and perf/creation_control. Header-only test support; simulated time
// only (no clock is read, nothing sleeps), deterministic for a seed.
//
// Server: a Kubernetes-like create endpoint with a token bucket (`rate`
// creates/s, `burst` capacity; a call finding it empty gets 429 with
// Retry-After = whole seconds until the next token, at least 1), latency
// mean +- jitter (uniform), random 5xx (object not created), slow successes
// (object created, answer after the client's timeout), a quota (403 beyond N
// objects) and an outage window (connection refused). The bucket decides when
// a call arrives: sent + uniform[0, uplink].
//
// Client: N runners with stable names, driven by the real pure logic:
// concurrency_controller (admission, pacing), circuit_breaker, classify and
// backoff. A retryable failure is retried after backoff.delay (Retry-After
// honoured); a 409 on a name the client owns is success; a runner whose last
// try was uncertain (timeout, 5xx) is checked by name on the server before
// it is reported failed, as fleet's creator does with a GET.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "actors/fleet/backoff.hpp"
#include "actors/fleet/circuit_breaker.hpp"
#include "actors/fleet/classify.hpp"
#include "actors/fleet/concurrency_controller.hpp"

namespace troupe::fleet::sim {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = clock::duration;
using std::chrono::milliseconds;

struct server_options {
  double rate = 0;  // creates per second; 0 = no limit
  double burst = 1;
  duration latency = milliseconds(200);
  duration jitter = milliseconds(0);
  duration reject_latency = milliseconds(20);  // 429s: mean, +-50%
  duration uplink = milliseconds(5);           // arrival = sent + uniform[0, uplink]
  double error_rate = 0;                       // random 500s
  double slow_rate = 0;                        // created, answered after the timeout
  std::size_t quota = 0;                       // 403 beyond this many objects; 0 = none
  // Calls the server works on at once before it slows down: with more in
  // progress, each new call's latency grows in proportion (a queue). 0 = none.
  std::size_t capacity = 0;
  duration outage_from{}, outage_to{};  // connection refused in [from, to)
};

struct client_options {
  std::size_t runners = 100;
  controller_options control;
  backoff_policy backoff;
  breaker_options breaker;
  duration timeout = std::chrono::seconds(30);
  std::uint64_t seed = 1;
  // Debugging: called after every answer with the simulated time in seconds.
  std::function<void(double, const call_report&, const concurrency_controller&)> trace;
};

struct report {
  double seconds = 0;  // simulated time until every runner is settled
  std::size_t created = 0, failed = 0;
  std::size_t objects = 0;    // on the server at the end
  std::size_t untracked = 0;  // objects the client does not count as created
  std::size_t missing = 0;    // runners the client counts as created that do not exist
  std::size_t calls = 0, throttled = 0, retries = 0, server_errors = 0, timeouts = 0;
  std::size_t conflicts = 0;  // 409s taken as success (a retry after an uncertain try)
  std::size_t checked = 0;    // uncertain runners found on the server by the final check
  std::size_t breaker_opened = 0, max_in_flight = 0;
  std::size_t final_limit = 0;                  // the controller's limit at the end
  std::map<std::string, std::size_t> failures;  // by reason
  double throttled_share() const { return calls ? double(throttled) / double(calls) : 0; }
};

class simulation {
 public:
  simulation(server_options server, client_options client)
      : server_(server),
        client_(client),
        ctl_(client.control),
        backoff_(client.backoff),
        breaker_(client.breaker),
        server_rng_(client.seed * 7919 + 1),
        client_rng_(client.seed),
        runners_(client.runners) {}

  report run() {
    tokens_ = server_.burst;
    bucket_at_ = start_;
    for (std::size_t i = 0; i < runners_.size(); ++i) fresh_.push_back(i);
    dispatch(start_);
    while (!events_.empty()) {
      event e = events_.top();
      events_.pop();
      now_ = e.at;
      if (e.kind == event::arrive)
        arrive(e.call);
      else if (e.kind == event::respond)
        respond(e.call);
      else
        wakes_.erase(e.at);
      dispatch(now_);
    }
    finish();
    return out_;
  }

 private:
  struct runner {
    int attempts = 0;
    bool uncertain = false;
    bool settled = false;
    bool created = false;
  };
  struct call {
    std::size_t runner = 0;
    call_ticket ticket;
    call_report result;
    time_point sent;
    bool working = false;  // the server is working on it (capacity model)
  };
  struct event {
    enum kind_t { arrive, respond, wake } kind;
    time_point at;
    std::uint64_t seq;
    std::size_t call;
    bool operator<(const event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  double uniform() { return unit_draw(server_rng_); }
  duration spread(duration mean, duration plus_minus) {
    double x = double(mean.count()) + (2 * uniform() - 1) * double(plus_minus.count());
    return duration(std::max<duration::rep>(1, static_cast<duration::rep>(x)));
  }
  void schedule(event::kind_t kind, time_point at, std::size_t call = 0) {
    events_.push(event{kind, at, seq_++, call});
  }
  void wake_at(time_point at) {
    if (at == time_point::max() || !wakes_.insert(at).second) return;
    schedule(event::wake, at);
  }

  // A due retry goes ahead of fresh runners: it is older, and the unlucky
  // tail of retries is what sets the time of the whole batch.
  bool due(time_point now) const {
    return !fresh_.empty() || (!retries_.empty() && retries_.begin()->first <= now);
  }
  std::size_t next_runner(time_point now) {
    if (!retries_.empty() && retries_.begin()->first <= now) {
      std::size_t r = retries_.begin()->second;
      retries_.erase(retries_.begin());
      return r;
    }
    std::size_t r = fresh_.front();
    fresh_.pop_front();
    return r;
  }

  void dispatch(time_point now) {
    while (due(now)) {
      time_point t = ctl_.next_send_time(now);
      if (t > now) return wake_at(t);
      if (!breaker_.allow(now)) {
        // max(): a half-open probe is out; only its answer can change that.
        auto wait = breaker_.time_until_retry(now);
        if (wait != duration::max()) wake_at(now + wait);
        return;
      }
      auto ticket = ctl_.try_acquire(now);
      std::size_t r = next_runner(now);
      calls_.push_back(call{r, *ticket, {}, now});
      ++runners_[r].attempts;
      ++out_.calls;
      out_.max_in_flight = std::max(out_.max_in_flight, ctl_.in_flight());
      schedule(event::arrive,
               now + duration(static_cast<duration::rep>(uniform() *
                                                         double(server_.uplink.count()))),
               calls_.size() - 1);
    }
    if (!retries_.empty()) wake_at(retries_.begin()->first);
  }

  // The server decides; the answer is scheduled (or replaced by the client's
  // timeout).
  void arrive(std::size_t id) {
    call& c = calls_[id];
    const time_point deadline = c.sent + client_.timeout;
    auto answer = [&](int status, duration after) {
      c.result.http_status = status;
      time_point at = now_ + after;
      if (at > deadline) {
        c.result = call_report{};
        c.result.transport = transport_error::timeout;
        at = deadline;
      }
      schedule(event::respond, at, id);
    };
    auto since = now_ - start_;
    if (since >= server_.outage_from && since < server_.outage_to) {
      c.result.transport = transport_error::connection_refused;
      return schedule(event::respond, now_ + milliseconds(1), id);
    }
    if (server_.rate > 0) {
      tokens_ =
          std::min(server_.burst,
                   tokens_ + std::chrono::duration<double>(now_ - bucket_at_).count() *
                                 server_.rate);
      bucket_at_ = now_;
      if (tokens_ < 1) {
        double wait = (1 - tokens_) / server_.rate;
        c.result.retry_after =
            std::to_string(std::max<long>(1, std::lround(std::ceil(wait))));
        c.result.status_reason = "TooManyRequests";
        return answer(429, spread(server_.reject_latency, server_.reject_latency / 2));
      }
      tokens_ -= 1;
    }
    // Past its capacity the server queues: latency grows with the work.
    duration latency = spread(server_.latency, server_.jitter);
    if (server_.capacity && working_ >= server_.capacity)
      latency = latency * static_cast<duration::rep>(working_ + 1) /
                static_cast<duration::rep>(server_.capacity);
    c.working = true;
    ++working_;
    const bool exists = objects_.count(c.runner) > 0;
    if (!exists && server_.quota && objects_.size() >= server_.quota) {
      c.result.status_message = "exceeded quota: runners";
      c.result.status_reason = "Forbidden";
      return answer(403, latency);
    }
    if (uniform() < server_.error_rate) return answer(500, latency);
    if (exists) {
      c.result.status_reason = "AlreadyExists";
      return answer(409, latency);
    }
    objects_.insert(c.runner);
    if (uniform() < server_.slow_rate) return answer(201, client_.timeout + latency);
    answer(201, latency);
  }

  void respond(std::size_t id) {
    call& c = calls_[id];
    if (c.working) {
      c.working = false;
      --working_;
    }
    runner& r = runners_[c.runner];
    c.result.name_owned = true;  // every name here is the client's own
    classification k = classify(c.result, std::chrono::system_clock::time_point{});
    ctl_.on_result(
        c.ticket, now_, feedback_of(c.result, k),
        k.retry_after ? std::optional<duration>(*k.retry_after) : std::nullopt);
    if (client_.trace)
      client_.trace(std::chrono::duration<double>(now_ - start_).count(), c.result, ctl_);
    if (k.api_failure())
      breaker_.on_failure(now_);
    else
      breaker_.on_success(now_);
    out_.throttled += k.throttled;
    out_.server_errors += c.result.http_status >= 500;
    out_.timeouts += c.result.transport == transport_error::timeout;
    if (k.succeeded()) {
      out_.conflicts += k.outcome == call_outcome::already_exists;
      return settle(c.runner, true, "");
    }
    r.uncertain = r.uncertain || k.uncertain;
    if (k.outcome == call_outcome::retryable && backoff_.may_retry(r.attempts)) {
      ++out_.retries;
      std::optional<duration> floor;
      if (k.retry_after) floor = *k.retry_after;
      retries_.emplace(now_ + backoff_.delay(r.attempts, client_rng_, floor), c.runner);
      return;
    }
    // Giving up. After an uncertain try the runner may exist: check by name.
    if (r.uncertain && objects_.count(c.runner)) {
      ++out_.checked;
      return settle(c.runner, true, "");
    }
    settle(c.runner, false, std::string(k.reason));
  }

  void settle(std::size_t id, bool created, const std::string& reason) {
    runners_[id].settled = true;
    runners_[id].created = created;
    if (created) {
      ++out_.created;
    } else {
      ++out_.failed;
      ++out_.failures[reason];
    }
    out_.seconds = std::chrono::duration<double>(now_ - start_).count();
  }

  void finish() {
    out_.objects = objects_.size();
    out_.breaker_opened = breaker_.times_opened();
    out_.final_limit = ctl_.limit(now_);
    for (std::size_t i : objects_) out_.untracked += !runners_[i].created;
    for (const runner& r : runners_)
      out_.missing += r.created && !objects_.count(&r - runners_.data());
  }

  server_options server_;
  client_options client_;
  concurrency_controller ctl_;
  backoff backoff_;
  circuit_breaker breaker_;
  std::mt19937_64 server_rng_, client_rng_;
  std::vector<runner> runners_;
  std::vector<call> calls_;
  std::deque<std::size_t> fresh_;                   // never tried, in order
  std::multimap<time_point, std::size_t> retries_;  // due time -> runner
  std::priority_queue<event> events_;
  std::set<time_point> wakes_;
  std::set<std::size_t> objects_;
  double tokens_ = 0;
  std::size_t working_ = 0;
  time_point bucket_at_;
  const time_point start_ = time_point{} + std::chrono::hours(1);
  time_point now_ = start_;
  std::uint64_t seq_ = 0;
  report out_;
};

inline report run(const server_options& server, const client_options& client) {
  return simulation(server, client).run();
}

}  // namespace troupe::fleet::sim
