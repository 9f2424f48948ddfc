// The HTTP server over TLS, checked with curl (a real client) and with
// troupe's own client: HTTPS with the CA that signed the server's
// certificate; refused with another CA or an expired certificate (made with
// faketime); plain HTTP to the TLS port closed without an answer; mutual TLS
// refuses a client without a certificate the client CA signed; a reload
// picks up a renewed certificate for new connections while an open request
// is still answered; bad TLS files (missing, mismatched key, wrong
// passphrase) refused naming them; beyond loopback, TLS (or allow_insecure)
// is required.
#define BOOST_TEST_MODULE https_server_test
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/services/http/client.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/http/tls_context.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using namespace troupe::testing;

namespace {

// Certificates in a temporary directory: CA "ca" and its server leaf
// "server" (for localhost and 127.0.0.1) and client leaf "client"; CA
// "other" and its leaf "stranger".
struct pki {
  temp_dir dir{"https"};
  pki() {
    make_ca(dir.path(), "ca");
    make_leaf(dir.path(), "ca", "server");
    make_leaf(dir.path(), "ca", "client");
    make_ca(dir.path(), "other");
    make_leaf(dir.path(), "other", "stranger");
  }
  std::string file(const std::string& name) const { return dir.file(name); }
  http_tls_options tls(const std::string& leaf = "server") const {
    return {file(leaf + ".crt"), file(leaf + ".key"), "", ""};
  }
};

http_options options_with(http_tls_options tls) {
  http_options o;
  o.listen = "127.0.0.1:0";
  o.tls = std::move(tls);
  return o;
}

void hello(http_server& server) {
  server.route(
      "GET", "/hello",
      [](const http_request&, http_responder r) { r(text_response("hi")); },
      http_access::open);
}

// curl against https://<bound><path>, trusting `ca`; extra arguments after.
finished_run curl(const pki& p, const std::string& bound, const std::string& ca,
                  std::vector<std::string> extra = {},
                  const std::string& path = "/hello") {
  std::vector<std::string> argv{"/usr/bin/curl",    "-sS", "--max-time", "20", "--cacert",
                                p.file(ca + ".crt")};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("https://" + bound + path);
  return run_to_end(argv, p.dir.path());
}

}  // namespace

BOOST_AUTO_TEST_CASE(curl_gets_https_with_the_servers_ca_and_refuses_another) {
  pki p;
  http_server server(options_with(p.tls()));
  hello(server);
  auto bound = server.start();
  BOOST_REQUIRE_MESSAGE(bound, bound.error().message());
  auto ok = curl(p, *bound, "ca");
  BOOST_CHECK_EQUAL(ok.rc, 0);
  BOOST_CHECK_EQUAL(ok.out, "hi");
  auto wrong_ca = curl(p, *bound, "other");
  BOOST_CHECK_EQUAL(wrong_ca.rc, 60);  // CURLE_PEER_FAILED_VERIFICATION
  // TLS 1.1 is refused; 1.2 and 1.3 are served.
  BOOST_CHECK_NE(curl(p, *bound, "ca", {"--tlsv1.1", "--tls-max", "1.1"}).rc, 0);
  BOOST_CHECK_EQUAL(curl(p, *bound, "ca", {"--tlsv1.2", "--tls-max", "1.2"}).rc, 0);
  BOOST_CHECK_EQUAL(curl(p, *bound, "ca", {"--tlsv1.3"}).rc, 0);
}

BOOST_AUTO_TEST_CASE(plain_http_to_the_tls_port_is_closed_without_an_answer) {
  pki p;
  http_server server(options_with(p.tls()));
  hello(server);
  auto bound = server.start();
  BOOST_REQUIRE(bound);
  auto plain = run_to_end(
      {"/usr/bin/curl", "-sS", "--max-time", "20", "http://" + *bound + "/hello"},
      p.dir.path());
  BOOST_CHECK_NE(plain.rc, 0);
  BOOST_CHECK(plain.out.empty());
  BOOST_CHECK_EQUAL(curl(p, *bound, "ca").out, "hi");  // and the server goes on
}

