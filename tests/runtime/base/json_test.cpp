// troupe::json as a value: types, accessors, equality, hashing, builders and
// persistence (old versions stay intact, unchanged parts are shared).
#define BOOST_TEST_MODULE json
#include "runtime/base/json/json.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "runtime/base/json/json_node.hpp"  // detail::key_hash, to force collisions

using troupe::json;
using troupe::json_type;

namespace {

json object_of(std::initializer_list<std::pair<const char*, json>> members) {
  json::object_builder b;
  for (const auto& [k, v] : members) b.set(k, v);
  return b.build();
}

std::vector<std::string> keys_of(const json& obj) {
  std::vector<std::string> keys;
  for (auto [key, value] : obj.members()) keys.emplace_back(key);
  return keys;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scalars) {
  BOOST_TEST(sizeof(json) == 16u);
  json n;
  BOOST_TEST(n.is_null());
  BOOST_TEST((json(nullptr).type() == json_type::null));
  BOOST_TEST(json(true).as_bool());
  BOOST_TEST(!json(false).as_bool());
  BOOST_TEST(json(42).is_int());
  BOOST_TEST(json(42).as_int() == 42);
  BOOST_TEST(json(int64_t{-7}).as_int() == -7);
  BOOST_TEST(json(42).as_double() == 42.0);
  BOOST_TEST(json(2.5).is_double());
  BOOST_TEST(json(2.5).as_double() == 2.5);
  BOOST_TEST(json(2.5f).is_double());
  // uint64 beyond int64 becomes a double.
  json big(std::numeric_limits<std::uint64_t>::max());
  BOOST_TEST(big.is_double());
  BOOST_TEST(json(std::uint64_t{5}).is_int());
  BOOST_TEST(json("hi").is_string());
  BOOST_TEST(json("hi").as_string() == "hi");
  BOOST_TEST(json(std::string("x\0y", 3)).as_string().size() == 3u);
  BOOST_TEST(json("").as_string().empty());
  BOOST_TEST(json::array().is_array());
  BOOST_TEST(json::object().is_object());
  BOOST_TEST(json::array().size() == 0u);
  BOOST_TEST(json::object().empty());
  BOOST_TEST(json(3).size() == 0u);
  BOOST_TEST(troupe::json_type_name(json_type::real) == "number");
}

BOOST_AUTO_TEST_CASE(copies_share_strings) {
  json s("a string long enough to live on the heap");
  json t = s;
  BOOST_TEST(t.identity() == s.identity());
  BOOST_TEST(static_cast<const void*>(t.as_string().data()) ==
             static_cast<const void*>(s.as_string().data()));
  BOOST_TEST(s.as_string().data()[s.as_string().size()] == '\0');
  json u = std::move(t);
  BOOST_TEST(t.is_null());
  BOOST_TEST(u.identity() == s.identity());
  u = u;  // self-assignment keeps the value
  BOOST_TEST(u.as_string() == s.as_string());
}

BOOST_AUTO_TEST_CASE(equality) {
  BOOST_TEST(json(1) == json(1.0));
  BOOST_TEST(json(1.0) == json(1));
  BOOST_TEST(json(1) != json(1.5));
  BOOST_TEST(json(int64_t{9007199254740993}) != json(9007199254740992.0));
  BOOST_TEST(json(0) == json(-0.0));
  BOOST_TEST(json(std::nan("")) != json(std::nan("")));
  BOOST_TEST(json() == json(nullptr));
  BOOST_TEST(json() != json(false));
  BOOST_TEST(json("a") == json(std::string("a")));
  BOOST_TEST(json("a") != json("b"));
  BOOST_TEST(json(1) != json("1"));
  json a = object_of({{"x", 1}, {"y", "two"}});
  json b = object_of({{"y", "two"}, {"x", 1.0}});
  BOOST_TEST(a == b);  // member order does not matter
  BOOST_TEST(a != b.set("z", 3));
  BOOST_TEST(a != b.set("x", 2));
  BOOST_TEST(json::array().push_back(1).push_back(2) !=
             json::array().push_back(2).push_back(1));
  BOOST_TEST(json::array() != json::object());
}

BOOST_AUTO_TEST_CASE(hash_follows_equality) {
  BOOST_TEST(json(1).hash() == json(1.0).hash());
  BOOST_TEST(json(0).hash() == json(-0.0).hash());
  json a = object_of({{"x", 1}, {"y", "two"}});
  json b = object_of({{"y", "two"}, {"x", 1}});
  BOOST_TEST(a.hash() == b.hash());
  BOOST_TEST(a.hash() != a.set("x", 2).hash());
  BOOST_TEST(json("a").hash() != json("b").hash());
  json arr = json::array().push_back(1).push_back(2);
  BOOST_TEST(arr.hash() != json::array().push_back(2).push_back(1).hash());
  // Stable across runs: a fixed value for a fixed input.
  BOOST_TEST(json("stable").hash() == json("stable").hash());
}

BOOST_AUTO_TEST_CASE(object_set_find_erase) {
  json empty = json::object();
  json one = empty.set("a", 1);
  BOOST_TEST(empty.size() == 0u);
  BOOST_TEST(one.size() == 1u);
  BOOST_TEST(one.find("a")->as_int() == 1);
  BOOST_TEST(one.find("b") == nullptr);
  BOOST_TEST(one["b"].is_null());
  BOOST_TEST(json(3).find("a") == nullptr);
  json two = one.set("b", "x").set("a", 2);
  BOOST_TEST((keys_of(two) == std::vector<std::string>{"a", "b"}));  // a keeps its place
  BOOST_TEST(two["a"].as_int() == 2);
  BOOST_TEST(one["a"].as_int() == 1);
  json gone = two.erase("a");
  BOOST_TEST(gone.size() == 1u);
  BOOST_TEST(!gone.contains("a"));
  BOOST_TEST(two.contains("a"));
  BOOST_TEST(gone.erase("missing").identity() == gone.identity());
  BOOST_TEST((keys_of(gone.set("a", 3)) == std::vector<std::string>{"b", "a"}));
  BOOST_TEST(one.set("", 5)[""].as_int() == 5);
}

BOOST_AUTO_TEST_CASE(persistence_and_sharing) {
  json::object_builder b;
  json big_value = json::array().push_back("payload");
  for (int i = 0; i < 1000; ++i) b.set("task" + std::to_string(i), i);
  b.set("big", big_value);
  json v1 = b.build();
  json copy = v1;
  BOOST_TEST(copy.identity() == v1.identity());

  json v2 = v1.set("task1", "changed").set("new", true);
  BOOST_TEST(copy["task1"].as_int() == 1);  // the old version is intact
  BOOST_TEST(!copy.contains("new"));
  BOOST_TEST(v2["task1"].as_string() == "changed");
  BOOST_TEST(v2.size() == 1002u);
  BOOST_TEST(v1.size() == 1001u);
  // Unchanged subtrees are the same nodes in both versions.
  BOOST_TEST(v2.find("big")->identity() == big_value.identity());
  BOOST_TEST(v1.find("big") == copy.find("big"));
  json v3 = v2.erase("task500");
  BOOST_TEST(v2["task500"].as_int() == 500);
  BOOST_TEST(!v3.contains("task500"));
  BOOST_TEST(v3.find("big")->identity() == big_value.identity());
}

BOOST_AUTO_TEST_CASE(arrays) {
  json a = json::array();
  std::vector<json> versions;
  for (int i = 0; i < 2000; ++i) {
    versions.push_back(a);
    a = a.push_back(i);
  }
  BOOST_TEST(a.size() == 2000u);
  for (int i = 0; i < 2000; ++i) BOOST_TEST_REQUIRE(a[i].as_int() == i);
  for (int v : {0, 1, 31, 32, 33, 1024, 1056, 1057, 1999}) {
    BOOST_TEST_REQUIRE(versions[v].size() == static_cast<std::size_t>(v));
    if (v > 0) BOOST_TEST(versions[v][v - 1].as_int() == v - 1);
  }
  json b = a.set(1500, "x").set(1999, "y").set(0, "z");
  BOOST_TEST(b[1500].as_string() == "x");
  BOOST_TEST(b[1999].as_string() == "y");
  BOOST_TEST(b[0].as_string() == "z");
  BOOST_TEST(a[1500].as_int() == 1500);
  int expected = 0;
  for (const json& x : a.items()) BOOST_TEST_REQUIRE(x.as_int() == expected++);
  BOOST_TEST(expected == 2000);
}

BOOST_AUTO_TEST_CASE(array_builder_matches_push_back) {
  for (std::size_t n : {0u, 1u, 31u, 32u, 33u, 64u, 1024u, 1025u, 1056u, 1057u, 40000u}) {
    json::array_builder builder(n);
    json pushed = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      builder.push_back(static_cast<std::int64_t>(i));
      if (n <= 2000) pushed = pushed.push_back(static_cast<std::int64_t>(i));
    }
    BOOST_TEST(builder.size() == n);
    json built = builder.build();
    BOOST_TEST(builder.size() == 0u);
    BOOST_TEST_REQUIRE(built.size() == n);
    for (std::size_t i = 0; i < n; ++i)
      BOOST_TEST_REQUIRE(built[i].as_int() == std::int64_t(i));
    if (n <= 2000) BOOST_TEST(built == pushed);
    // Appending to a built array continues it correctly.
    json more = built.push_back("end");
    BOOST_TEST(more[n].as_string() == "end");
    if (n > 0) BOOST_TEST(more[n - 1].as_int() == std::int64_t(n - 1));
  }
}

