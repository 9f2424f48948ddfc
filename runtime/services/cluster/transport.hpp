// transport: how nodes reach each other — CAF's middleman over plain TCP,
// or caf_openssl's TLS with the certificate, key and CA of [openssl]
// (certificate, key, cafile; mutual: each side verifies the other's
// certificate against the CA). TLS is on when openssl.certificate is set.
// Plain TCP is allowed on loopback addresses, elsewhere only with
// [cluster] allow-insecure=true.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/io/middleman_actor.hpp>
#include <cstdint>
#include <string>

#include "messages/node.hpp"
#include "runtime/base/status.hpp"
#include "runtime/services/config/node_config.hpp"

namespace troupe {

struct cluster_endpoint {
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;

  std::string text() const;  // "host:port", "tls://host:port"
};

// [cluster] listen (which must be set) as an endpoint, checked against the
// TLS rules above; errors name the key.
result<cluster_endpoint> listen_endpoint(const node_config& cfg);

// [cluster] join (which must be set) as an endpoint, checked likewise.
result<cluster_endpoint> join_endpoint(const node_config& cfg);

// Publishes `node` at `at`; returns the bound port.
result<std::uint16_t> publish_node(caf::actor_system& sys, const cluster_endpoint& at,
                                   const node_actor& node);

// Checks [openssl] before anything starts (CAF loads the files only per
// connection and terminates the process on a bad one): once any key is set,
// certificate, key and cafile (or capath) must all be set, readable, and the
// key must match the certificate (decrypted with openssl.passphrase; never
// a terminal prompt). Errors name the key.
status check_tls(const node_config& cfg);

// The actor that connects to `at`: CAF's middleman, or its OpenSSL manager
// for TLS. Asked (connect_atom, host, port), it answers (node_id, the
// published actor, its interface) or an error; actors ask it with a
// timeout (CAF's remote_actor has none: a peer that accepts and never
// answers would hold it forever) and pass the answer to published_node.
caf::io::middleman_actor connector_of(caf::actor_system& sys, const cluster_endpoint& at);

// The node actor of a connect answer; an error when nothing is published.
caf::expected<node_actor> published_node(caf::strong_actor_ptr published,
                                         const cluster_endpoint& at);

// connect_atom to connector_of(at), waiting for the answer up to
// `timeout`. Blocks: for CLIs (an actor asks connector_of itself).
caf::expected<node_actor> connect_node(caf::actor_system& sys, const cluster_endpoint& at,
                                       caf::timespan timeout);

}  // namespace troupe
