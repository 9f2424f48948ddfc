#include "actors/fleet/provider_process.hpp"

#include <dirent.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/services/process/process_service.hpp"

namespace troupe::fleet {

namespace {

std::string join(const std::vector<std::string>& xs, const char* sep) {
  std::string out;
  for (auto& x : xs) out += (out.empty() ? "" : sep) + x;
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// True when `program` can be executed (as given, or found on PATH).
bool executable(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

call_report answer(int status, std::string reason = {}, std::string message = {}) {
  call_report r;
  r.http_status = status;
  r.status_reason = std::move(reason);
  r.status_message = std::move(message);
  return r;
}

}  // namespace

process_provider::process_provider(process_service& processes,
                                   std::vector<std::string> command)
    : processes_(processes), command_(std::move(command)) {}

std::vector<std::string> process_provider::expand(const std::vector<std::string>& command,
                                                  const runner_spec& spec) {
  std::vector<std::string> argv;
  for (auto arg : command) {
    replace_all(arg, "{name}", spec.name);
    replace_all(arg, "{pool}", spec.pool);
    replace_all(arg, "{slot}", std::to_string(spec.slot));
    replace_all(arg, "{generation}", std::to_string(spec.generation));
    replace_all(arg, "{labels}", join(spec.labels, ","));
    argv.push_back(std::move(arg));
  }
  return argv;
}

void process_provider::create(const runner_spec& spec, call_done done) {
  {
    std::lock_guard<std::mutex> guard{mu_};
    if (running_.count(spec.name) > 0)
      return done(answer(409, "AlreadyExists", spec.name));
  }
  if (command_.empty() || !executable(command_.front()))
    return done(answer(422, "Invalid",
                       "command '" + (command_.empty() ? "" : command_.front()) +
                           "' is not an executable program"));
  process_spec ps;
  ps.argv = expand(command_, spec);
  ps.env = {{"TROUPE_RUNNER_NAME", spec.name},
            {"TROUPE_POOL", spec.pool},
            {"TROUPE_RUNNER_SLOT", std::to_string(spec.slot)},
            {"TROUPE_RUNNER_LABELS", join(spec.labels, ",")},
            {"TROUPE_OWNER", spec.owner}};
  ps.max_output_bytes = 64 * 1024;
  // A runner lives for a whole CI job: waiting on it would starve the host's
  // measurements, so runners ignore the host lock (docs/bench.md, "Measurement
  // isolation": keep benchmark platforms and process runners on different hosts).
  ps.host = std::nullopt;
  std::weak_ptr<process_provider> weak = shared_from_this();
  auto name = spec.name;
  // Held across start() so that an instant exit finds the runner registered.
  std::lock_guard<std::mutex> guard{mu_};
  auto id = processes_.start(std::move(ps), [weak, name](process_result r) {
    auto self = weak.lock();
    if (!self) return;
    exit_listener listener;
    {
      std::lock_guard<std::mutex> guard{self->mu_};
      if (self->running_.erase(name) == 0) return;  // removed on purpose
      listener = self->listener_;
    }
    if (listener)
      listener(name, r.spawn_failed  ? 127
                     : r.term_signal ? 128 + r.term_signal
                                     : r.exit_code);
  });
  running_[name] = child{id, spec};
  done(answer(201));
}

void process_provider::remove(const std::string&, const std::string& name,
                              call_done done) {
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> guard{mu_};
    auto i = running_.find(name);
    if (i == running_.end()) return done(answer(404, "NotFound", name));
    id = i->second.id;
    running_.erase(i);
  }
  processes_.terminate(id);
  done(answer(200));
}

void process_provider::list(const std::string& pool, const std::string& owner,
                            list_done done) {
  std::vector<runner_object> mine;
  {
    std::lock_guard<std::mutex> guard{mu_};
    for (auto& [name, c] : running_) {
      if (c.spec.pool != pool) continue;
      runner_object o;
      o.name = name;
      o.labels = {{pool_label, pool},
                  {owner_label, owner},
                  {slot_label, std::to_string(c.spec.slot)},
                  {generation_label, std::to_string(c.spec.generation)}};
      mine.push_back(std::move(o));
    }
  }
  done(true, std::move(mine), answer(200));
}

void process_provider::on_exit(exit_listener listener) {
  std::lock_guard<std::mutex> guard{mu_};
  listener_ = std::move(listener);
}

}  // namespace troupe::fleet
