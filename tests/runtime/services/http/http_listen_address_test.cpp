#define BOOST_TEST_MODULE http_listen_address
#include <boost/test/unit_test.hpp>

#include "runtime/services/http/listen_address.hpp"

BOOST_AUTO_TEST_CASE(parses_listen_addresses) {
  struct expectation {
    const char* text;
    const char* host;
    int port;
    bool loopback;
  };
  for (const auto& e :
       {expectation{"127.0.0.1:8080", "127.0.0.1", 8080, true},
        expectation{"127.1.2.3:1", "127.1.2.3", 1, true},
        expectation{"localhost:0", "127.0.0.1", 0, true},
        expectation{"[::1]:0", "::1", 0, true},
        expectation{"[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80, true},
        expectation{"0.0.0.0:80", "0.0.0.0", 80, false},
        expectation{"[::]:443", "::", 443, false},
        expectation{"192.168.1.1:65535", "192.168.1.1", 65535, false}}) {
    auto parsed = troupe::parse_listen_address(e.text);
    BOOST_REQUIRE_MESSAGE(parsed.is_ok(), e.text);
    BOOST_TEST(parsed->host == e.host, e.text);
    BOOST_TEST(parsed->port == e.port, e.text);
    BOOST_TEST(parsed->loopback == e.loopback, e.text);
  }
  for (const char* bad :
       {"", ":80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:-1",
        "127.0.0.1:65536", "[::1]", "[::1]80", "::1:80", "host.example:80"}) {
    BOOST_TEST(!troupe::parse_listen_address(bad).is_ok(), bad);
  }
  BOOST_TEST(troupe::format_host_port("::1", 80) == "[::1]:80");
  BOOST_TEST(troupe::format_host_port("127.0.0.1", 80) == "127.0.0.1:80");
}
