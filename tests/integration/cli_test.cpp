// The troupe command line (runtime/app/cli/command_line.hpp), through the
// binary: every command's --help prints its usage and exits 0; usage errors
// exit 2 naming the bad argument, with the usage, on stderr; values parse
// as `--key=value` and `--key value` alike (a command that parsed and then
// fails to reach its node exits 1, not 2); `troupe node`'s arguments reach
// CAF's option set as they were given.
#define BOOST_TEST_MODULE cli_test
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

// Nothing listens on port 1 of loopback: a connection is refused at once.
const std::string unreachable = "http://127.0.0.1:1";

struct ran {
  int rc = -1;
  std::string out, err;
};

// Runs `troupe <args...>` to its exit.
ran cli(std::vector<std::string> args) {
  args.insert(args.begin(), troupe_bin());
  child_process p(args, source_dir());
  auto rc = p.wait_exit(60s);
  BOOST_REQUIRE_MESSAGE(rc, "troupe did not exit");
  return {*rc, p.out(), p.err()};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(help_prints_the_usage_of_every_command) {
  for (auto args : std::vector<std::vector<std::string>>{{"--help"},
                                                         {"help"},
                                                         {"help", "scale"},
                                                         {"run", "--help"},
                                                         {"scale", "--help"},
                                                         {"probe", "--help"},
                                                         {"bench", "--help"},
                                                         {"bench", "submit", "--help"},
                                                         {"bench", "report", "-h"},
                                                         {"bench", "compare", "--help"},
                                                         {"store", "--help"},
                                                         {"store", "check", "--help"},
                                                         {"store", "backup", "--help"}}) {
    auto r = cli(args);
    auto line = args.front() + (args.size() > 1 ? " " + args[1] : "");
    BOOST_TEST(r.rc == 0, line << ": " << r.err);
    BOOST_TEST(contains(r.out, "Usage: troupe"), line << ": " << r.out);
    BOOST_TEST(r.err.empty(), line << ": " << r.err);
  }
  BOOST_TEST(cli({"help"}).out == cli({"--help"}).out);
  BOOST_TEST(cli({"help", "bench"}).out == cli({"bench", "--help"}).out);
  // A required argument does not stand in the way of --help.
  auto scale = cli({"scale", "--help"});
  BOOST_TEST(contains(scale.out, "Usage: troupe scale"), scale.out);
  BOOST_TEST(contains(scale.out, "--server"), scale.out);
  BOOST_TEST(contains(scale.out, "--token-file"), scale.out);
}

BOOST_AUTO_TEST_CASE(version_in_both_spellings) {
  auto command = cli({"version"});
  BOOST_TEST(command.rc == 0);
  BOOST_TEST(contains(command.out, "troupe "), command.out);
  auto flag = cli({"--version"});
  BOOST_TEST(flag.rc == 0);
  BOOST_TEST(flag.out == command.out);
}

BOOST_AUTO_TEST_CASE(an_unknown_option_exits_2_naming_it) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"scale", "pool", "3", "--server=" + unreachable, "--bogus=1"},
           {"run", "config/workflows/hello.json", "--bogus"},
           {"probe", "--node=127.0.0.1:1", "--bogus"},
           {"bench", "submit", "--server=" + unreachable, "--bogus"},
           {"store", "check", "--data-dir=/nonexistent", "--bogus"}}) {
    auto r = cli(args);
    BOOST_TEST(r.rc == 2, args.front() << ": " << r.err);
    BOOST_TEST(contains(r.err, "--bogus"), args.front() << ": " << r.err);
    BOOST_TEST(contains(r.err, "Usage: troupe " + args.front()), r.err);
    BOOST_TEST(r.out.empty(), r.out);
  }
  auto command = cli({"bogus"});
  BOOST_TEST(command.rc == 2);
  BOOST_TEST(contains(command.err, "bogus"), command.err);
  auto sub = cli({"bench", "bogus"});
  BOOST_TEST(sub.rc == 2);
  BOOST_TEST(contains(sub.err, "bogus"), sub.err);
  BOOST_TEST(contains(sub.err, "Usage: troupe bench"), sub.err);
}

