// Tests of runtime/services/process: real child processes started through the one
// process service: exit codes and signals, output capture and truncation,
// stdin, environment, working directory, literal arguments, spawn failures,
// timeouts (TERM, then KILL), process-group kills that reach grandchildren,
// cancellation, many concurrent children, and shutdown leaving no zombies.
// Waits are generous liveness bounds (60 s); nothing asserts on elapsed time.
#define BOOST_TEST_MODULE process_service
#include "runtime/services/process/process_service.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/services/process/command_line.hpp"
#include "runtime/services/process/leftovers.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace std::chrono_literals;
using troupe::testing::temp_dir;

namespace {

constexpr auto liveness = 60s;

// Starts `spec` and waits (up to 60 s) for its result.
process_result run(process_service& service, process_spec spec) {
  auto done = std::make_shared<std::promise<process_result>>();
  auto future = done->get_future();
  service.start(std::move(spec),
                [done](process_result r) { done->set_value(std::move(r)); });
  BOOST_REQUIRE_MESSAGE(future.wait_for(liveness) == std::future_status::ready,
                        "no result within 60 s");
  return future.get();
}

process_spec command(std::vector<std::string> argv) {
  process_spec spec;
  spec.argv = std::move(argv);
  return spec;
}

// True once `pid` is gone or a zombie (reparented to a reaper we do not
// control); waits up to 60 s for the kernel to finish killing it.
bool dies(int pid) {
  auto until = std::chrono::steady_clock::now() + liveness;
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)),
                     std::istreambuf_iterator<char>());
    auto paren = text.rfind(')');
    if (!stat || paren == std::string::npos || text.substr(paren + 2, 1) == "Z") {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// True when `pid` is no child of ours any more (reaped, not a zombie).
bool reaped(int pid) {
  return waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

}  // namespace

BOOST_AUTO_TEST_CASE(exit_codes_and_signals) {
  process_service service;
  process_result t = run(service, command({"true"}));
  BOOST_TEST(t.ok());
  BOOST_TEST(t.exit_code == 0);
  BOOST_TEST(t.pid > 0);
  BOOST_TEST(!t.spawn_failed);
  process_result f = run(service, command({"false"}));
  BOOST_TEST(!f.ok());
  BOOST_TEST(f.exit_code == 1);
  BOOST_TEST(run(service, command({"sh", "-c", "exit 7"})).exit_code == 7);
  process_result k = run(service, command({"sh", "-c", "kill -KILL $$"}));
  BOOST_TEST(k.term_signal == SIGKILL);
  BOOST_TEST(k.exit_code == -1);
  BOOST_TEST(!k.ok());
  BOOST_TEST(!k.timed_out);
  BOOST_TEST(service.running() == 0u);
}

// The CPU a process used counts what it waited for (a measurement's own
// work), and not what it left running.
BOOST_AUTO_TEST_CASE(cpu_time_includes_the_children_waited_for) {
  process_service service;
  auto spin = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";
  process_result direct = run(service, command({"sh", "-c", spin}));
  BOOST_REQUIRE(direct.ok());
  BOOST_TEST(direct.cpu.count() > 0);
  BOOST_TEST((direct.cpu <= direct.duration * 2 + 20ms));  // at most its CPUs' time
  process_result waited =
      run(service, command({"sh", "-c", std::string("sh -c '") + spin + "'; exit 0"}));
  BOOST_REQUIRE(waited.ok());
  BOOST_TEST((waited.cpu >= direct.cpu / 4));  // the grandchild's CPU is in it
  BOOST_TEST((run(service, command({"true"})).cpu < direct.cpu));
}

BOOST_AUTO_TEST_CASE(captures_stdout_and_stderr) {
  process_service service;
  process_result r =
      run(service, command({"sh", "-c", "echo out; echo err >&2; echo more"}));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.out == "out\nmore\n");
  BOOST_TEST(r.err == "err\n");
  BOOST_TEST(!r.out_truncated);
  BOOST_TEST(!r.err_truncated);
}

BOOST_AUTO_TEST_CASE(stdin_round_trip_through_cat) {
  process_service service;
  std::string data;
  for (int i = 0; data.size() < 3 * 1024 * 1024; ++i) {
    data += "line " + std::to_string(i) + " \x01\xff\n";
  }
  data.push_back('\0');
  process_spec spec = command({"cat"});
  spec.stdin_data = data;
  spec.max_output_bytes = 8 * 1024 * 1024;
  process_result r = run(service, spec);
  BOOST_TEST(r.ok());
  BOOST_TEST(r.out.size() == data.size());
  BOOST_TEST((r.out == data));

  process_spec empty = command({"cat"});
  empty.stdin_data = "";
  BOOST_TEST(run(service, empty).out == "");
  // Without stdin data, stdin is /dev/null: cat ends at once.
  BOOST_TEST(run(service, command({"cat"})).out == "");
}

