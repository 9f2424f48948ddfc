#include "actors/bench/commit_json.hpp"

#include <cstdio>
#include <ctime>

#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

bool valid_sha(std::string_view s) {
  if (s.size() < 4 || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool valid_branch(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (unsigned char c : s)
    if (c <= ' ' || c == 0x7f) return false;
  return true;
}

// Errors name the JSON path only; the callers say where the JSON came from.
const json_fields fields;

result<bench_commit> one_commit(const json& item, const json_path& at) {
  if (!item.is_object())
    return fields.type_error(at, "an object {\"sha\": ..., \"branch\": ...}", item);
  if (auto st = fields.known(item, at, {"sha", "parent", "time", "message", "branch"});
      !st)
    return st;
  bench_commit c;
  auto sha = fields.required_string(item, at, "sha");
  if (!sha) return sha.error();
  if (!valid_sha(*sha))
    return fields.error(at.key("sha"), "expected 4-64 lower-case hex digits");
  c.sha = *sha;
  auto parent = fields.optional_string(item, at, "parent");
  if (!parent) return parent.error();
  if (!parent->empty() && !valid_sha(*parent))
    return fields.error(at.key("parent"), "expected 4-64 lower-case hex digits");
  c.parent = *parent;
  auto message = fields.optional_string(item, at, "message");
  if (!message) return message.error();
  c.message = *message;
  auto branch = fields.required_string(item, at, "branch");
  if (!branch) return branch.error();
  if (!valid_branch(*branch))
    return fields.error(at.key("branch"), "expected 1-255 characters without spaces");
  c.branch = *branch;
  if (auto* t = fields.present(item, "time")) {
    if (t->is_int()) {
      c.time = t->as_int();
    } else if (t->is_string()) {
      auto parsed = parse_rfc3339(t->as_string());
      if (!parsed) return fields.error(at.key("time"), parsed.error().message());
      c.time = *parsed;
    } else {
      return fields.error(at.key("time"), "expected unix seconds or an RFC 3339 string");
    }
  }
  return c;
}

}  // namespace

result<std::int64_t> parse_rfc3339(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return status::error("expected an RFC 3339 time such as 2019-05-15T15:19:25Z");
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  auto rest = s.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest[0] == '.') {
    auto end = rest.find_first_not_of("0123456789", 1);
    rest = end == std::string::npos ? "" : rest.substr(end);
  }
  std::int64_t offset = 0;
  int oh = 0, om = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
             std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return status::error("expected a time zone (Z or +hh:mm) in \"" + s + "\"");
  }
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

result<std::vector<bench_commit>> parse_commit_list(std::string_view body) {
  auto doc = json::parse(body, "request body");
  if (!doc) return doc.error();
  json_path root;
  const json* list = &*doc;
  if (doc->is_object()) {
    list = doc->find("commits");
    root = root.key("commits");
    if (list == nullptr) return fields.error(root, "missing, expected a list of commits");
  }
  if (!list->is_array()) return fields.type_error(root, "a list of commits", *list);
  std::vector<bench_commit> out;
  std::size_t i = 0;
  for (auto& item : list->items()) {
    auto c = one_commit(item, root.index(i++));
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

result<push_commits> commits_of_push(const json& payload) {
  push_commits out;
  json_path root;
  auto ref = fields.required_string(payload, root, "ref");
  if (!ref) return ref.error();
  const std::string& r = *ref;
  static const std::string heads = "refs/heads/";
  if (r.rfind(heads, 0) != 0) {
    out.ignored = "not a branch push (" + r + ")";
    return out;
  }
  if (payload["deleted"].is_bool() && payload["deleted"].as_bool()) {
    out.ignored = "branch deleted (" + r + ")";
    return out;
  }
  auto branch = r.substr(heads.size());
  auto commits = fields.require(payload, root, "commits", json_type::array);
  if (!commits) return commits.error();
  std::string parent =
      payload["before"].is_string() ? std::string(payload["before"].as_string()) : "";
  if (parent.find_first_not_of('0') == std::string::npos) parent.clear();  // a new branch
  std::size_t i = 0;
  for (auto& c : (*commits)->items()) {
    auto at = root.key("commits").index(i++);
    if (auto st = fields.expect(c, at, json_type::object); !st) return st;
    auto id = fields.required_string(c, at, "id");
    if (!id) return id.error();
    if (!valid_sha(*id))
      return fields.error(at.key("id"), "expected 4-64 lower-case hex digits");
    bench_commit one;
    one.sha = *id;
    one.parent = parent;
    one.branch = branch;
    auto message = fields.optional_string(c, at, "message");
    if (!message) return message.error();
    one.message = *message;
    if (c["timestamp"].is_string()) {
      auto t = parse_rfc3339(c["timestamp"].as_string());
      if (!t) return fields.error(at.key("timestamp"), t.error().message());
      one.time = *t;
    }
    parent = one.sha;
    out.commits.push_back(std::move(one));
  }
  if (out.commits.empty()) out.ignored = "no commits in the push";
  return out;
}

result<bench_compare_request> parse_compare_request(std::string_view body) {
  auto doc = json::parse(body, "request body");
  if (!doc) return doc.error();
  json_path at;
  if (!doc->is_object())
    return fields.type_error(
        at, "{\"base\": sha, \"head\": sha, \"platforms\": [...], \"rounds\": N}", *doc);
  if (auto st = fields.known(*doc, at, {"base", "head", "platforms", "rounds"}); !st)
    return st;
  bench_compare_request r;
  for (auto [key, out] :
       {std::pair<const char*, std::string*>{"base", &r.base}, {"head", &r.head}}) {
    auto sha = fields.required_string(*doc, at, key);
    if (!sha) return sha.error();
    if (!valid_sha(*sha))
      return fields.error(at.key(key), "expected 4-64 lower-case hex digits");
    *out = std::move(*sha);
  }
  if (auto* p = fields.present(*doc, "platforms")) {
    if (!p->is_array())
      return fields.type_error(at.key("platforms"), "a list of platform names", *p);
    std::size_t i = 0;
    for (auto& name : p->items()) {
      if (!name.is_string())
        return fields.type_error(at.key("platforms").index(i), "a platform name", name);
      r.platforms.emplace_back(name.as_string());
      ++i;
    }
  }
  auto rounds = fields.optional_integer(*doc, at, "rounds", r.rounds, 2, 100);
  if (!rounds) return rounds.error();
  r.rounds = static_cast<std::uint32_t>(*rounds);
  return r;
}

json to_json(const bench_intake& in) {
  json::array_builder runs;
  for (auto id : in.runs) runs.push_back(id);
  return json::object()
      .set("accepted", in.accepted)
      .set("duplicates", in.duplicates)
      .set("runs", runs.build())
      .set("queue_depth", in.queue_depth);
}

}  // namespace troupe::bench