BOOST_AUTO_TEST_CASE(a_missing_required_argument_exits_2_naming_it) {
  auto pool_only = cli({"scale", "local", "--server=" + unreachable});
  BOOST_TEST(pool_only.rc == 2);
  BOOST_TEST(contains(pool_only.err, "replicas is required"), pool_only.err);
  BOOST_TEST(contains(pool_only.err, "Usage: troupe scale"), pool_only.err);
  auto no_file = cli({"run"});
  BOOST_TEST(no_file.rc == 2);
  BOOST_TEST(contains(no_file.err, "workflow is required"), no_file.err);
  auto no_server = cli({"scale", "local", "3"});
  BOOST_TEST(no_server.rc == 2);
  BOOST_TEST(contains(no_server.err, "--server is required"), no_server.err);
  auto no_data_dir = cli({"store", "backup", "--out=/tmp/x"});
  BOOST_TEST(no_data_dir.rc == 2);
  BOOST_TEST(contains(no_data_dir.err, "--data-dir is required"), no_data_dir.err);
  auto nothing = cli({});
  BOOST_TEST(nothing.rc == 2);
  BOOST_TEST(contains(nothing.err, "Usage: troupe"), nothing.err);
  auto no_command = cli({"store"});
  BOOST_TEST(no_command.rc == 2);
  BOOST_TEST(contains(no_command.err, "Usage: troupe store"), no_command.err);
}

BOOST_AUTO_TEST_CASE(a_bad_value_exits_2_naming_its_option) {
  auto replicas = cli({"scale", "local", "-1", "--server=" + unreachable});
  BOOST_TEST(replicas.rc == 2);
  BOOST_TEST(contains(replicas.err, "replicas"), replicas.err);
  auto rounds = cli({"bench", "compare", "--server=" + unreachable, "--base=a",
                     "--head=b", "--rounds=1"});
  BOOST_TEST(rounds.rc == 2);
  BOOST_TEST(contains(rounds.err, "--rounds"), rounds.err);
  auto fail_above = cli({"bench", "compare", "--server=" + unreachable, "--base=a",
                         "--head=b", "--fail-above", "nan"});
  BOOST_TEST(fail_above.rc == 2);
  BOOST_TEST(contains(fail_above.err, "--fail-above"), fail_above.err);
  auto param = cli({"run", "config/workflows/hello.json", "--param", "who"});
  BOOST_TEST(param.rc == 2);
  BOOST_TEST(contains(param.err, "--param"), param.err);
  auto node = cli({"probe", "--node=nowhere"});
  BOOST_TEST(node.rc == 2);
  BOOST_TEST(contains(node.err, "--node"), node.err);
  auto both = cli({"bench", "report", "--out=/tmp/x", "--server=" + unreachable,
                   "--config-file=x.ini"});
  BOOST_TEST(both.rc == 2);
  BOOST_TEST(contains(both.err, "--config-file"), both.err);
  auto neither = cli({"bench", "report", "--out=/tmp/x"});
  BOOST_TEST(neither.rc == 2);
  BOOST_TEST(contains(neither.err, "--server or --config-file is required"), neither.err);
}

// Parsing succeeded when the command got as far as its node: exit 1.
BOOST_AUTO_TEST_CASE(a_value_parses_after_an_equals_sign_or_as_the_next_argument) {
  temp_dir dir("cli");
  for (auto args : std::vector<std::vector<std::string>>{
           {"scale", "local", "3", "--server=" + unreachable},
           {"scale", "local", "3", "--server", unreachable},
           {"scale", "--server", unreachable, "local", "3"},
           {"bench", "report", "--out", dir.path(), "--server", unreachable},
           {"bench", "report", "--out=" + dir.path(), "--server=" + unreachable}}) {
    auto r = cli(args);
    BOOST_TEST(r.rc == 1, args.front() << " " << args[1] << ": " << r.err);
    BOOST_TEST(contains(r.err, "connect"), r.err);
    BOOST_TEST(!contains(r.err, "Usage:"), r.err);
  }
}

// `troupe node`'s arguments are CAF's, handed over as given: its --help is
// CAF's, and CAF names an option it does not know.
BOOST_AUTO_TEST_CASE(node_arguments_reach_caf_untouched) {
  auto help = cli({"node", "--help"});
  BOOST_TEST(help.rc == 0, help.err);
  BOOST_TEST(contains(help.out, "--config-file"), help.out);
  BOOST_TEST(contains(help.out, "--long-help"), help.out);
  auto unknown = cli({"node", "--http.bogus=1"});
  BOOST_TEST(unknown.rc == 2);
  BOOST_TEST(contains(unknown.err, "http.bogus"), unknown.err);
  // CAF refuses an argument after "--"; CLI11 never sees it.
  auto after = cli({"node", "--", "--help"});
  BOOST_TEST(after.rc == 2);
  BOOST_TEST(contains(after.err, "unexpected argument '--help'"), after.err);
}
