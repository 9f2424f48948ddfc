#include "actors/workflow/http_call.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "runtime/services/http/client_url.hpp"

namespace troupe::workflow {

namespace {

constexpr std::string_view http_methods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                             "PATCH", "DELETE", "OPTIONS"};
constexpr std::size_t http_excerpt_bytes = 256;
constexpr double http_max_timeout_seconds = 3600;

status http_field_error(const std::string& field, const std::string& why) {
  return status::error("field '" + field + "': " + why);
}

std::string http_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 token characters.
bool http_valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// No CR, LF or NUL: a header value cannot smuggle in another header.
bool http_valid_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

status check_header_name(const std::string& field, std::string_view name) {
  if (!http_valid_name(name)) return http_field_error(field, "not a header name");
  auto lower = http_lower(name);
  if (lower == "content-length" || lower == "transfer-encoding")
    return http_field_error(field, "set by troupe from 'body'");
  return status::ok();
}

status check_headers(const json& headers, bool rendered) {
  if (!headers.is_object()) return http_field_error("headers", "expected an object");
  for (auto m : headers.members()) {
    auto field = "headers." + std::string(m.key);
    if (auto st = check_header_name(field, m.key); !st) return st;
    if (!rendered && is_template(m.value)) continue;
    if (!m.value.is_string()) return http_field_error(field, "expected a string");
    if (!http_valid_value(m.value.as_string()))
      return http_field_error(field, "a header value must not hold CR, LF or NUL");
  }
  return status::ok();
}

// {"Name": {"secret": "name", "prefix": "text"}}: names only, never templates.
status check_secret_headers(const json& headers, const json* plain) {
  if (!headers.is_object())
    return http_field_error("secret_headers", "expected an object");
  for (auto m : headers.members()) {
    auto field = "secret_headers." + std::string(m.key);
    if (auto st = check_header_name(field, m.key); !st) return st;
    if (plain && plain->is_object())
      for (auto p : plain->members())
        if (http_lower(p.key) == http_lower(m.key))
          return http_field_error(field, "also in 'headers'");
    if (!m.value.is_object())
      return http_field_error(field, R"(expected {"secret": "<name>", "prefix": "..."})");
    if (auto st = check_known_fields(m.value, {"secret", "prefix"}); !st)
      return http_field_error(field, st.message());
    auto secret = m.value.find("secret");
    if (!secret || !secret->is_string() || secret->as_string().empty())
      return http_field_error(field + ".secret", "expected the name of a secret");
    if (auto prefix = m.value.find("prefix");
        prefix && (!prefix->is_string() || !http_valid_value(prefix->as_string())))
      return http_field_error(field + ".prefix",
                              "expected a string without CR, LF or NUL");
  }
  return status::ok();
}

status check_expected_status(const json& v) {
  if (!v.is_array() || v.empty())
    return http_field_error("expected_status", "expected a non-empty list of codes");
  std::size_t i = 0;
  for (auto& code : v.items()) {
    if (!code.is_int() || code.as_int() < 100 || code.as_int() > 599)
      return http_field_error("expected_status[" + std::to_string(i) + "]",
                              "expected a status code 100..599");
    ++i;
  }
  return status::ok();
}

std::string methods_list() {
  std::string out;
  for (auto m : http_methods) out += (out.empty() ? "" : ", ") + std::string(m);
  return out;
}

// Every occurrence of each secret in `text` becomes "[redacted]".
std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (auto& s : secrets) {
    if (s.empty()) continue;
    for (auto at = text.find(s); at != std::string::npos; at = text.find(s, at + 10))
      text.replace(at, s.size(), "[redacted]");
  }
  return text;
}

// At most http_excerpt_bytes of `body`, cut at a UTF-8 character boundary.
std::string excerpt(const std::string& body) {
  if (body.size() <= http_excerpt_bytes) return body;
  auto end = http_excerpt_bytes;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
  return body.substr(0, end) + "...";
}

bool is_json_type(const std::optional<std::string>& content_type) {
  if (!content_type) return false;
  auto type = http_lower(content_type->substr(0, content_type->find(';')));
  type.erase(type.find_last_not_of(" \t") + 1);
  return type == "application/json" ||
         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

std::string expected_text(const std::vector<int>& expected) {
  if (expected.empty()) return "2xx";
  std::string out;
  for (auto code : expected) out += (out.empty() ? "" : ", ") + std::to_string(code);
  return out;
}

}  // namespace

