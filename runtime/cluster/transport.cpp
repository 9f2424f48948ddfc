#include "runtime/cluster/transport.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>

#include "runtime/http/listen_address.hpp"

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
    return status::error(cfg.origin(key) + ": key '" + key + "' expects host:port, got \"" + text + "\"");
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
      return status::error(cfg.origin(key) + ": key '" + key + "' has a bad port in \"" + text + "\"");
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
  if (!port) return status::error("cluster.listen " + at.text() + ": " + sys.render(port.error()));
  return *port;
}

caf::expected<node_actor> connect_node(caf::actor_system& sys, const cluster_endpoint& at) {
  if (at.tls) return caf::openssl::remote_actor<node_actor>(sys, at.host, at.port);
  return sys.middleman().remote_actor<node_actor>(at.host, at.port);
}

}  // namespace troupe
