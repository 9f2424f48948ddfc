// hyperfine exported to a pipe (--export-json /dev/stdout), as a suite's
// stdout is: the real output holds one document per command, each with the
// results so far (tests/fixtures/bench-formats/hyperfine/README.md). The
// parser takes the last, complete one; an output cut anywhere is an error
// naming the place, never the earlier, partial document.
#define BOOST_TEST_MODULE bench_parse_hyperfine
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "actors/bench/results.hpp"
#include "tests/support/process.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace {

std::string fixture(const std::string& name) {
  auto path = testing::source_dir() + "/tests/fixtures/bench-formats/hyperfine/" + name;
  std::ifstream in(path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_last_of_the_piped_exports_is_the_result) {
  auto text = fixture("stdout-two-commands.json");
  BOOST_TEST_REQUIRE(text.find("\n{") != std::string::npos,
                     "the fixture holds one document only");
  auto r = parse_hyperfine(text, "hyper");
  BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
  BOOST_TEST_REQUIRE(r->benchmarks.size() == 2u);
  BOOST_TEST(r->benchmarks[0].name == "./tool work");
  BOOST_TEST(r->benchmarks[1].name == "./tool steady");
  for (auto& b : r->benchmarks) {
    BOOST_TEST(b.samples.size() == 10u);
    BOOST_TEST(b.unit == "s");
    BOOST_TEST(!b.error);
    BOOST_TEST(b.median > 0.0);
  }
}

BOOST_AUTO_TEST_CASE(a_cut_output_is_an_error_not_the_earlier_document) {
  auto text = fixture("stdout-two-commands.json");
  auto second = text.find("\n{") + 1;
  for (auto cut : {second + 1, second + 200, text.size() - 3}) {
    auto r = parse_hyperfine(std::string_view(text).substr(0, cut), "hyper");
    BOOST_TEST(!r.is_ok(), "cut at " << cut << " parsed");
    if (!r.is_ok())
      BOOST_TEST(
          r.error().message().find("hyper (export 2 from line") != std::string::npos,
          r.error().message());
  }
  // Cut inside the first document: an error too.
  auto r = parse_hyperfine(std::string_view(text).substr(0, second / 2), "hyper");
  BOOST_TEST(!r.is_ok());
  // Garbage between the documents.
  auto broken = text.substr(0, second) + "oops\n" + text.substr(second);
  BOOST_TEST(!parse_hyperfine(broken, "hyper").is_ok());
}
