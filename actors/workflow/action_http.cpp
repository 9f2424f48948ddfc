#include "actors/workflow/action_http.hpp"

namespace troupe::workflow {

namespace {

constexpr std::size_t http_max_ca_files = 8;

}  // namespace

http_action::http_action(http_secrets secrets) : secrets_(std::move(secrets)) {}

// The clients stop here: calls still pending complete with "client stopped",
// and their callbacks use nothing of this object.
http_action::~http_action() = default;

status http_action::check_input(const json& input) const {
  return check_http_input(input, false);
}

http_client* http_action::client_for(const std::string& ca_file) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = clients_[ca_file];
  if (!slot) {
    // The default client is one of the CA files' slots too.
    if (clients_.size() > http_max_ca_files + 1) {
      clients_.erase(ca_file);
      return nullptr;
    }
    http_client_options options;
    options.max_body_bytes = http_max_response_bytes;  // each call sets its own
    options.ca_file = ca_file;
    slot = std::make_unique<http_client>(options);
  }
  return slot.get();
}

void http_action::run(const action_call& call, const action_env&, action_done done) {
  auto made = make_http_call(call.input, secrets_);
  if (!made) return done({false, nullptr, "core.http: " + made.error().message()});
  auto* client = client_for(made->ca_file);
  if (!client)
    return done({false, nullptr,
                 "core.http: field 'ca_file': more than " +
                     std::to_string(http_max_ca_files) +
                     " CA files in use on this node"});
  auto request = made->request;
  client->request(std::move(request), [call = std::move(*made), done = std::move(done)](
                                          http_client_response response) {
    done(http_outcome(call, std::move(response)));
  });
}

}  // namespace troupe::workflow
