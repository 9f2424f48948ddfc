// Storage faults on a real node:
// - A full file system (a small tmpfs the test mounts; skipped, saying so,
//   where it cannot mount): writes of every subsystem are refused with 507
//   naming the store and its directory, reads keep working, /readyz says why,
//   one log line and a metric say it, a failed bench writer waits for the
//   disk instead of burning its supervisor's restart intensity, a workflow
//   whose step could not be stored holds it and goes on; when space returns,
//   writes resume by themselves, and after a restart exactly the
//   acknowledged writes are there.
// - A damaged store, one from a newer troupe and an unusable data directory
//   at start: exit 2 with a message naming the file and what to do;
//   `troupe store check` finds each, `troupe store backup` copies a live store.
#define BOOST_TEST_MODULE store_faults_test
#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/runs.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// Runs `argv` to completion; exit code, stdout and stderr.
struct ran {
  int rc;
  std::string out, err;
};
ran run(std::vector<std::string> argv) {
  child_process p(std::move(argv), "");
  auto rc = p.wait_exit(60s);
  return {rc.value_or(-1), p.out(), p.err()};
}

ran troupe_cli(std::vector<std::string> args) {
  args.insert(args.begin(), troupe_bin());
  return run(std::move(args));
}

// A tmpfs of `megabytes` mounted at a new directory, unmounted at the end.
class small_fs {
 public:
  explicit small_fs(int megabytes) : dir_("fullfs") {
    auto r = run({"/bin/mount", "-t", "tmpfs", "-o",
                  "size=" + std::to_string(megabytes) + "m", "tmpfs", dir_.path()});
    mounted_ = r.rc == 0;
    why_ = r.err;
  }
  ~small_fs() {
    if (mounted_) run({"/bin/umount", "-l", dir_.path()});
  }
  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_; }
  std::string path(const std::string& name) const { return dir_.file(name); }

  // Writes a file until the file system is full; true when it is.
  bool fill(const std::string& name) {
    int fd = ::open(path(name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return false;
    std::string chunk(64 * 1024, 'x');
    bool full = false;
    // Big writes until ENOSPC, then smaller ones to pack what is left.
    for (std::size_t size = chunk.size(); size >= 1; size /= 2) {
      ssize_t n;
      do {
        n = ::write(fd, chunk.data(), size);
      } while (n > 0);
      full = n < 0 && errno == ENOSPC;
      if (!full) break;
    }
    ::close(fd);
    return full;
  }

 private:
  temp_dir dir_;
  bool mounted_ = false;
  std::string why_;
};

boost::test_tools::assertion_result can_mount_tmpfs(boost::unit_test::test_unit_id) {
  small_fs fs(1);
  boost::test_tools::assertion_result r(fs.mounted());
  r.message() << "skipped: cannot mount a tmpfs here (" << fs.why_not() << ")";
  return r;
}

std::string commit_body(int i) {
  char sha[16];
  std::snprintf(sha, sizeof sha, "feed%04d", i);
  return std::string(R"([{"sha":")") + sha + R"(","branch":"main","message":"c"}])";
}

// The node's metrics once they hold `needle` (or after 30 s, as they are).
std::string await_metrics(const std::string& http, const std::string& needle) {
  std::string text;
  for (int i = 0; i < 300 && !contains(text, needle); ++i) {
    if (i > 0) std::this_thread::sleep_for(100ms);
    text = http_once(http, "GET", "/metrics").body;
  }
  return text;
}

json status_of(const std::string& http, const std::string& id) {
  return get_json(http, "/api/v1/runs/" + id);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_disk_refuses_writes_keeps_reads_and_recovers,
                     *boost::unit_test::precondition(can_mount_tmpfs)) {
  temp_dir conf("fullfs-conf");
  // "gated" runs until the test creates GO: its step after that meets the
  // full disk for sure.
  std::ofstream(conf.file("gated.json"))
      << R"({"version": 1, "name": "gated", "tasks": {
             "gate": {"action": "core.shell", "input": {"argv": ["sh", "-c",
               "touch )"
      << conf.file("STARTED") << "; while [ ! -e " << conf.file("GO")
      << R"( ]; do sleep 0.05; done"]}, "next": [{"do": "done"}]},
             "done": {"action": "core.echo", "input": {"message": "ok"}}}})";
  std::ofstream(conf.file("quick.json"))
      << R"({"version": 1, "name": "quick", "tasks": {"a": {"action": "core.echo", "input": {"message": "ok"}}}})";
  std::ofstream(conf.file("node.ini"))
      << "[workflow]\nworkflows-dir=\"" << conf.path() << "\"\n"
      << "[bench]\nwindow=1h\n"
      << "[fleet.pools]\ndemo={\n  max=10\n  provider=\"sim\"\n"
      << "  sim-latency=10ms\n}\n";
  small_fs fs(16);
  auto data = fs.path("data");
  std::filesystem::create_directories(data);
  std::vector<std::string> args{"--config-file=" + conf.file("node.ini")};
  std::set<std::string> acknowledged_runs;
  int acknowledged_commits = 0;
  std::optional<node_process> node;
  node.emplace(args, data);
  await_bench_ready(node->http());
  auto http = node->http();
  BOOST_REQUIRE_EQUAL(
      http_once(http, "POST", "/api/v1/pools/demo/scale", R"({"replicas": 2})").status,
      202);
  await_json(http, "/api/v1/pools/demo",
             [](const json& p) { return p["running"].as_int() == 2; });
  auto gated = start_run(http, R"({"workflow": "gated"})");
  acknowledged_runs.insert(gated);
  for (int i = 0; i < 600 && !std::filesystem::exists(conf.file("STARTED")); ++i)
    std::this_thread::sleep_for(50ms);
  BOOST_REQUIRE(std::filesystem::exists(conf.file("STARTED")));
  // A durable write: everything the pool and the run wrote before is on disk,
  // so the next writer is the first to meet the full disk.
  BOOST_REQUIRE_EQUAL(
      http_once(http, "POST", "/api/v1/bench/commits", commit_body(0)).status, 202);
  ++acknowledged_commits;

  BOOST_REQUIRE(fs.fill("filler"));
  // Bench is the first writer to meet the full disk: its scheduler's write
  // fails, the submitter gets 507, and the scheduler waits for the disk.
  http_reply refused;
  for (int i = 1; i < 200 && refused.status != 507; ++i) {
    refused = http_once(http, "POST", "/api/v1/bench/commits", commit_body(i));
    if (refused.status == 202) ++acknowledged_commits;
    BOOST_REQUIRE_MESSAGE(
        refused.status == 202 || refused.status == 507,
        "commit " << i << ": " << refused.status << " " << refused.body);
  }
  BOOST_REQUIRE_EQUAL(refused.status, 507);
  BOOST_CHECK(contains(refused.body, "storage_unavailable"));
  BOOST_CHECK(!refused.header("retry-after").empty());
  node->proc().await_log("writes fail", 10s);

  // Every writer is refused at once now, naming the store and its directory.
  auto run_refused = http_once(http, "POST", "/api/v1/runs", R"({"workflow": "quick"})");
  BOOST_CHECK_EQUAL(run_refused.status, 507);
  BOOST_CHECK(contains(run_refused.body, data + "/troupe.db"));
  BOOST_CHECK(contains(run_refused.body, "free space in " + data));
  BOOST_CHECK_EQUAL(
      http_once(http, "POST", "/api/v1/pools/demo/scale", R"({"replicas": 5})").status,
      507);
  BOOST_CHECK_EQUAL(
      http_once(http, "POST", "/api/v1/bench/commits", commit_body(999)).status, 507);

  // Reads keep working; readiness and metrics say why not ready.
  BOOST_CHECK_EQUAL(http_once(http, "GET", "/api/v1/pools/demo").status, 200);
  BOOST_CHECK_EQUAL(http_once(http, "GET", "/api/v1/runs/" + gated).status, 200);
  auto ready = http_once(http, "GET", "/readyz");
  BOOST_CHECK_EQUAL(ready.status, 503);
  BOOST_CHECK(contains(ready.body, "cannot write"));
  // The scheduler's exit reaches its supervisor after the submitter's answer.
  auto metrics = await_metrics(http, "event=\"resource_wait\"");
  BOOST_CHECK(contains(metrics, "troupe_store_writable 0"));
  BOOST_CHECK(contains(metrics, "event=\"resource_wait\""));
  BOOST_CHECK(!contains(metrics, "event=\"gave_up\""));

  // The gated run's next step meets the full disk: the run holds it, and
  // the task it schedules, until the store writes again.
  std::ofstream(conf.file("GO")) << "go";
  BOOST_REQUIRE(node->proc().await_log("of execution " + gated + " was not stored", 30s));

  // Space returns: writes resume by themselves.
  std::filesystem::remove(fs.path("filler"));
  BOOST_REQUIRE(node->proc().await_log("writes work again", 30s));
  BOOST_CHECK_EQUAL(count_of(node->proc().err(), "writes fail"), 1u);
  acknowledged_runs.insert(start_run(http, R"({"workflow": "quick"})"));
  await_bench_ready(http);  // the scheduler is back from its wait
  // Ready again: the store writes and every subsystem is up (the bench
  // scheduler restarted while the disk was full).
  BOOST_CHECK_EQUAL(http_once(http, "GET", "/readyz").status, 200);
  BOOST_CHECK_EQUAL(
      http_once(http, "POST", "/api/v1/bench/commits", commit_body(500)).status, 202);
  ++acknowledged_commits;
  BOOST_CHECK_EQUAL(
      http_once(http, "POST", "/api/v1/pools/demo/scale", R"({"replicas": 3})").status,
      202);
  for (auto& id : acknowledged_runs)
    BOOST_CHECK_EQUAL(await_final(http, id)["state"].as_string(), "succeeded");
  BOOST_CHECK(node->proc().running());  // the fault never shut it down

  // After a restart: exactly what was acknowledged.
  node->proc().signal(SIGTERM);
  BOOST_REQUIRE_EQUAL(node->proc().wait_exit(30s).value_or(-1), 0);
  node.emplace(args, data);
  http = node->http();
  for (auto& id : acknowledged_runs)
    BOOST_CHECK_EQUAL(status_of(http, id)["state"].as_string(), "succeeded");
  auto runs = get_json(http, "/api/v1/runs");
  BOOST_CHECK_EQUAL(runs.size(), acknowledged_runs.size());
  await_bench_ready(http);
  BOOST_CHECK_EQUAL(get_json(http, "/api/v1/bench/status")["coverage"]["seen"].as_int(),
                    acknowledged_commits);
  await_json(http, "/api/v1/pools/demo",
             [](const json& p) { return p["desired"].as_int() == 3; });
}

