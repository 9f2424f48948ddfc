// tls_context: the OpenSSL context of the node's HTTPS server, built from
// [http] tls-certificate, tls-key (optionally encrypted, its passphrase
// read from tls-key-passphrase-file) and tls-client-ca (mutual TLS: a
// client must present a certificate that CA signed).
//
// TLS 1.2 and 1.3 only; TLS 1.2 only with ECDHE key exchange and AEAD
// ciphers (AES-GCM, ChaCha20-Poly1305), as Mozilla's "intermediate"
// configuration. Every file is loaded and checked when the context is
// built, at start and at each reload: an unreadable file, a certificate or
// CA that does not parse, a wrong passphrase or a key that does not match
// the certificate is an error naming the setting and the file. A key's
// passphrase never prompts on a terminal and never appears in an error.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "runtime/base/status.hpp"

namespace troupe {

struct http_tls_options {
  std::string certificate;     // PEM chain file; empty (with key): plain HTTP
  std::string key;             // PEM private key file
  std::string key_passphrase;  // the passphrase itself, when the key is encrypted
  std::string client_ca;       // PEM CA file; empty: no client certificates asked

  bool enabled() const { return !certificate.empty() || !key.empty(); }
};

result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const http_tls_options& options);

}  // namespace troupe