BOOST_AUTO_TEST_CASE(stdin_not_read_by_the_child) {
  process_service service;
  process_spec spec = command({"true"});
  spec.stdin_data = std::string(4 * 1024 * 1024, 'x');  // more than a pipe holds
  BOOST_TEST(run(service, spec).ok());  // EPIPE is absorbed, SIGPIPE never hits us
}

BOOST_AUTO_TEST_CASE(environment_override_and_clear) {
  process_service service;
  process_spec spec = command({"env"});
  spec.env = {
      {"TROUPE_TEST_A", "one"}, {"TROUPE_TEST_B", "x=y z"}, {"TROUPE_TEST_A", "two"}};
  process_result r = run(service, spec);
  BOOST_TEST(r.ok());
  BOOST_TEST(r.out.find("\nTROUPE_TEST_A=two\n") != std::string::npos);
  BOOST_TEST(r.out.find("TROUPE_TEST_A=one") == std::string::npos);
  BOOST_TEST(r.out.find("\nTROUPE_TEST_B=x=y z\n") != std::string::npos);
  BOOST_TEST(r.out.find("PATH=") != std::string::npos);  // inherited

  process_spec clean = command({"env"});
  clean.clear_env = true;
  clean.env = {{"ONLY", "this"}};
  BOOST_TEST(run(service, clean).out == "ONLY=this\n");

  process_spec bad = command({"env"});
  bad.env = {{"A=B", "c"}};
  process_result b = run(service, bad);
  BOOST_TEST(b.spawn_failed);
  BOOST_TEST(b.error.find("A=B") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(working_directory) {
  process_service service;
  temp_dir dir("process-cwd");
  process_spec spec = command({"pwd"});
  spec.cwd = dir.path();
  process_result r = run(service, spec);
  BOOST_TEST(r.ok());
  BOOST_TEST(r.out == std::filesystem::canonical(dir.path()).string() + "\n");

  // A relative program path counts from the working directory.
  std::ofstream(dir.file("hello.sh")) << "#!/bin/sh\necho hello from script\n";
  chmod(dir.file("hello.sh").c_str(), 0755);
  process_spec script = command({"./hello.sh"});
  script.cwd = dir.path();
  BOOST_TEST(run(service, script).out == "hello from script\n");
}

BOOST_AUTO_TEST_CASE(hostile_arguments_stay_literal) {
  process_service service;
  temp_dir dir("process-args");
  std::vector<std::string> args = {
      "it's \"quoted\"", "; touch X", "$(touch X)", "`touch X`",
      "a\nb\nc",         "*",         "&& touch X", "| touch X > X",
      "$HOME ${PATH}",   "",          "  spaced  ", "\\n %s %d"};
  process_spec spec = command({"printf", "%s\\n"});
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = dir.path();
  process_result r = run(service, spec);
  BOOST_TEST(r.ok());
  std::string expected;
  for (const std::string& a : args) expected += a + "\n";
  BOOST_TEST(r.out == expected);
  BOOST_TEST(!std::filesystem::exists(dir.file("X")));
  BOOST_TEST(std::filesystem::is_empty(dir.path()));
}

BOOST_AUTO_TEST_CASE(render_command_quotes_like_a_shell) {
  BOOST_TEST(render_command({"printf", "%s\\n", "a b", "it's", "", "x=1,y/z"}) ==
             "printf '%s\\n' 'a b' 'it'\\''s' '' x=1,y/z");
  BOOST_TEST(render_command({"echo", "$(touch X)", "*"}) == "echo '$(touch X)' '*'");
  BOOST_TEST(render_command({}) == "");

  // Round trip: sh reads each rendered argument back literally.
  process_service service;
  std::vector<std::string> args = {"it's", "$(touch X)", "a\nb", "`x`", "", "\\"};
  std::vector<std::string> argv = {"printf", "%s|"};
  argv.insert(argv.end(), args.begin(), args.end());
  process_result r = run(service, command({"sh", "-c", render_command(argv)}));
  std::string expected;
  for (const std::string& a : args) expected += a + "|";
  BOOST_TEST(r.out == expected);
}

BOOST_AUTO_TEST_CASE(spawn_failures_are_results) {
  process_service service;
  auto test_thread = std::this_thread::get_id();
  auto done = std::make_shared<std::promise<std::thread::id>>();
  service.start(command({"troupe-no-such-program"}),
                [done](process_result) { done->set_value(std::this_thread::get_id()); });
  auto future = done->get_future();
  BOOST_REQUIRE(future.wait_for(liveness) == std::future_status::ready);
  BOOST_TEST((future.get() != test_thread));  // asynchronous, on the service thread

  process_result missing = run(service, command({"troupe-no-such-program", "arg"}));
  BOOST_TEST(missing.spawn_failed);
  BOOST_TEST(!missing.ok());
  BOOST_TEST(missing.pid == -1);
  BOOST_TEST(missing.error.find("troupe-no-such-program") != std::string::npos);
  BOOST_TEST(missing.error.find("No such file") != std::string::npos);

  process_result path = run(service, command({"/nonexistent/troupe-prog"}));
  BOOST_TEST(path.spawn_failed);
  BOOST_TEST(path.error.find("/nonexistent/troupe-prog") != std::string::npos);

  process_spec bad_cwd = command({"true"});
  bad_cwd.cwd = "/nonexistent/troupe-dir";
  process_result cwd = run(service, bad_cwd);
  BOOST_TEST(cwd.spawn_failed);
  BOOST_TEST(cwd.error.find("'true'") != std::string::npos);
  BOOST_TEST(cwd.error.find("working directory '/nonexistent/troupe-dir'") !=
             std::string::npos);

  temp_dir dir("process-perm");
  std::ofstream(dir.file("not-executable")) << "#!/bin/sh\n";
  process_result perm = run(service, command({dir.file("not-executable")}));
  BOOST_TEST(perm.spawn_failed);
  BOOST_TEST(perm.error.find("Permission denied") != std::string::npos);

  BOOST_TEST(run(service, command({})).spawn_failed);
  BOOST_TEST(service.running() == 0u);
}

BOOST_AUTO_TEST_CASE(timeout_terminates_the_process) {
  process_service service;
  process_spec spec = command({"sleep", "30"});
  spec.timeout = 200ms;
  process_result r = run(service, spec);
  BOOST_TEST(r.timed_out);
  BOOST_TEST(!r.cancelled);
  BOOST_TEST(r.term_signal == SIGTERM);
  BOOST_TEST(!r.ok());
  BOOST_TEST((r.duration < std::chrono::nanoseconds(20s)));
}

BOOST_AUTO_TEST_CASE(timeout_kills_a_child_that_ignores_term) {
  process_service service;
  process_spec spec = command({"sh", "-c", "trap '' TERM; echo ready; sleep 30"});
  spec.timeout = 1000ms;
  spec.kill_grace = 300ms;
  process_result r = run(service, spec);
  BOOST_TEST(r.out == "ready\n");
  BOOST_TEST(r.timed_out);
  BOOST_TEST(r.term_signal == SIGKILL);
}

BOOST_AUTO_TEST_CASE(timeout_kills_grandchildren) {
  process_service service;
  process_spec spec = command({"sh", "-c", "sleep 30 & echo $!; wait"});
  spec.timeout = 300ms;
  process_result r = run(service, spec);
  BOOST_TEST(r.timed_out);
  int grandchild = std::stoi(r.out);
  BOOST_TEST(grandchild > 0);
  BOOST_TEST(dies(grandchild));
}

BOOST_AUTO_TEST_CASE(exit_with_grandchild_holding_the_pipes) {
  process_service service;
  // The leader exits at once; its background sleep keeps stdout open.
  process_result r = run(service, command({"sh", "-c", "sleep 30 & echo $!"}));
  BOOST_TEST(r.ok());
  BOOST_TEST(!r.timed_out);
  BOOST_TEST(dies(std::stoi(r.out)));  // kill_group_on_exit

  process_spec keep = command({"sh", "-c", "sleep 30 & echo $!"});
  keep.kill_group_on_exit = false;
  keep.exit_drain = 50ms;
  process_result k = run(service, keep);
  BOOST_TEST(k.ok());
  int left = std::stoi(k.out);
  BOOST_TEST(kill(left, 0) == 0);  // still running, reported anyway
  kill(left, SIGKILL);
}

BOOST_AUTO_TEST_CASE(output_is_bounded) {
  process_service service;
  process_spec spec =
      command({"sh", "-c", "yes | head -c 10000000; yes e | head -c 100 >&2"});
  spec.max_output_bytes = 64 * 1024;
  process_result r = run(service, spec);
  BOOST_TEST(r.ok());
  BOOST_TEST(r.out.size() == 64u * 1024u);
  BOOST_TEST(r.out_truncated);
  BOOST_TEST(r.out.substr(0, 4) == "y\ny\n");
  BOOST_TEST(r.err.size() == 100u);
  BOOST_TEST(!r.err_truncated);
}

BOOST_AUTO_TEST_CASE(many_concurrent_processes_complete_exactly_once) {
  process_service service;
  constexpr int n = 200;
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::uint64_t, int> calls;
  int ok = 0, total = 0;
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < n; ++i) {
    ids.push_back(service.start(command({"true"}), [&](process_result r) {
      std::lock_guard<std::mutex> lock(mu);
      ++calls[r.id];
      ok += r.ok() ? 1 : 0;
      ++total;
      cv.notify_all();
    }));
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    BOOST_REQUIRE(cv.wait_for(lock, liveness, [&] { return total >= n; }));
  }
  service.shutdown(2s);  // no late or duplicate callbacks after this
  std::lock_guard<std::mutex> lock(mu);
  BOOST_TEST(total == n);
  BOOST_TEST(ok == n);
  BOOST_TEST(calls.size() == static_cast<std::size_t>(n));
  for (std::uint64_t id : ids) BOOST_TEST(calls[id] == 1);
  BOOST_TEST(service.running() == 0u);
}

BOOST_AUTO_TEST_CASE(terminate_a_running_process) {
  process_service service;
  auto done = std::make_shared<std::promise<process_result>>();
  std::uint64_t id = service.start(command({"sleep", "30"}),
                                   [done](process_result r) { done->set_value(r); });
  BOOST_TEST(service.running() == 1u);
  service.terminate(id);
  auto future = done->get_future();
  BOOST_REQUIRE(future.wait_for(liveness) == std::future_status::ready);
  process_result r = future.get();
  BOOST_TEST(r.id == id);
  BOOST_TEST(r.cancelled);
  BOOST_TEST(!r.timed_out);
  BOOST_TEST(r.term_signal == SIGTERM);
  BOOST_TEST(reaped(r.pid));
  service.terminate(id);      // done: no-op
  service.terminate(987654);  // unknown: no-op
  BOOST_TEST(run(service, command({"true"})).ok());
}

BOOST_AUTO_TEST_CASE(children_get_default_signals_and_no_node_descriptors) {
  // Like the node: SIGTERM blocked, SIGHUP ignored, a descriptor without
  // close-on-exec. None of it may reach the child.
  sigset_t term, old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old_mask);
  auto old_hup = signal(SIGHUP, SIG_IGN);
  int leaked = dup(STDOUT_FILENO);
  {
    process_service service;
    process_result r =
        run(service, command({"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"}));
    BOOST_TEST(r.out == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
    process_result fds = run(service, command({"ls", "/proc/self/fd"}));
    BOOST_TEST(fds.out == "0\n1\n2\n3\n");  // 3 is ls's own directory handle
    process_result group =
        run(service, command({"sh", "-c", "echo $$; ps -o pgid= -p $$"}));
    auto newline = group.out.find('\n');
    BOOST_REQUIRE(newline != std::string::npos);
    BOOST_TEST(std::stoi(group.out.substr(0, newline)) ==
               std::stoi(group.out.substr(newline + 1)));  // its own group
  }
  close(leaked);
  signal(SIGHUP, old_hup);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
}

BOOST_AUTO_TEST_CASE(callbacks_may_start_more_processes) {
  process_service service;
  auto done = std::make_shared<std::promise<process_result>>();
  service.start(command({"echo", "first"}), [&service, done](process_result first) {
    process_spec next = command({"cat"});
    next.stdin_data = "second after " + first.out;
    service.start(next, [done](process_result r) { done->set_value(r); });
  });
  auto future = done->get_future();
  BOOST_REQUIRE(future.wait_for(liveness) == std::future_status::ready);
  BOOST_TEST(future.get().out == "second after first\n");
}

BOOST_AUTO_TEST_CASE(destructor_kills_running_children_and_reaps_them) {
  std::mutex mu;
  std::vector<process_result> results;
  auto collect = [&](process_result r) {
    std::lock_guard<std::mutex> lock(mu);
    results.push_back(std::move(r));
  };
  {
    process_service service;
    for (int i = 0; i < 5; ++i) service.start(command({"sleep", "30"}), collect);
    service.start(command({"sh", "-c", "trap '' TERM; sleep 30"}), collect);
  }  // the destructor returned: it did not wait for the sleeps (killed: below)
  std::lock_guard<std::mutex> lock(mu);
  BOOST_REQUIRE(results.size() == 6u);
  for (const process_result& r : results) {
    BOOST_TEST(r.cancelled);
    if (r.pid > 0) {
      BOOST_TEST(r.term_signal > 0);
      BOOST_TEST(reaped(r.pid));  // no zombie left
    }
  }
}

BOOST_AUTO_TEST_CASE(shutdown_is_bounded_idempotent_and_refuses_later_starts) {
  process_service service;
  auto done = std::make_shared<std::promise<process_result>>();
  temp_dir dir("process");
  auto ready = dir.file("ready");
  process_spec stubborn =
      command({"sh", "-c", "trap '' TERM; touch \"$0\"; sleep 30", ready});
  stubborn.kill_grace = 30s;  // shutdown's grace is shorter and wins
  service.start(stubborn, [done](process_result r) { done->set_value(r); });
  // Once the trap is installed (the file is there), the kill must come from SIGKILL.
  auto until = std::chrono::steady_clock::now() + 30s;
  while (!std::filesystem::exists(ready) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  BOOST_REQUIRE(std::filesystem::exists(ready));
  service.shutdown(300ms);
  auto future = done->get_future();
  BOOST_REQUIRE(future.wait_for(0s) == std::future_status::ready);  // shutdown waited
  process_result r = future.get();
  BOOST_TEST(r.cancelled);
  BOOST_TEST(r.term_signal == SIGKILL);
  BOOST_TEST(reaped(r.pid));
  service.shutdown(300ms);

  bool refused = false;
  service.start(command({"true"}), [&](process_result late) {
    refused = late.spawn_failed && late.cancelled && !late.error.empty();
  });
  BOOST_TEST(refused);  // at once, on this thread
  service.terminate(1);
  BOOST_TEST(service.running() == 0u);
}

// The owner mark and the leftover scan (runtime/services/process/leftovers.hpp): every
// child carries TROUPE_NODE=<owner>, a spec's own value cannot override it,
// and end_leftovers ends what carries the mark, and nothing else.
BOOST_AUTO_TEST_CASE(children_carry_the_owner_and_leftovers_are_found_and_ended) {
  auto owner = "/tmp/owner-" + std::to_string(::getpid());
  process_service marked(nullptr, owner);
  auto spec = command({"sh", "-c", "echo $TROUPE_NODE"});
  spec.env = {{"TROUPE_NODE", "forged"}};
  auto r = run(marked, spec);
  BOOST_CHECK_EQUAL(r.out, owner + "\n");

  auto ended = std::make_shared<std::promise<process_result>>();
  auto ended_future = ended->get_future();
  temp_dir dir("leftover");
  marked.start(command({"sh", "-c", "echo $$ > " + dir.file("pid") + "; exec sleep 60"}),
               [ended](process_result r) { ended->set_value(std::move(r)); });
  process_service other(nullptr, owner + "-other");
  auto other_done = std::make_shared<std::promise<process_result>>();
  other.start(command({"sleep", "60"}),
              [other_done](process_result r) { other_done->set_value(std::move(r)); });
  int pid = 0;
  for (int i = 0; i < 600 && pid == 0; ++i) {
    std::ifstream(dir.file("pid")) >> pid;
    if (pid == 0) std::this_thread::sleep_for(10ms);
  }
  BOOST_REQUIRE_GT(pid, 0);
  // The other service's child carries its mark once it has exec'd (start()
  // spawns on the service's thread): wait for it, so that the last check
  // below proves it was left alone, not that it came late.
  auto others = find_leftovers(owner + "-other");
  for (int i = 0; i < 600 && others.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    others = find_leftovers(owner + "-other");
  }
  BOOST_REQUIRE_EQUAL(others.size(), 1u);
  auto found = find_leftovers(owner);
  BOOST_REQUIRE_EQUAL(found.size(), 1u);
  BOOST_CHECK_EQUAL(found[0].pid, pid);
  BOOST_CHECK(!found[0].command.empty());  // "sh -c ..." or, once it exec'd, "sleep 60"
  auto gone = end_leftovers(owner, liveness);
  BOOST_CHECK_EQUAL(gone.size(), 1u);
  BOOST_CHECK(dies(pid));
  BOOST_REQUIRE(ended_future.wait_for(liveness) == std::future_status::ready);
  BOOST_CHECK_EQUAL(ended_future.get().term_signal, SIGKILL);
  BOOST_CHECK_EQUAL(find_leftovers(owner + "-other").size(), 1u);  // not ours: untouched
}
