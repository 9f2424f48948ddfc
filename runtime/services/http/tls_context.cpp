#include "runtime/services/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>

namespace troupe {

namespace {

namespace ssl = boost::asio::ssl;

constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's reason for the last failure, and clears its queue.
std::string ssl_error() {
  char text[256] = "unknown error";
  if (auto code = ERR_peek_last_error(); code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

bool readable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::fclose(f);
  return true;
}

}  // namespace

result<std::shared_ptr<ssl::context>> make_tls_context(const http_tls_options& options) {
  auto bad = [](const char* key, const std::string& file, const std::string& why) {
    return status::error(std::string("http.") + key + " " + file + ": " + why);
  };
  if (options.certificate.empty() || options.key.empty())
    return status::error(
        "http.tls-certificate and http.tls-key: set both, or neither for plain HTTP");
  for (auto [key, file] : {std::pair{"tls-certificate", &options.certificate},
                           std::pair{"tls-key", &options.key},
                           std::pair{"tls-client-ca", &options.client_ca}})
    if (!file->empty() && !readable(*file))
      return bad(key, *file, "cannot read the file");
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  auto* native = ctx->native_handle();
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1)
    return status::error("http: the TLS 1.2 cipher list is not supported: " +
                         ssl_error());
  if (SSL_CTX_use_certificate_chain_file(native, options.certificate.c_str()) != 1)
    return bad("tls-certificate", options.certificate, "cannot load: " + ssl_error());
  // Answers OpenSSL's question for the passphrase from memory, so an
  // encrypted key never prompts; no passphrase fails an encrypted key.
  SSL_CTX_set_default_passwd_cb_userdata(
      native, const_cast<char*>(options.key_passphrase.c_str()));
  SSL_CTX_set_default_passwd_cb(native, [](char* buf, int size, int, void* pass) {
    auto n = static_cast<int>(std::strlen(static_cast<const char*>(pass)));
    if (n >= size) return 0;
    std::memcpy(buf, pass, static_cast<std::size_t>(n));
    return n;
  });
  bool key_loaded =
      SSL_CTX_use_PrivateKey_file(native, options.key.c_str(), SSL_FILETYPE_PEM) == 1;
  SSL_CTX_set_default_passwd_cb(native, nullptr);
  SSL_CTX_set_default_passwd_cb_userdata(native, nullptr);
  auto mismatch = [&] {
    ERR_clear_error();
    return bad("tls-key", options.key,
               "does not match http.tls-certificate " + options.certificate);
  };
  if (!key_loaded) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
      return mismatch();
    return bad(
        "tls-key", options.key,
        "cannot load (encrypted? then http.tls-key-passphrase-file): " + ssl_error());
  }
  if (SSL_CTX_check_private_key(native) != 1) return mismatch();
  if (!options.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(native, options.client_ca.c_str(), nullptr) != 1)
      return bad("tls-client-ca", options.client_ca, "cannot load: " + ssl_error());
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
    if (auto* names = SSL_load_client_CA_file(options.client_ca.c_str()))
      SSL_CTX_set_client_CA_list(native, names);  // the CAs a client may pick from
  }
  return ctx;
}

}  // namespace troupe
