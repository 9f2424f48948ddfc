#include "runtime/services/http/client.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "runtime/services/http/client_pool.hpp"
#include "runtime/services/http/request.hpp"

namespace troupe {

using namespace http_client_detail;

std::string_view to_string(http_transport_error error) {
  switch (error) {
    case http_transport_error::none:
      return "none";
    case http_transport_error::timeout:
      return "timeout";
    case http_transport_error::connection_refused:
      return "connection_refused";
    case http_transport_error::connection_reset:
      return "connection_reset";
    case http_transport_error::dns:
      return "dns";
    case http_transport_error::tls:
      return "tls";
    case http_transport_error::other:
      return "other";
  }
  return "other";
}

std::optional<std::string> http_client_response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

class http_client::impl {
 public:
  explicit impl(http_client_options options);
  void request(http_client_request request, callback done);
  void stop();
  // Submits `c` to the pool of `origin` (created on first use). False once
  // stopped. Under the lock, so that no call is posted after stop() joined.
  bool submit(const http_url& origin, std::shared_ptr<call> c);

  client_state state;
  std::string setup_error;  // non-empty: every call fails with it
  net::io_context io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex mutex;  // guards pools and stopped
  std::map<std::string, std::shared_ptr<pool>> pools;
  bool stopped = false;
};

http_client::impl::impl(http_client_options options) : io(std::max(options.threads, 1)) {
  state.options = std::move(options);
  if (state.options.threads < 1) setup_error = "http client: threads must be >= 1";
  if (state.options.max_connections == 0)
    setup_error = "http client: max_connections is 0";
  try {
    auto tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    tls->set_verify_mode(net::ssl::verify_peer);
    std::string file = state.options.ca_file;  // the one being loaded, for the error
    try {
      if (state.options.ca_file.empty()) {
        tls->set_default_verify_paths();
      } else {
        tls->load_verify_file(state.options.ca_file);
      }
      if (state.options.cert_file.empty() != state.options.key_file.empty())
        throw std::invalid_argument(
            "a client certificate needs its key, and a key its "
            "certificate");
      if (!state.options.cert_file.empty()) {
        file = state.options.cert_file;
        tls->use_certificate_chain_file(file);
        file = state.options.key_file;
        tls->use_private_key_file(file, net::ssl::context::pem);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("'" + file + "': " + e.what());
    }
    state.tls = std::move(tls);
  } catch (const std::exception& e) {
    state.tls_error = std::string("TLS file ") + e.what();
  }
  work.emplace(io.get_executor());
  for (int i = 0; i < std::max(state.options.threads, 1); ++i) {
    threads.emplace_back([this] {
      for (;;) {
        try {
          io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http client: io thread caught: {}", e.what());
        }
      }
    });
  }
}

bool http_client::impl::submit(const http_url& origin, std::shared_ptr<call> c) {
  std::lock_guard<std::mutex> lock(mutex);
  if (stopped) return false;
  auto& slot = pools[origin.origin()];
  if (!slot) slot = std::make_shared<pool>(io, state, origin);
  slot->submit(std::move(c));
  return true;
}

void http_client::impl::request(http_client_request request, callback done) {
  state.requests.fetch_add(1, std::memory_order_relaxed);
  auto fail_soon = [this](callback cb, http_transport_error kind, std::string message) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!stopped) {
        net::post(io, [cb = std::move(cb), kind, message = std::move(message)] {
          cb(transport_failure(kind, message));
        });
        return;
      }
    }
    cb(transport_failure(kind, std::move(message)));
  };
  if (!setup_error.empty()) {
    return fail_soon(std::move(done), http_transport_error::other, setup_error);
  }
  auto url = parse_http_url(request.url);
  if (!url)
    return fail_soon(std::move(done), http_transport_error::other, url.error().message());
  auto c = std::make_shared<call>();
  auto& out = c->request;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    out.method_string(request.method);
  } else {
    out.method(verb);
  }
  c->head = verb == http::verb::head;
  out.target(url->target);
  out.version(11);
  out.set(http::field::host, url->host_header());
  out.set(http::field::user_agent, "troupe");
  for (auto& [name, value] : request.headers) out.set(name, value);
  out.body() = std::move(request.body);
  out.prepare_payload();
  out.keep_alive(true);
  c->done = std::move(done);
  c->deadline = clock::now() + request.timeout;
  c->max_body_bytes =
      request.max_body_bytes > 0 ? request.max_body_bytes : state.options.max_body_bytes;
  if (!submit(*url, c)) {
    return fail_soon(std::move(c->done), http_transport_error::other,
                     "the http client is stopped");
  }
}

void http_client::impl::stop() {
  for (const auto& thread : threads) {
    if (thread.get_id() == std::this_thread::get_id()) {
      throw std::logic_error("http_client::stop() called from one of its io threads");
    }
  }
  std::map<std::string, std::shared_ptr<pool>> closing;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (stopped) return;
    stopped = true;
    closing = pools;
  }
  for (auto& [origin, p] : closing) p->shutdown();
  work.reset();
  for (auto& thread : threads) thread.join();
  threads.clear();
  // Every operation has completed (run() returned), so nothing refers to the
  // pools any more but this map.
  std::lock_guard<std::mutex> lock(mutex);
  pools.clear();
}

http_client::http_client(http_client_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {}

http_client::~http_client() {
  impl_->stop();
}

void http_client::request(http_client_request request, callback done) {
  impl_->request(std::move(request), std::move(done));
}

void http_client::stop() {
  impl_->stop();
}

http_client_stats http_client::stats() const {
  const client_state& s = impl_->state;
  http_client_stats out;
  out.requests = s.requests.load();
  out.connections_opened = s.opened.load();
  out.connections_reused = s.reused.load();
  out.connections_open = s.open.load();
  out.timeouts = s.timeouts.load();
  out.retried_stale = s.retried_stale.load();
  return out;
}

}  // namespace troupe
