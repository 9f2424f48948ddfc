#include "tests/support/tls_files.hpp"

#include "tests/support/process.hpp"

namespace troupe::testing {

bool make_self_signed_certificate(const temp_dir& dir) {
  child_process openssl(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
       dir.file("key.pem"), "-out", dir.file("cert.pem"), "-days", "1", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
      dir.path());
  auto code = openssl.wait_exit(std::chrono::seconds(60));
  return code && *code == 0;
}

}  // namespace troupe::testing
