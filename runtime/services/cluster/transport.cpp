#include "runtime/services/cluster/transport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <cstring>
#include <memory>

#include "runtime/services/http/listen_address.hpp"

namespace troupe {

namespace {

bool uses_tls(const node_config& cfg) {
  return !caf::get_or(cfg, "openssl.certificate", std::string{}).empty();
}

// "host:port" where host may be a name; loopback only for IP literals and
// "localhost".
result<cluster_endpoint> parse_endpoint(const node_config& cfg, const char* key,
                                        const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return status::error(cfg.origin(key) + ": key '" + key +
                         "' expects host:port, got \"" + text + "\"");
  cluster_endpoint ep;
  ep.tls = uses_tls(cfg);
  bool loopback = false;
  if (auto addr = parse_listen_address(text)) {
    ep.host = addr->host;
    ep.port = addr->port;
    loopback = addr->loopback;
  } else {
    ep.host = text.substr(0, colon);
    auto port = text.substr(colon + 1);
    char* end = nullptr;
    auto n = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || n > 65535)
      return status::error(cfg.origin(key) + ": key '" + key + "' has a bad port in \"" +
                           text + "\"");
    ep.port = static_cast<std::uint16_t>(n);
  }
  if (!loopback && !ep.tls && !cfg.cluster.allow_insecure)
    return status::error(cfg.origin(key) + ": key '" + key + "': " + text +
                         " is not a loopback address; between hosts troupe uses TLS "
                         "([openssl] certificate, key, cafile) or needs "
                         "cluster.allow-insecure=true for plain TCP");
  return ep;
}

}  // namespace

std::string cluster_endpoint::text() const {
  return (tls ? "tls://" : "") + format_host_port(host, port);
}

result<cluster_endpoint> listen_endpoint(const node_config& cfg) {
  return parse_endpoint(cfg, "cluster.listen", cfg.cluster.listen);
}

result<cluster_endpoint> join_endpoint(const node_config& cfg) {
  return parse_endpoint(cfg, "cluster.join", cfg.cluster.join);
}

result<std::uint16_t> publish_node(caf::actor_system& sys, const cluster_endpoint& at,
                                   const node_actor& node) {
  auto port = at.tls ? caf::openssl::publish(node, at.port, at.host.c_str(), true)
                     : sys.middleman().publish(node, at.port, at.host.c_str(), true);
  if (!port)
    return status::error("cluster.listen " + at.text() + ": " + sys.render(port.error()));
  return *port;
}

status check_tls(const node_config& cfg) {
  auto get = [&](const char* key) { return caf::get_or(cfg, key, std::string{}); };
  auto cert = get("openssl.certificate"), key = get("openssl.key");
  auto cafile = get("openssl.cafile"), capath = get("openssl.capath");
  auto pass = get("openssl.passphrase");
  if (cert.empty() && key.empty() && cafile.empty() && capath.empty() && pass.empty())
    return status::ok();
  auto bad = [&](const char* k, const std::string& why) {
    return status::error(cfg.origin(k) + ": key '" + k + "' " + why);
  };
  if (cert.empty())
    return bad("openssl.certificate", "must be set: TLS needs a certificate, key and CA");
  if (key.empty()) return bad("openssl.key", "must be set with openssl.certificate");
  if (cafile.empty() && capath.empty())
    return bad("openssl.cafile",
               "must be set (or openssl.capath): peers are verified against it");
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_method()),
                                                        SSL_CTX_free};
  auto ssl_error = [] {
    char text[256];
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    return std::string(text);
  };
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) != 1)
    return bad("openssl.certificate", "cannot load " + cert + ": " + ssl_error());
  // A callback that answers with the configured passphrase, so an encrypted
  // key never prompts on the terminal.
  SSL_CTX_set_default_passwd_cb_userdata(ctx.get(), const_cast<char*>(pass.c_str()));
  SSL_CTX_set_default_passwd_cb(ctx.get(), [](char* buf, int size, int, void* u) {
    auto n = static_cast<int>(std::strlen(static_cast<const char*>(u)));
    if (n >= size) return 0;
    std::memcpy(buf, u, static_cast<std::size_t>(n));
    return n;
  });
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1)
    return bad("openssl.key",
               "cannot load " + key + " (openssl.passphrase?): " + ssl_error());
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return bad("openssl.key", "does not match openssl.certificate: " + ssl_error());
  if (SSL_CTX_load_verify_locations(ctx.get(), cafile.empty() ? nullptr : cafile.c_str(),
                                    capath.empty() ? nullptr : capath.c_str()) != 1)
    return bad(cafile.empty() ? "openssl.capath" : "openssl.cafile",
               "cannot load: " + ssl_error());
  return status::ok();
}

caf::io::middleman_actor connector_of(caf::actor_system& sys,
                                      const cluster_endpoint& at) {
  return at.tls ? sys.openssl_manager().actor_handle() : sys.middleman().actor_handle();
}

caf::expected<node_actor> published_node(caf::strong_actor_ptr published,
                                         const cluster_endpoint& at) {
  if (!published)
    return caf::make_error(caf::sec::no_actor_published_at_port,
                           "nothing published at " + at.text());
  return caf::actor_cast<node_actor>(std::move(published));
}

caf::expected<node_actor> connect_node(caf::actor_system& sys, const cluster_endpoint& at,
                                       caf::timespan timeout) {
  caf::scoped_actor self{sys};
  caf::expected<node_actor> out{caf::sec::request_timeout};
  self->request(connector_of(sys, at), timeout, caf::connect_atom::value, at.host,
                at.port)
      .receive([&](const caf::node_id&, caf::strong_actor_ptr& ptr,
                   std::set<std::string>&) { out = published_node(std::move(ptr), at); },
               [&](caf::error& err) { out = std::move(err); });
  return out;
}

}  // namespace troupe
