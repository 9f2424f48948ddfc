// core.http end to end through the workflow engine (an embedded engine),
// against troupe's own http_server on 127.0.0.1:0: JSON and text bodies,
// expected statuses, retries from the task's retry policy, the action's
// timeout, the response bound, secret headers that never reach the run's
// status, input errors naming the path, and HTTPS with a CA and without.
#define BOOST_TEST_MODULE action_http
#include "actors/workflow/action_http.hpp"

#include <boost/test/unit_test.hpp>
#include <map>
#include <mutex>

#include "actors/workflow/embedded_engine.hpp"
#include "actors/workflow/workflow_json.hpp"
#include "runtime/services/http/server.hpp"
#include "tests/support/tls_files.hpp"

using troupe::http_access;
using troupe::http_request;
using troupe::http_responder;
using troupe::json;
using troupe::run_status;
using namespace troupe::workflow;
using namespace std::chrono_literals;

namespace {

const std::string the_secret = "s3cret-token-4711";

std::unique_ptr<embedded_engine> the_engine;

struct engine_fixture {
  engine_fixture() {
    embedded_options o;
    o.runners = 4;
    o.resume = false;
    the_engine = std::make_unique<embedded_engine>(o);
    // As a node does from [workflow.secrets], before anything runs.
    the_engine->actions()->add("core.http", std::make_shared<http_action>(
                                                http_secrets{{"api_token", the_secret}}));
  }
  ~engine_fixture() { the_engine.reset(); }
};

// A server with the routes the tests call; it counts the requests per path
// and keeps what /echo and /whoami received. /never answers only when the
// server stops.
struct test_server {
  explicit test_server(troupe::http_tls_options tls = {}) : server(options(tls)) {
    auto on = [this](const std::string& method, const std::string& path,
                     troupe::http_handler h) {
      server.route(
          method, path,
          [this, h](const http_request& q, http_responder respond) {
            {
              std::lock_guard<std::mutex> lock(mu);
              ++hits[q.path];
            }
            h(q, std::move(respond));
          },
          http_access::open);
    };
    on("GET", "/json", [](auto&, auto respond) {
      respond(troupe::json_response(R"({"answer": 42, "list": [1, "two"]})"));
    });
    on("GET", "/text",
       [](auto&, auto respond) { respond(troupe::text_response("plain")); });
    on("POST", "/echo", [this](const http_request& q, http_responder respond) {
      {
        std::lock_guard<std::mutex> lock(mu);
        content_type = q.header("content-type").value_or("");
        body = q.body;
      }
      respond(troupe::text_response("stored", 201));
    });
    on("GET", "/status/{code}", [](const http_request& q, http_responder respond) {
      respond(troupe::text_response("failing on purpose " + std::string(1000, 'x'),
                                    std::stoi(q.param("code"))));
    });
    on("GET", "/flaky", [this](auto&, http_responder respond) {
      std::lock_guard<std::mutex> lock(mu);
      respond(hits["/flaky"] < 3 ? troupe::text_response("not yet", 500)
                                 : troupe::json_response(R"({"ok": true})"));
    });
    on("GET", "/never", [this](auto&, http_responder respond) {
      std::lock_guard<std::mutex> lock(mu);
      held.push_back(std::move(respond));
    });
    on("GET", "/big", [](auto&, auto respond) {
      respond(troupe::text_response(std::string(4096, 'b')));
    });
    // Answers with the Authorization header it got, as a careless API might.
    on("GET", "/whoami", [this](const http_request& q, http_responder respond) {
      auto auth = q.header("authorization").value_or("");
      {
        std::lock_guard<std::mutex> lock(mu);
        authorization = auth;
      }
      respond(troupe::json_response(R"({"you": ")" + auth + R"("})"));
    });
    auto bound = server.start();
    BOOST_REQUIRE_MESSAGE(bound, bound.error().message());
    url = (tls.enabled() ? "https://" : "http://") + *bound;
  }
  static troupe::http_options options(const troupe::http_tls_options& tls) {
    troupe::http_options o;
    o.listen = "127.0.0.1:0";
    o.tls = tls;
    return o;
  }
  int count(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu);
    return hits[path];
  }

  std::mutex mu;
  std::map<std::string, int> hits;
  std::string content_type, body, authorization;
  std::vector<http_responder> held;
  troupe::http_server server;
  std::string url;
};

json parse(const std::string& text) {
  auto v = json::parse(text);
  BOOST_REQUIRE_MESSAGE(v, v.error().message() << " in " << text);
  return *v;
}