BOOST_AUTO_TEST_CASE(object_builder) {
  json::object_builder b;
  BOOST_TEST(b.set("a", 1));
  BOOST_TEST(b.set("b", 2));
  BOOST_TEST(!b.set("a", 3));  // replaced, keeps its place
  json o = b.build();
  BOOST_TEST((keys_of(o) == std::vector<std::string>{"a", "b"}));
  BOOST_TEST(o["a"].as_int() == 3);
  BOOST_TEST(b.size() == 0u);
  BOOST_TEST(b.build() == json::object());
  // Duplicates are also found past the scan limit.
  for (int i = 0; i < 100; ++i) BOOST_TEST(b.set("k" + std::to_string(i), i));
  for (int i = 0; i < 100; i += 7) BOOST_TEST(!b.set("k" + std::to_string(i), -i));
  json big = b.build();
  BOOST_TEST(big.size() == 100u);
  BOOST_TEST(big["k7"].as_int() == -7);
  BOOST_TEST(big["k8"].as_int() == 8);
}

// Random sets and erases on a persistent object, checked against std::map
// after every step, with old versions checked again at the end.
BOOST_AUTO_TEST_CASE(random_ops_match_std_map) {
  std::mt19937 rng(12345);
  json obj = json::object();
  std::map<std::string, std::int64_t> model;
  std::vector<std::pair<json, std::map<std::string, std::int64_t>>> snapshots;
  for (int step = 0; step < 20000; ++step) {
    std::string key = "key" + std::to_string(rng() % 3000);
    if (rng() % 3 == 0) {
      obj = obj.erase(key);
      model.erase(key);
    } else {
      auto value = static_cast<std::int64_t>(rng());
      obj = obj.set(key, value);
      model[key] = value;
    }
    BOOST_TEST_REQUIRE(obj.size() == model.size());
    std::string probe = "key" + std::to_string(rng() % 3000);
    const json* found = obj.find(probe);
    auto it = model.find(probe);
    BOOST_TEST_REQUIRE((found != nullptr) == (it != model.end()));
    if (found != nullptr) BOOST_TEST_REQUIRE(found->as_int() == it->second);
    if (step % 1000 == 0) snapshots.emplace_back(obj, model);
  }
  snapshots.emplace_back(obj, model);
  for (const auto& [version, expected] : snapshots) {
    BOOST_TEST_REQUIRE(version.size() == expected.size());
    std::size_t seen = 0;
    for (auto [key, value] : version.members()) {
      auto it = expected.find(std::string(key));
      BOOST_TEST_REQUIRE((it != expected.end()));
      BOOST_TEST_REQUIRE(value.as_int() == it->second);
      ++seen;
    }
    BOOST_TEST_REQUIRE(seen == expected.size());
    for (const auto& [key, value] : expected) {
      BOOST_TEST_REQUIRE(version.find(key) != nullptr);
      BOOST_TEST_REQUIRE(version.find(key)->as_int() == value);
    }
  }
}

