// node_config: INI + command line parsing with the validation CAF 0.17 lacks.
// Every bad-configuration case names the file, line and key.
#define BOOST_TEST_MODULE node_config_test
#include "runtime/services/config/node_config.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "runtime/app/node/node.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;

namespace {

struct fixture {
  testing::temp_dir dir{"config"};

  std::string write(const std::string& text) {
    auto path = dir.file("node.ini");
    std::ofstream(path) << text;
    return path;
  }

  // Loads `text` as the config file plus `extra` arguments; returns the error
  // message ("" when it loaded).
  std::string load(const std::string& text, std::vector<std::string> extra = {}) {
    node_config cfg;
    extra.insert(extra.begin(), "--config-file=" + write(text));
    auto st = cfg.load(extra);
    return st.message();
  }
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(defaults_load_without_a_file, fixture) {
  node_config cfg;
  BOOST_REQUIRE(cfg.load({}));
  BOOST_CHECK_EQUAL(cfg.node.name, "local");
  BOOST_CHECK_EQUAL(cfg.http.listen, "127.0.0.1:8080");
  BOOST_CHECK_EQUAL(cfg.store.batch_records, 256u);
}

BOOST_FIXTURE_TEST_CASE(values_from_file_and_command_line_overrides, fixture) {
  node_config cfg;
  auto path = write(
      "[node]\nname=\"n1\"\nshutdown-grace=250ms\n[http]\nlisten=\"127.0.0.1:9\"\n");
  BOOST_REQUIRE(cfg.load({"--config-file=" + path, "--http.listen=127.0.0.1:0"}));
  BOOST_CHECK_EQUAL(cfg.node.name, "n1");
  BOOST_CHECK(cfg.node.shutdown_grace == std::chrono::milliseconds(250));
  BOOST_CHECK_EQUAL(cfg.http.listen, "127.0.0.1:0");
  BOOST_CHECK_EQUAL(cfg.origin("node.name"), path + ":2");
  BOOST_CHECK_EQUAL(cfg.origin("http.listen"), "command line");
}

// troupe's scheduler default (scheduler_defaults.hpp) applies unless the
// configuration names CAF's key itself.
BOOST_FIXTURE_TEST_CASE(the_scheduler_polls_briefly_unless_configured, fixture) {
  auto polls = [](const node_config& cfg) {
    return caf::get_or(cfg.content, "work-stealing.moderate-poll-attempts",
                       std::int64_t{-1});
  };
  node_config defaults;
  BOOST_REQUIRE(defaults.load({}));
  BOOST_CHECK_EQUAL(polls(defaults), 10);
  node_config set;
  BOOST_REQUIRE(set.load(
      {"--config-file=" + write("[work-stealing]\nmoderate-poll-attempts=500\n")}));
  BOOST_CHECK_EQUAL(polls(set), 500);
}

BOOST_FIXTURE_TEST_CASE(unknown_key_names_file_line_and_key, fixture) {
  auto msg = load("[node]\nname=\"a\"\n[http]\nlisten=\"127.0.0.1:1\"\nlisen=\"x\"\n");
  BOOST_TEST_MESSAGE(msg);
  BOOST_CHECK(contains(msg, "node.ini:5"));
  BOOST_CHECK(contains(msg, "unknown key 'http.lisen'"));
}

BOOST_FIXTURE_TEST_CASE(unknown_section_is_an_unknown_key, fixture) {
  auto msg = load("[nodes]\nname=\"a\"\n");
  BOOST_CHECK(contains(msg, "node.ini:2"));
  BOOST_CHECK(contains(msg, "unknown key 'nodes.name'"));
}

BOOST_FIXTURE_TEST_CASE(wrong_type_names_key_expected_type_and_value, fixture) {
  auto msg = load("[http]\nthreads=\"many\"\n");
  BOOST_TEST_MESSAGE(msg);
  BOOST_CHECK(contains(msg, "node.ini:2"));
  BOOST_CHECK(contains(msg, "'http.threads'"));
  BOOST_CHECK(contains(msg, "expects"));
  BOOST_CHECK(contains(msg, "\"many\""));
  auto dur = load("[node]\nshutdown-grace=\"soon\"\n");
  BOOST_CHECK(contains(dur, "'node.shutdown-grace' expects timespan"));
}

BOOST_FIXTURE_TEST_CASE(out_of_range_values_name_key_and_range, fixture) {
  auto msg = load("[http]\nthreads=0\n");
  BOOST_TEST_MESSAGE(msg);
  BOOST_CHECK(contains(msg, "node.ini:2"));
  BOOST_CHECK(contains(msg, "'http.threads' expects 1..64, got 0"));
  BOOST_CHECK(contains(load("[node]\nrole=\"boss\"\n"),
                       "'node.role' expects one of standalone, coordinator, worker"));
  BOOST_CHECK(contains(load("[log]\nlevel=\"loud\"\n"), "'log.level'"));
  BOOST_CHECK(contains(load("[log]\nformat=\"xml\"\n"), "'log.format'"));
  BOOST_CHECK(contains(load("[store]\nbatch-records=0\n"), "'store.batch-records'"));
  BOOST_CHECK(
      contains(load("[http]\nlisten=\"8080\"\n"), "'http.listen' expects host:port"));
}

BOOST_FIXTURE_TEST_CASE(syntax_error_names_line_and_column, fixture) {
  auto msg = load("[node]\nname=\"a\"\n[http]\nlisten==\"x\n");
  BOOST_TEST_MESSAGE(msg);
  BOOST_CHECK(contains(msg, "node.ini:4:"));
}

BOOST_FIXTURE_TEST_CASE(missing_file_is_an_error, fixture) {
  node_config cfg;
  auto st = cfg.load({"--config-file=" + dir.file("absent.ini")});
  BOOST_REQUIRE(!st);
  BOOST_CHECK(contains(st.message(), "absent.ini: cannot read config file"));
}

BOOST_FIXTURE_TEST_CASE(bad_command_line_is_an_error, fixture) {
  node_config cfg;
  BOOST_CHECK(contains(cfg.load({"--http.bogus=1"}).message(), "--http.bogus=1"));
  node_config cfg2;
  BOOST_CHECK(
      contains(cfg2.load({"--http.threads=abc"}).message(), "--http.threads=abc"));
  node_config cfg3;
  BOOST_CHECK(contains(cfg3.load({"--http.threads=100"}).message(),
                       "command line: key 'http.threads' expects 1..64"));
}

// config/reference.ini lists every key with its default: loading it changes
// nothing, and every declared troupe option appears in it.
// A config with every subsystem's options declared, as `troupe node` has.
struct full_config {
  subsystem_list subsystems = make_subsystems();
  node_config cfg;
  full_config() {
    for (auto& s : subsystems) s->declare(cfg);
  }
};

BOOST_AUTO_TEST_CASE(reference_file_holds_every_key_with_its_default) {
  auto path = testing::source_dir() + "/config/reference.ini";
  full_config full_ref, full_defaults;
  auto& ref = full_ref.cfg;
  auto& defaults = full_defaults.cfg;
  auto st = ref.load({"--config-file=" + path});
  BOOST_REQUIRE_MESSAGE(st, st.message());
  BOOST_REQUIRE(defaults.load({}));
  auto want = defaults.values();
  auto got = ref.values();
  BOOST_REQUIRE_EQUAL(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    auto& key = want[i].first;
    BOOST_CHECK_MESSAGE(contains(ref.origin(key), "reference.ini:"),
                        key << " is missing from reference.ini");
    BOOST_CHECK_MESSAGE(caf::to_string(want[i].second) == caf::to_string(got[i].second),
                        key << ": reference.ini says " << caf::to_string(got[i].second)
                            << ", the default is " << caf::to_string(want[i].second));
  }
}

BOOST_AUTO_TEST_CASE(shipped_configs_are_valid) {
  for (auto* name : {"standalone.ini", "bench-dogfood.ini",
                     "cluster/local/coordinator.ini", "cluster/local/worker-1.ini",
                     "cluster/local/worker-2.ini", "cluster/hosts/coordinator.ini",
                     "cluster/hosts/worker-1.ini", "cluster/hosts/worker-2.ini"}) {
    full_config full;
    auto st =
        full.cfg.load({"--config-file=" + testing::source_dir() + "/config/" + name});
    for (auto& s : full.subsystems)
      if (st) st = s->check(full.cfg);
    BOOST_CHECK_MESSAGE(st, name << ": " << st.message());
  }
}

BOOST_AUTO_TEST_CASE(ini_index_finds_keys_inside_multi_line_maps) {
  ini_index idx(
      "[fleet]\nconcurrency=3\n[fleet.pools]\nlinux={\n  min=1\n  "
      "max=2\n}\narm={min=1}\n");
  BOOST_CHECK_EQUAL(idx.line_of("fleet.concurrency"), 2);
  BOOST_CHECK_EQUAL(idx.line_of("fleet.pools.linux"), 4);
  BOOST_CHECK_EQUAL(idx.line_of("fleet.pools.linux.max"), 6);
  BOOST_CHECK_EQUAL(idx.line_of("fleet.pools.arm.min"), 8);
  BOOST_CHECK_EQUAL(idx.line_of("fleet.pools.none.min"), 3);
}