// A workflow of one core.http task "call" with `input` (and `task_extra`
// fields such as a retry policy); its end state.
run_status run_call(const std::string& input, const std::string& task_extra = "") {
  auto doc = R"({"version": 1, "name": "http", "tasks": {"call": {"action": "core.http",
      "input": )" +
             input + (task_extra.empty() ? "" : ", " + task_extra) + "}}}";
  auto s = the_engine->start({"http.json", parse(doc), json::object(), {}});
  BOOST_REQUIRE_MESSAGE(s, s.error().message());
  auto done = the_engine->wait(s->id);
  BOOST_REQUIRE_MESSAGE(done, done.error().message());
  return *done;
}

const troupe::run_task_status& call_task(const run_status& s) {
  BOOST_REQUIRE(!s.tasks.empty());
  return s.tasks.front();
}

std::string errors(const run_status& s) {
  std::string out;
  for (auto& e : s.errors) out += e + "; ";
  return out;
}

// The definition's validation error for a core.http task with `input`.
std::string refusal(const std::string& input) {
  auto doc = R"({"version": 1, "name": "bad", "tasks": {"call": {"action": "core.http",
      "input": )" +
             input + "}}}";
  auto s = the_engine->start({"bad.json", parse(doc), json::object(), {}});
  BOOST_REQUIRE_MESSAGE(!s, "accepted: " << input);
  return s.error().message();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_GLOBAL_FIXTURE(engine_fixture);

BOOST_AUTO_TEST_CASE(get_parses_a_json_body) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/json"})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  auto& r = call_task(s).result;
  BOOST_TEST(r["status"] == json(200));
  BOOST_TEST(r["body"] == parse(R"({"answer": 42, "list": [1, "two"]})"));
  BOOST_TEST(r["headers"]["content-type"].as_string().substr(0, 16) ==
             "application/json");
}

BOOST_AUTO_TEST_CASE(a_text_body_stays_text) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/text"})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(call_task(s).result["body"] == json("plain"));
}

BOOST_AUTO_TEST_CASE(post_sends_json_and_text_with_their_content_types) {
  test_server server;
  auto s = run_call(R"({"method": "POST", "url": ")" + server.url +
                    R"(/echo", "body": {"ref": "main", "n": [1, 2]}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(call_task(s).result["status"] == json(201));
  BOOST_TEST(server.content_type == "application/json");
  BOOST_TEST(parse(server.body) == parse(R"({"ref": "main", "n": [1, 2]})"));

  s = run_call(R"({"method": "POST", "url": ")" + server.url +
               R"(/echo", "body": "a line of text"})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(server.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(server.body == "a line of text");

  s = run_call(
      R"({"method": "POST", "url": ")" + server.url +
      R"(/echo", "body": "k=v", "headers": {"Content-Type": "application/x-www-form-urlencoded"}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(server.content_type == "application/x-www-form-urlencoded");
}

BOOST_AUTO_TEST_CASE(expected_statuses_decide_success) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/status/404"})");
  BOOST_TEST(s.state == "failed");
  auto& t = call_task(s);
  BOOST_TEST(t.result["status"] == json(404));
  BOOST_TEST(has(t.error, "status 404, expected 2xx: failing on purpose xxx"), t.error);
  BOOST_TEST(has(t.error, "..."), t.error);  // the excerpt is bounded
  BOOST_TEST(t.error.size() < 600u, t.error);

  s = run_call(R"({"url": ")" + server.url +
               R"(/status/404", "expected_status": [200, 404]})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  s = run_call(R"({"url": ")" + server.url + R"(/json", "expected_status": [204]})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "status 200, expected 204"), call_task(s).error);
}

BOOST_AUTO_TEST_CASE(a_500_is_retried_by_the_task_retry_policy) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/flaky"})",
                    R"("retry": {"count": 3, "delay": 0})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(server.count("/flaky") == 3);  // two 500s, then 200
  BOOST_TEST(call_task(s).result["body"] == parse(R"({"ok": true})"));

  s = run_call(R"({"url": ")" + server.url + R"(/status/503"})",
               R"("retry": {"count": 2, "delay": 0})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(server.count("/status/503") == 3);
  BOOST_TEST(has(call_task(s).error, "status 503"), call_task(s).error);
}

BOOST_AUTO_TEST_CASE(the_action_timeout_ends_a_call_without_an_answer) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/never", "timeout": 0.3})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "/never: no response within 0.3s (timeout)"),
             call_task(s).error);
  BOOST_TEST(server.count("/never") == 1);
}

