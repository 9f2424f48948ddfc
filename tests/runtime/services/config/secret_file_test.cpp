// read_secret_file: one line, whitespace around it dropped; unreadable,
// empty, multi-line, oversized and short secrets refused with the path and
// the key, never with the secret.
#define BOOST_TEST_MODULE secret_file_test
#include "runtime/services/config/secret_file.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "tests/support/temp_dir.hpp"

using namespace troupe;

namespace {

struct fixture {
  testing::temp_dir dir{"secret-file"};
  std::string write(const std::string& text) {
    auto path = dir.file("secret");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // The error of reading `text` (at least 16 characters wanted).
  std::string refusal(const std::string& text) {
    auto read = read_secret_file(write(text), "cluster.secret-file", 16);
    BOOST_REQUIRE(!read);
    auto message = read.error().message();
    BOOST_CHECK(message.find(dir.file("secret")) != std::string::npos);
    BOOST_CHECK(message.find("cluster.secret-file") != std::string::npos);
    return message;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_secret_is_its_line_without_surrounding_space, fixture) {
  auto read = read_secret_file(write("  s3cret-of-the-cluster \r\n"), "key", 16);
  BOOST_REQUIRE(read);
  BOOST_CHECK_EQUAL(*read, "s3cret-of-the-cluster");
  auto plain = read_secret_file(write("t"), "key");
  BOOST_REQUIRE(plain);
  BOOST_CHECK_EQUAL(*plain, "t");
}

BOOST_FIXTURE_TEST_CASE(bad_files_are_refused_naming_path_and_key, fixture) {
  BOOST_CHECK(refusal("").find("empty") != std::string::npos);
  BOOST_CHECK(refusal(" \n\n").find("empty") != std::string::npos);
  auto two = refusal("first-line-of-it-here\nsecond-line-here\n");
  BOOST_CHECK(two.find("more than one line") != std::string::npos);
  BOOST_CHECK(two.find("first-line") == std::string::npos);  // never the secret
  auto short_one = refusal("too-short\n");
  BOOST_CHECK(short_one.find("at least 16") != std::string::npos);
  BOOST_CHECK(short_one.find("too-short") == std::string::npos);
  BOOST_CHECK(refusal(std::string(70000, 'x')).find("64 KiB") != std::string::npos);
  auto missing = read_secret_file(dir.file("nope"), "http.token-file");
  BOOST_REQUIRE(!missing);
  BOOST_CHECK(missing.error().message().find("cannot read") != std::string::npos);
}
