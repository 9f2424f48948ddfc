// Self-signed TLS files for tests, made by the openssl command.
#pragma once

#include "tests/support/temp_dir.hpp"

namespace troupe::testing {

// Writes cert.pem (a self-signed certificate for CN and IP SAN 127.0.0.1,
// valid for one day; it is its own CA) and key.pem (its unencrypted RSA
// key) into `dir`. False when openssl failed or did not end within 60 s.
bool make_self_signed_certificate(const temp_dir& dir);

}  // namespace troupe::testing
