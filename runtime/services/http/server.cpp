#include "runtime/services/http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "runtime/services/http/connection.hpp"
#include "runtime/services/http/listen_address.hpp"
#include "runtime/services/http/tls_context.hpp"

namespace troupe {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using http_detail::connection;
using http_detail::server_core;

class http_server::impl {
 public:
  impl(http_options options, metrics_registry* metrics)
      : core(std::make_shared<server_core>(std::move(options), metrics)) {}

  result<std::string> start();
  void stop_intake();
  void stop();
  bool on_io_thread() const;

  // On the acceptor's strand.
  void accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);
  void close_acceptor();

  enum class phase { created, running, stopping, stopped };

  std::shared_ptr<server_core> core;
  std::mutex mutex;  // guards phase (not held while joining)
  phase state = phase::created;
  std::unique_ptr<net::io_context> io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  net::any_io_executor acceptor_strand;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> retry_timer;  // after accept errors like EMFILE
  std::mutex tls_mutex;                          // guards tls (swapped by reload_tls)
  std::shared_ptr<net::ssl::context> tls;        // null: plain HTTP
  std::vector<std::thread> threads;
};

namespace {

// check()'s part without the TLS files: address, tokens and TLS beyond
// loopback, threads.
status check_listen(const http_options& options) {
  auto address = parse_listen_address(options.listen);
  if (!address) return address.error();
  if (!address->loopback && options.tokens.empty()) {
    return status::error(
        "http server: refusing to listen on " + options.listen +
        " without API tokens; set http.token-file or listen on loopback");
  }
  if (!address->loopback && !options.tls.enabled() && !options.allow_insecure) {
    return status::error("http server: refusing to listen on " + options.listen +
                         " without TLS; set http.tls-certificate and http.tls-key, or "
                         "http.allow-insecure=true behind a TLS-terminating proxy");
  }
  if (options.threads < 1) return status::error("http server: threads must be >= 1");
  return status::ok();
}

}  // namespace

result<std::string> http_server::impl::start() {
  std::lock_guard<std::mutex> lock(mutex);
  const http_options& options = core->options;
  if (state != phase::created)
    return status::error("http server: already started (or stopped)");
  // The TLS files are loaded once, below (check() would load them too).
  if (auto checked = check_listen(options); !checked) return checked;
  auto address = parse_listen_address(options.listen);
  if (options.tls.enabled()) {
    auto context = make_tls_context(options.tls);
    if (!context) return context.error();
    std::lock_guard<std::mutex> lock(tls_mutex);
    tls = std::move(*context);
  }

  io = std::make_unique<net::io_context>(options.threads);
  acceptor_strand = net::make_strand(*io);
  acceptor.emplace(acceptor_strand);
  boost::system::error_code ec;
  tcp::endpoint endpoint(net::ip::make_address(address->host), address->port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor->local_endpoint(ec);
  if (ec) {
    acceptor.reset();
    acceptor_strand = {};
    io.reset();
    return status::error("http server: cannot listen on " + options.listen + ": " +
                         ec.message());
  }
  retry_timer.emplace(acceptor_strand);
  work.emplace(io->get_executor());
  net::post(acceptor_strand, [this] { accept(); });
  for (int i = 0; i < options.threads; ++i) {
    threads.emplace_back([this] {
      while (true) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: io thread caught: {}", e.what());
        }
      }
    });
  }
  state = phase::running;
  return format_host_port(bound.address().to_string(), bound.port());
}

void http_server::impl::accept() {
  if (!acceptor->is_open()) return;
  acceptor->async_accept(net::make_strand(*io),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           on_accept(ec, std::move(socket));
                         });
}

void http_server::impl::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor->is_open() || !core->intake.load()) return;
  if (ec) {
    // Out of file descriptors and the like: wait a little instead of spinning.
    spdlog::warn("http: accept failed: {}", ec.message());
    retry_timer->expires_after(std::chrono::milliseconds(100));
    retry_timer->async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  std::shared_ptr<net::ssl::context> context;
  {
    std::lock_guard<std::mutex> lock(tls_mutex);
    context = tls;
  }
  auto c = std::make_shared<connection>(core, std::move(socket), std::move(context));
  if (core->track(c)) c->start();
  accept();
}

void http_server::impl::close_acceptor() {
  boost::system::error_code ignored;
  acceptor->close(ignored);
  retry_timer->cancel();
}

void http_server::impl::stop_intake() {
  std::lock_guard<std::mutex> lock(mutex);
  core->intake.store(false);
  if (state == phase::running) net::post(acceptor_strand, [this] { close_acceptor(); });
}

bool http_server::impl::on_io_thread() const {
  for (const auto& thread : threads)
    if (thread.get_id() == std::this_thread::get_id()) return true;
  return false;
}

void http_server::impl::stop() {
  if (on_io_thread())
    throw std::logic_error("http_server::stop() called from one of its io threads");
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (state != phase::running) {
      if (state == phase::created) state = phase::stopped;
      return;
    }
    state = phase::stopping;
  }
  core->intake.store(false);
  // From here on responders are no-ops; close everything and let the io
  // threads run out of work.
  for (const auto& c : core->close_gate()) c->shutdown();
  net::post(acceptor_strand, [this] { close_acceptor(); });
  work.reset();
  for (auto& thread : threads) thread.join();
  threads.clear();
  // Single-threaded now. Nothing of Asio may outlive the io_context, not even
  // in connections that responders still hold.
  retry_timer.reset();
  acceptor.reset();
  acceptor_strand = {};
  for (const auto& c : core->live_connections()) c->release_io();
  io.reset();
  std::lock_guard<std::mutex> lock(mutex);
  state = phase::stopped;
}

http_server::http_server(http_options options, metrics_registry* metrics)
    : impl_(std::make_unique<impl>(std::move(options), metrics)) {}

http_server::~http_server() {
  // Destroyed on one of its own io threads (a handler let go of the last
  // owner): that thread cannot join itself, so a thread of its own stops the
  // server, owning the state the io threads still run on.
  if (impl_->on_io_thread()) {
    impl_->stop_intake();
    std::thread([impl = std::move(impl_)] { impl->stop(); }).detach();
    return;
  }
  impl_->stop();
}

void http_server::route(std::string method, std::string pattern, http_handler handler,
                        http_access access) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->state != impl::phase::created) {
    throw std::logic_error("http_server::route() called after start()");
  }
  impl_->core->router.add(std::move(method), std::move(pattern), std::move(handler),
                          access);
}

result<std::string> http_server::start() {
  return impl_->start();
}

status http_server::check(const http_options& options) {
  if (auto checked = check_listen(options); !checked) return checked;
  if (options.tls.enabled())
    if (auto context = make_tls_context(options.tls); !context) return context.error();
  return status::ok();
}

status http_server::reload_tls() {
  if (!impl_->core->options.tls.enabled()) return status::ok();
  auto context = make_tls_context(impl_->core->options.tls);
  if (!context) return context.error();
  std::lock_guard<std::mutex> lock(impl_->tls_mutex);
  impl_->tls = std::move(*context);
  return status::ok();
}
void http_server::stop_intake() {
  impl_->stop_intake();
}
void http_server::stop() {
  impl_->stop();
}
std::vector<http_route_info> http_server::routes() const {
  std::vector<http_route_info> out;
  for (auto& r : impl_->core->router.routes())
    out.push_back({r.method, r.pattern, r.access});
  return out;
}
std::size_t http_server::inflight() const {
  return impl_->core->inflight.load();
}

}  // namespace troupe