BOOST_AUTO_TEST_CASE(an_oversize_body_fails_naming_the_limit) {
  test_server server;
  auto s =
      run_call(R"({"url": ")" + server.url + R"(/big", "max_response_bytes": 1000})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "over 1000 bytes"), call_task(s).error);
  s = run_call(R"({"url": ")" + server.url + R"(/big", "max_response_bytes": 4096})");
  BOOST_TEST(s.state == "succeeded", errors(s));
}

BOOST_AUTO_TEST_CASE(a_secret_header_reaches_the_server_and_nothing_else) {
  test_server server;
  auto s = run_call(R"({"url": ")" + server.url + R"(/whoami",
      "secret_headers": {"Authorization": {"secret": "api_token", "prefix": "Bearer "}}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(server.authorization == "Bearer " + the_secret);
  // The server echoed it; the result has it redacted.
  BOOST_TEST(call_task(s).result["body"]["you"] == json("Bearer [redacted]"));
  auto stored = to_json(s).dump();
  BOOST_TEST(!has(stored, the_secret), stored);
  BOOST_TEST(has(stored, "Bearer [redacted]"), stored);

  s = run_call(R"({"url": ")" + server.url + R"(/whoami",
      "secret_headers": {"X-Key": {"secret": "nope"}}})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error,
                 "field 'secret_headers.X-Key.secret': unknown secret 'nope' "
                 "(secrets: api_token)"),
             call_task(s).error);
  BOOST_TEST(server.count("/whoami") == 1);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_naming_the_path) {
  auto e = refusal(R"({"url": "http://127.0.0.1:1/", "bdy": 1})");
  BOOST_TEST(has(e, "$.tasks.call.input"), e);
  BOOST_TEST(has(e, "unknown input field 'bdy'"), e);
  e = refusal(R"({"url": "ftp://example.org/"})");
  BOOST_TEST(has(e, "field 'url'"), e);
  e = refusal(R"({"url": "http://127.0.0.1:1/", "method": "FETCH"})");
  BOOST_TEST(has(e, "field 'method': 'FETCH' is not one of GET, HEAD"), e);
  e = refusal(R"({"url": "http://127.0.0.1:1/", "headers": {"X-A": "a\r\nX-B: b"}})");
  BOOST_TEST(has(e, "field 'headers.X-A'"), e);
  e = refusal(R"({"url": "http://127.0.0.1:1/", "expected_status": [200, 99]})");
  BOOST_TEST(has(e, "field 'expected_status[1]'"), e);
  e = refusal(R"({"url": "http://127.0.0.1:1/", "max_response_bytes": 100000000})");
  BOOST_TEST(has(e, "field 'max_response_bytes': expected 1..67108864"), e);
  e = refusal(R"({"method": "GET"})");
  BOOST_TEST(has(e, "missing input field 'url'"), e);
  // A template checked once rendered.
  auto s = run_call(R"({"url": "{{ 'no-scheme' }}/x"})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "core.http: field 'url'"), call_task(s).error);
}

BOOST_AUTO_TEST_CASE(connection_refused_is_a_transport_error) {
  troupe::http_options o;
  o.listen = "127.0.0.1:0";
  std::string url;
  {
    troupe::http_server closed(o);
    auto bound = closed.start();
    BOOST_REQUIRE(bound);
    url = "http://" + *bound + "/";
  }  // nothing listens there now
  auto s = run_call(R"({"url": ")" + url + R"("})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "connection_refused"), call_task(s).error);
}

BOOST_AUTO_TEST_CASE(https_verifies_against_the_ca_file) {
  troupe::testing::temp_dir dir("http-action-tls");
  BOOST_REQUIRE_MESSAGE(troupe::testing::make_self_signed_certificate(dir),
                        "openssl could not make a certificate");
  troupe::http_tls_options tls;
  tls.certificate = dir.file("cert.pem");
  tls.key = dir.file("key.pem");
  test_server server(tls);
  auto s = run_call(R"({"url": ")" + server.url + R"(/json", "ca_file": ")" +
                    dir.file("cert.pem") + R"("})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(call_task(s).result["body"]["answer"] == json(42));
  // Without the CA the certificate does not verify.
  s = run_call(R"({"url": ")" + server.url + R"(/json"})");
  BOOST_TEST(s.state == "failed");
  BOOST_TEST(has(call_task(s).error, "tls: "), call_task(s).error);
}