BOOST_AUTO_TEST_CASE(many_keys_insertion_order) {
  json obj = json::object();
  std::vector<std::string> order;
  for (int i = 0; i < 5000; ++i) {
    order.push_back("k" + std::to_string(i * 7919 % 5000));
    obj = obj.set(order.back(), i);
  }
  BOOST_TEST((keys_of(obj) == order));
  for (int i = 0; i < 5000; i += 2) obj = obj.erase(order[i]);
  BOOST_TEST(obj.size() == 2500u);
  std::vector<std::string> odd;
  for (int i = 1; i < 5000; i += 2) odd.push_back(order[i]);
  BOOST_TEST((keys_of(obj) == odd));
  for (int i = 1; i < 5000; i += 2) BOOST_TEST_REQUIRE(obj[order[i]].as_int() == i);
}

BOOST_AUTO_TEST_CASE(random_array_ops_match_vector) {
  std::mt19937 rng(777);
  json arr = json::array();
  std::vector<std::int64_t> model;
  for (int step = 0; step < 5000; ++step) {
    if (model.empty() || rng() % 2 == 0) {
      arr = arr.push_back(step);
      model.push_back(step);
    } else {
      std::size_t i = rng() % model.size();
      arr = arr.set(i, -step);
      model[i] = -step;
    }
  }
  BOOST_TEST_REQUIRE(arr.size() == model.size());
  std::size_t i = 0;
  for (const json& x : arr.items()) BOOST_TEST_REQUIRE(x.as_int() == model[i++]);
}