BOOST_AUTO_TEST_CASE(an_expired_certificate_is_refused_by_the_client) {
  pki p;
  // A leaf valid for one day two years ago, signed by the same CA.
  auto at = p.dir.path();
  BOOST_REQUIRE_EQUAL(
      run_to_end({"/usr/bin/openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "old.key", "-out",
                  "old.csr", "-subj", "/CN=old"},
                 at)
          .rc,
      0);
  auto signed_then = run_to_end(
      {"/usr/bin/faketime", "-f", "-730d", "/usr/bin/openssl", "x509", "-req", "-in",
       "old.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
       "-extfile", "leaf.ext", "-out", "old.crt"},
      at);
  BOOST_REQUIRE_MESSAGE(signed_then.rc == 0, signed_then.err);
  http_server server(options_with(p.tls("old")));  // loads: expiry is the client's call
  hello(server);
  auto bound = server.start();
  BOOST_REQUIRE_MESSAGE(bound, bound.error().message());
  auto expired = curl(p, *bound, "ca");
  BOOST_CHECK_EQUAL(expired.rc, 60);
  BOOST_CHECK_MESSAGE(expired.err.find("expired") != std::string::npos, expired.err);
}

BOOST_AUTO_TEST_CASE(mutual_tls_refuses_a_client_without_a_certificate_of_its_ca) {
  pki p;
  auto tls = p.tls();
  tls.client_ca = p.file("ca.crt");
  http_server server(options_with(tls));
  hello(server);
  auto bound = server.start();
  BOOST_REQUIRE(bound);
  BOOST_CHECK_NE(curl(p, *bound, "ca").rc, 0);
  BOOST_CHECK_NE(curl(p, *bound, "ca",
                      {"--cert", p.file("stranger.crt"), "--key", p.file("stranger.key")})
                     .rc,
                 0);
  auto with_cert = curl(p, *bound, "ca",
                        {"--cert", p.file("client.crt"), "--key", p.file("client.key")});
  BOOST_CHECK_EQUAL(with_cert.rc, 0);
  BOOST_CHECK_EQUAL(with_cert.out, "hi");
  // troupe's own client (the CLI's and the kubernetes provider's): verified
  // against the CA file, refused against the system's CAs, through mutual TLS
  // with its client certificate.
  auto call = [&](http_client_options o) {
    http_client client(std::move(o));
    std::promise<http_client_response> answer;
    http_client_request req;
    req.url = "https://" + *bound + "/hello";
    req.timeout = 20s;
    client.request(std::move(req),
                   [&](http_client_response r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  };
  http_client_options mine;
  mine.ca_file = p.file("ca.crt");
  mine.cert_file = p.file("client.crt");
  mine.key_file = p.file("client.key");
  auto ok = call(mine);
  BOOST_REQUIRE_MESSAGE(ok.ok(), ok.error_message);
  BOOST_CHECK_EQUAL(ok.status, 200);
  BOOST_CHECK_EQUAL(ok.body, "hi");
  auto no_cert = mine;
  no_cert.cert_file = no_cert.key_file = "";
  BOOST_CHECK(!call(no_cert).ok());  // the server wants a client certificate
  auto system_cas = mine;
  system_cas.ca_file = "";
  auto refused = call(system_cas);
  BOOST_CHECK(refused.error == http_transport_error::tls);
  auto half = mine;
  half.key_file = "";
  auto misconfigured = call(half);
  BOOST_CHECK(!misconfigured.ok());
  BOOST_CHECK_MESSAGE(
      misconfigured.error_message.find("needs its key") != std::string::npos,
      misconfigured.error_message);
}

// A renewed certificate (here: from another CA) is served to connections
// made after reload_tls(); a request held open across the reload is still
// answered.
BOOST_AUTO_TEST_CASE(reload_serves_a_renewed_certificate_and_keeps_open_requests) {
  pki p;
  auto live = p.tls();
  live.certificate = p.file("live.crt");
  live.key = p.file("live.key");
  std::filesystem::copy_file(p.file("server.crt"), live.certificate);
  std::filesystem::copy_file(p.file("server.key"), live.key);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<http_responder> held;
  http_server server(options_with(live));
  hello(server);
  server.route(
      "GET", "/held",
      [&](const http_request&, http_responder r) {
        std::lock_guard<std::mutex> lock(mu);
        held.push_back(std::move(r));
        cv.notify_all();
      },
      http_access::open);
  auto bound = server.start();
  BOOST_REQUIRE(bound);
  finished_run waiting;
  std::thread client([&] { waiting = curl(p, *bound, "ca", {}, "/held"); });
  {
    std::unique_lock<std::mutex> lock(mu);
    BOOST_REQUIRE(cv.wait_for(lock, 30s, [&] { return !held.empty(); }));
  }
  std::filesystem::copy_file(p.file("stranger.crt"), live.certificate,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(p.file("stranger.key"), live.key,
                             std::filesystem::copy_options::overwrite_existing);
  BOOST_REQUIRE(server.reload_tls());
  BOOST_CHECK_EQUAL(curl(p, *bound, "other").out, "hi");  // the new certificate
  BOOST_CHECK_EQUAL(curl(p, *bound, "ca").rc, 60);        // not the old one
  {
    std::lock_guard<std::mutex> lock(mu);
    held.front()(text_response("still here"));
  }
  client.join();
  BOOST_CHECK_EQUAL(waiting.rc, 0);
  BOOST_CHECK_EQUAL(waiting.out, "still here");
  // A reload that fails keeps the current certificate.
  std::ofstream(live.key) << "not a key\n";
  auto failed = server.reload_tls();
  BOOST_REQUIRE(!failed);
  BOOST_CHECK(failed.message().find(live.key) != std::string::npos);
  BOOST_CHECK_EQUAL(curl(p, *bound, "other").out, "hi");
}

BOOST_AUTO_TEST_CASE(bad_tls_files_are_refused_naming_them) {
  pki p;
  auto missing = p.tls();
  missing.certificate = p.file("absent.crt");
  auto r = make_tls_context(missing);
  BOOST_REQUIRE(!r);
  BOOST_CHECK_MESSAGE(r.error().message().find("http.tls-certificate " +
                                               p.file("absent.crt")) != std::string::npos,
                      r.error().message());
  auto mismatched = p.tls();
  mismatched.key = p.file("client.key");
  r = make_tls_context(mismatched);
  BOOST_REQUIRE(!r);
  BOOST_CHECK_MESSAGE(r.error().message().find("does not match") != std::string::npos,
                      r.error().message());
  // An encrypted key: refused without its passphrase or with a wrong one.
  BOOST_REQUIRE_EQUAL(
      run_to_end({"/usr/bin/openssl", "pkey", "-in", "server.key", "-aes256", "-passout",
                  "pass:the-passphrase", "-out", "locked.key"},
                 p.dir.path())
          .rc,
      0);
  auto locked = p.tls();
  locked.key = p.file("locked.key");
  BOOST_CHECK(!make_tls_context(locked));
  locked.key_passphrase = "wrong";
  r = make_tls_context(locked);
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().message().find("the-passphrase") == std::string::npos);
  BOOST_CHECK(r.error().message().find("http.tls-key") != std::string::npos);
  locked.key_passphrase = "the-passphrase";
  BOOST_CHECK(make_tls_context(locked));
}

BOOST_AUTO_TEST_CASE(beyond_loopback_tls_is_required_unless_allowed_insecure) {
  pki p;
  http_options o;
  o.listen = "0.0.0.0:0";
  o.tokens = {{"ops", http_access::admin, "admin-token-0123456789"}};
  {
    http_server server(o);
    auto refused = server.start();
    BOOST_REQUIRE(!refused);
    BOOST_CHECK(refused.error().message().find("without TLS") != std::string::npos);
  }
  o.allow_insecure = true;
  {
    http_server server(o);
    BOOST_CHECK(server.start());
  }
  o.allow_insecure = false;
  o.tls = p.tls();
  http_server server(o);
  BOOST_CHECK(server.start());
}