status check_http_input(const json& input, bool rendered) {
  if (auto st = check_known_fields(
          input, {"method", "url", "headers", "secret_headers", "body", "timeout",
                  "expected_status", "max_response_bytes", "ca_file"});
      !st)
    return st;
  auto literal = [&](const json* v) { return v && (rendered || !is_template(*v)); };
  if (auto method = input.find("method"); literal(method)) {
    if (!method->is_string()) return http_field_error("method", "expected a string");
    auto m = method->as_string();
    if (std::find(std::begin(http_methods), std::end(http_methods), m) ==
        std::end(http_methods))
      return http_field_error("method",
                              "'" + std::string(m) + "' is not one of " + methods_list());
  }
  auto url = input.find("url");
  if (!url) return status::error("missing input field 'url'");
  if (literal(url)) {
    if (!url->is_string()) return http_field_error("url", "expected a string");
    if (auto parsed = parse_http_url(url->as_string()); !parsed)
      return http_field_error("url", parsed.error().message());
  }
  if (auto headers = input.find("headers"); literal(headers))
    if (auto st = check_headers(*headers, rendered); !st) return st;
  if (auto secret = input.find("secret_headers"))
    if (auto st = check_secret_headers(*secret, input.find("headers")); !st) return st;
  if (auto timeout = input.find("timeout"); literal(timeout)) {
    if (!timeout->is_number() || !(timeout->as_double() > 0) ||
        timeout->as_double() > http_max_timeout_seconds)
      return http_field_error("timeout", "expected seconds in (0, 3600]");
  }
  if (auto expected = input.find("expected_status"); literal(expected))
    if (auto st = check_expected_status(*expected); !st) return st;
  if (auto max = input.find("max_response_bytes"); literal(max)) {
    if (!max->is_int() || max->as_int() < 1 ||
        static_cast<std::uint64_t>(max->as_int()) > http_max_response_bytes)
      return http_field_error("max_response_bytes",
                              "expected 1.." + std::to_string(http_max_response_bytes));
  }
  if (auto ca = input.find("ca_file"); literal(ca))
    if (!ca->is_string() || ca->as_string().empty())
      return http_field_error("ca_file", "expected a file name");
  return status::ok();
}

result<http_call> make_http_call(const json& input, const http_secrets& secrets) {
  if (auto st = check_http_input(input, true); !st) return st;
  http_call call;
  auto& r = call.request;
  if (auto m = input.find("method")) r.method = std::string(m->as_string());
  r.url = std::string(input["url"].as_string());
  for (auto m : input["headers"].members())
    r.headers.emplace_back(std::string(m.key), std::string(m.value.as_string()));
  for (auto m : input["secret_headers"].members()) {
    auto name = m.value["secret"].as_string();
    auto found = secrets.find(name);
    if (found == secrets.end()) {
      std::string known;
      for (auto& [n, v] : secrets) known += (known.empty() ? "" : ", ") + n;
      return http_field_error(
          "secret_headers." + std::string(m.key) + ".secret",
          "unknown secret '" + std::string(name) + "' (secrets: " +
              (known.empty() ? "none; see [workflow.secrets]" : known) + ")");
    }
    auto prefix = m.value.find("prefix");
    r.headers.emplace_back(
        std::string(m.key),
        (prefix ? std::string(prefix->as_string()) : std::string()) + found->second);
    call.secrets.push_back(found->second);
  }
  if (auto body = input.find("body"); body && !body->is_null()) {
    bool has_type = std::any_of(r.headers.begin(), r.headers.end(), [](auto& h) {
      return http_lower(h.first) == "content-type";
    });
    r.body = body->is_string() ? std::string(body->as_string()) : body->dump();
    if (!has_type)
      r.headers.emplace_back("Content-Type", body->is_string()
                                                 ? "text/plain; charset=utf-8"
                                                 : "application/json");
  }
  auto seconds = input.find("timeout") ? input["timeout"].as_double() : 30.0;
  r.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  r.max_body_bytes = input.find("max_response_bytes")
                         ? static_cast<std::size_t>(input["max_response_bytes"].as_int())
                         : http_default_response_bytes;
  for (auto& code : input["expected_status"].items())
    call.expected_status.push_back(static_cast<int>(code.as_int()));
  if (auto ca = input.find("ca_file")) call.ca_file = std::string(ca->as_string());
  return call;
}

action_outcome http_outcome(const http_call& call, http_client_response response) {
  const auto& req = call.request;
  auto where = "core.http: " + req.method + " " + req.url + ": ";
  if (!response.ok()) {
    std::string why = response.error == http_transport_error::timeout
                          ? "no response within " +
                                json(req.timeout.count() / 1000.0).dump() + "s (timeout)"
                          : std::string(to_string(response.error)) + ": " +
                                redact(response.error_message, call.secrets);
    return {false, nullptr, where + why};
  }
  // Repeated headers are joined with ", " (RFC 9110 5.3).
  std::map<std::string, std::string> headers;
  for (auto& [name, value] : response.headers) {
    auto& joined = headers[http_lower(name)];
    joined += (joined.empty() ? "" : ", ") + redact(value, call.secrets);
  }
  json::object_builder h;
  for (auto& [name, value] : headers) h.set(name, json(value));
  auto text = redact(std::move(response.body), call.secrets);
  json body(text);
  if (is_json_type(response.header("content-type")))
    if (auto parsed = json::parse(text, "response")) body = *parsed;
  json::object_builder b;
  b.set("status", response.status);
  b.set("headers", h.build());
  b.set("body", body);
  auto result = b.build();
  bool expected =
      call.expected_status.empty()
          ? response.status >= 200 && response.status < 300
          : std::find(call.expected_status.begin(), call.expected_status.end(),
                      response.status) != call.expected_status.end();
  if (expected) return {true, std::move(result), {}};
  return {false, std::move(result),
          where + "status " + std::to_string(response.status) + ", expected " +
              expected_text(call.expected_status) + ": " + excerpt(text)};
}

}  // namespace troupe::workflow
