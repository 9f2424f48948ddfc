#include "actors/workflow/action_workflow.hpp"

#include <caf/all.hpp>
#include <cstdio>

#include "actors/workflow/engine_names.hpp"
#include "actors/workflow/workflow_library.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/yaml/yaml_marks.hpp"

namespace troupe::workflow {

namespace {

// The child's execution id, derived from the call's key: the same call after
// a restart asks for the same child (run_request::id). FNV-1a, for a short id
// that is stable across builds.
std::string child_id(const action_call& call) {
  if (call.key.empty()) return {};
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : call.key) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "-%016llx", static_cast<unsigned long long>(h));
  return call.execution + buf;
}

}  // namespace

status workflow_action::check_input(const json& input) const {
  if (auto st = check_known_fields(input, {"workflow", "definition", "parameters"}); !st)
    return st;
  auto name = input.find("workflow");
  auto def = input.find("definition");
  if ((name == nullptr) == (def == nullptr))
    return status::error("give exactly one of 'workflow' (a name) and 'definition'");
  if (name && !is_template(*name) && !name->is_string())
    return status::error("field 'workflow': expected a string");
  if (auto p = input.find("parameters"); p && !is_template(*p) && !p->is_object())
    return status::error("field 'parameters': expected an object");
  return status::ok();
}

void workflow_action::run(const action_call& call, const action_env& env,
                          action_done done) {
  if (auto st = check_input(call.input); !st)
    return done({false, nullptr, "core.workflow: " + st.message()});
  auto service = actor_directory::of(*env.sys).get(workflow_service_key);
  if (!service)
    return done({false, nullptr, "core.workflow: the workflow engine is not running"});
  auto dir = dir_;
  // A detached helper: reading a definition file blocks, and so does waiting
  // for the child; at most action-runners of these exist at once.
  env.sys->spawn<caf::detached>(
      [this, service, call, dir, done](caf::blocking_actor* self) {
        auto id = call.id;
        auto& input = call.input;
        run_request req;
        yaml_marks marks;  // of a YAML file: its errors name line and column
        if (auto* name = input.find("workflow")) {
          auto doc = read_named_workflow(dir, std::string(name->as_string()));
          if (!doc)
            return done({false, nullptr, "core.workflow: " + doc.error().message()});
          req.source = doc->source;
          req.definition = doc->document;
          marks = doc->marks;
        } else {
          req.source = "inline";
          req.definition = input["definition"];
        }
        req.parameters =
            input["parameters"].is_object() ? input["parameters"] : json::object();
        auto failed = [&](const caf::error& err) {
          auto text = error_context(err);
          if (text.empty()) text = self->system().render(err);
          auto placed = marks.place(status::error(text), req.source);
          done({false, nullptr, "core.workflow: " + placed.message()});
        };
        req.id = child_id(call);
        std::string child;
        bool ok = true;
        // A child stored as live is answered once the node has resumed it.
        self->request(service, caf::infinite, req)
            .receive([&](run_status& s) { child = s.id; },
                     [&](caf::error& err) { ok = false, failed(err); });
        if (!ok) return;
        bool canceled_early = false;
        {
          std::lock_guard<std::mutex> lock(mu_);
          canceled_early = canceled_.erase(id) > 0;
          if (!canceled_early) children_[id] = child;
        }
        // A cancel that came while the child was starting: cancel it now (the
        // wait below then reports it canceled to nobody; the caller gave up).
        if (canceled_early) self->send(service, cancel_atom::value, child);
        self->request(service, caf::infinite, wait_atom::value, child)
            .receive(
                [&](run_status& s) {
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    children_.erase(id);
                  }
                  if (s.state == "succeeded") return done({true, s.output, {}});
                  std::string why =
                      "core.workflow: " + s.workflow + " (" + s.id + ") " + s.state;
                  for (auto& e : s.errors) why += "; " + e;
                  done({false, s.output, why});
                },
                [&](caf::error& err) { failed(err); });
      });
}

void workflow_action::cancel(std::uint64_t call_id, const action_env& env) {
  std::string child;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto i = children_.find(call_id);
    if (i == children_.end()) {
      canceled_.insert(call_id);  // its child is starting: the helper cancels it
      return;
    }
    child = i->second;
    children_.erase(i);
  }
  auto service = actor_directory::of(*env.sys).get(workflow_service_key);
  if (service) caf::anon_send(service, cancel_atom::value, child);
}

}  // namespace troupe::workflow