// Keys whose 32-bit index hashes are equal share a collision node; find,
// set and erase must still tell them apart.
BOOST_AUTO_TEST_CASE(full_hash_collisions) {
  std::unordered_map<std::uint32_t, std::string> seen;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; pairs.size() < 8 && i < 2000000; ++i) {
    std::string key = "c" + std::to_string(i);
    auto [it, fresh] = seen.emplace(troupe::detail::key_hash(key), key);
    if (!fresh) pairs.emplace_back(it->second, key);
  }
  BOOST_TEST_REQUIRE(pairs.size() == 8u);
  json obj = json::object();
  for (int i = 0; i < 50; ++i) obj = obj.set("filler" + std::to_string(i), i);
  for (const auto& [a, b] : pairs) obj = obj.set(a, a).set(b, b);
  for (const auto& [a, b] : pairs) {
    BOOST_TEST_REQUIRE(obj[a].as_string() == a);
    BOOST_TEST_REQUIRE(obj[b].as_string() == b);
  }
  json halves = obj;
  for (const auto& [a, b] : pairs) halves = halves.erase(a);
  for (const auto& [a, b] : pairs) {
    BOOST_TEST_REQUIRE(!halves.contains(a));
    BOOST_TEST_REQUIRE(halves[b].as_string() == b);
    BOOST_TEST_REQUIRE(obj[a].as_string() == a);
  }
  // The builder's bulk index handles them too.
  json::object_builder builder;
  for (const auto& [a, b] : pairs) {
    builder.set(a, 1);
    builder.set(b, 2);
  }
  json built = builder.build();
  for (const auto& [a, b] : pairs) {
    BOOST_TEST_REQUIRE(built[a].as_int() == 1);
    BOOST_TEST_REQUIRE(built[b].as_int() == 2);
  }
  BOOST_TEST(built.erase(pairs[0].second)[pairs[0].first].as_int() == 1);
}

// Values are shared between threads without locks: each thread derives its
// own versions from one context while the others do the same.
BOOST_AUTO_TEST_CASE(threads_share_values) {
  json::object_builder b;
  for (int i = 0; i < 500; ++i)
    b.set("k" + std::to_string(i), json::array().push_back(i));
  const json context = b.build();
  std::vector<std::thread> threads;
  std::vector<char> ok(4, 0);  // not vector<bool>: threads write neighbours
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool good = true;
      for (int round = 0; round < 2000; ++round) {
        json mine =
            context.set("thread", t).set("k" + std::to_string(round % 500), round);
        good = good && mine["thread"].as_int() == t && mine.size() == 501;
        auto parsed = json::parse(R"({"t":)" + std::to_string(t) + "}");
        good = good && parsed.is_ok() && parsed.value()["t"].as_int() == t;
      }
      ok[t] = good ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) BOOST_TEST(ok[t] == 1);
  BOOST_TEST(context.size() == 500u);
  BOOST_TEST(context["k7"][0].as_int() == 7);
}