BOOST_AUTO_TEST_CASE(a_damaged_or_foreign_store_stops_the_start_with_what_to_do) {
  temp_dir dir("bad-store");
  auto data = dir.file("data");
  std::filesystem::create_directories(data);
  {
    node_process node({}, data);
    BOOST_REQUIRE_EQUAL(http_once(node.http(), "GET", "/readyz").status, 200);
    node.proc().signal(SIGTERM);
    BOOST_REQUIRE_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
  }
  auto db = data + "/troupe.db";
  auto check = troupe_cli({"store", "check", "--data-dir=" + data});
  BOOST_CHECK_EQUAL(check.rc, 0);
  BOOST_CHECK(contains(check.out, "sound: " + db));

  // A store from a newer troupe.
  std::filesystem::copy_file(db, dir.file("good.db"));
  BOOST_REQUIRE_EQUAL(
      run({"/usr/bin/sqlite3", db,
           "INSERT INTO schema_version VALUES (9999, 'future', '2030-01-01')"})
          .rc,
      0);
  auto newer =
      troupe_cli({"node", "--http.listen=127.0.0.1:0", "--node.data-dir=" + data});
  BOOST_CHECK_EQUAL(newer.rc, 2);
  BOOST_CHECK(contains(newer.err, db));
  BOOST_CHECK(contains(newer.err, "newer troupe"));
  BOOST_CHECK(contains(newer.err, "what to do"));
  check = troupe_cli({"store", "check", "--data-dir=" + data});
  BOOST_CHECK_EQUAL(check.rc, 1);
  BOOST_CHECK(contains(check.out, "newer than this troupe"));

  // A damaged store: pages in the middle overwritten.
  std::filesystem::copy_file(dir.file("good.db"), db,
                             std::filesystem::copy_options::overwrite_existing);
  {
    auto size = std::filesystem::file_size(db);
    BOOST_REQUIRE_GT(size, 8192u);
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string garbage(4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto damaged =
      troupe_cli({"node", "--http.listen=127.0.0.1:0", "--node.data-dir=" + data});
  BOOST_CHECK_EQUAL(damaged.rc, 2);
  BOOST_CHECK(contains(damaged.err, db));
  BOOST_CHECK(contains(damaged.err, "troupe store backup"));
  check = troupe_cli({"store", "check", "--data-dir=" + data});
  BOOST_CHECK_EQUAL(check.rc, 1);
  BOOST_CHECK(contains(check.out, "damaged: "));

  // A data directory that cannot be one.
  std::ofstream(dir.file("plain-file")) << "x";
  auto unusable = troupe_cli({"node", "--http.listen=127.0.0.1:0",
                              "--node.data-dir=" + dir.file("plain-file") + "/d"});
  BOOST_CHECK_EQUAL(unusable.rc, 2);
  BOOST_CHECK(contains(unusable.err, "plain-file"));
}

BOOST_AUTO_TEST_CASE(a_backup_of_a_running_node_is_a_sound_copy) {
  temp_dir conf("backup-conf");
  std::ofstream(conf.file("echo.json"))
      << R"({"version": 1, "name": "echo", "tasks": {"a": {"action": "core.echo", "input": {"message": "hi"}}}})";
  node_process node({"--workflow.workflows-dir=" + conf.path()});
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(start_run(node.http(), R"({"workflow": "echo"})"));
  for (auto& id : ids) await_final(node.http(), id);
  auto out = conf.file("copy/troupe.db");
  std::filesystem::create_directories(conf.file("copy"));
  auto backup =
      troupe_cli({"store", "backup", "--data-dir=" + node.data_dir(), "--out=" + out});
  BOOST_REQUIRE_MESSAGE(backup.rc == 0, backup.err);
  BOOST_CHECK(contains(backup.out, "written to " + out));
  BOOST_CHECK(!std::filesystem::exists(out + ".partial"));
  auto check =
      troupe_cli({"store", "check", "--full", "--data-dir=" + conf.file("copy")});
  BOOST_CHECK_MESSAGE(check.rc == 0, check.out);
  auto rows = run({"/usr/bin/sqlite3", out, "SELECT COUNT(*) FROM wf_executions"});
  BOOST_CHECK_EQUAL(rows.out, "5\n");
  BOOST_CHECK(node.proc().running());
  BOOST_CHECK_EQUAL(troupe_cli({"store", "backup", "--data-dir=" + node.data_dir()}).rc,
                    2);
}
