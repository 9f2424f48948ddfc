// Deep equality and stable hashing of json values, and the key hash used by
// object indexes.
#include <cmath>
#include <cstring>

#include "runtime/base/json/json_node.hpp"

namespace troupe {

namespace detail {

namespace {

constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

// Little-endian load of n <= 8 bytes, so that hashes do not depend on the
// machine's byte order.
std::uint64_t load(const unsigned char* p, std::size_t n) {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{p[i]} << (8 * i);
  return w;
}

}  // namespace

std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed) {
  auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h = seed ^ (n * kMul);
  for (; n >= 8; n -= 8, p += 8) h = (h ^ mix(load(p, 8))) * kMul;
  if (n > 0) h = (h ^ mix(load(p, n) + 1)) * kMul;
  return mix(h);
}

std::uint32_t key_hash(std::string_view key) {
  return static_cast<std::uint32_t>(hash_bytes(key.data(), key.size(), 0));
}

}  // namespace detail

namespace {

// True if `d` holds an integer value representable as int64.
bool integral(double d, std::int64_t* out) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  if (std::trunc(d) != d) return false;
  *out = static_cast<std::int64_t>(d);
  return true;
}

bool numbers_equal(const json& a, const json& b) {
  if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
  if (a.is_double() && b.is_double()) return a.as_double() == b.as_double();
  const json& i = a.is_int() ? a : b;
  const json& d = a.is_int() ? b : a;
  std::int64_t value = 0;
  return integral(d.as_double(), &value) && value == i.as_int();
}

std::uint64_t hash_int(std::int64_t i) {
  return detail::mix(static_cast<std::uint64_t>(i) * detail::kMul + 3);
}

}  // namespace

bool operator==(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return numbers_equal(a, b);
  if (a.type() != b.type()) return false;
  if (a.identity() != nullptr && a.identity() == b.identity()) return true;
  switch (a.type()) {
    case json_type::null:
      return true;
    case json_type::boolean:
      return a.as_bool() == b.as_bool();
    case json_type::string:
      return a.as_string() == b.as_string();
    case json_type::array: {
      if (a.size() != b.size()) return false;
      auto ib = b.items().begin();
      for (const json& x : a.items()) {
        if (x != *ib) return false;
        ++ib;
      }
      return true;
    }
    case json_type::object: {
      if (a.size() != b.size()) return false;
      for (auto [key, value] : a.members()) {
        const json* other = b.find(key);
        if (other == nullptr || *other != value) return false;
      }
      return true;
    }
    default:
      return false;  // numbers handled above
  }
}

std::uint64_t json::hash() const {
  switch (type_) {
    case json_type::null:
      return 0x6e756c6c;
    case json_type::boolean:
      return payload_.b ? 0x74727565 : 0x66616c73;
    case json_type::integer:
      return hash_int(payload_.i);
    case json_type::real: {
      std::int64_t i = 0;
      if (integral(payload_.d, &i)) return hash_int(i);
      std::uint64_t bits = 0;
      std::memcpy(&bits, &payload_.d, sizeof bits);
      return detail::mix(bits ^ 0x7265616c);
    }
    case json_type::string: {
      std::string_view s = as_string();
      return detail::hash_bytes(s.data(), s.size(), 0x737472);
    }
    case json_type::array: {
      std::uint64_t h = 0x617272 ^ size();
      for (const json& x : items()) h = detail::mix(h * detail::kMul + x.hash());
      return h;
    }
    case json_type::object: {
      // A sum, so that member order does not matter (as for ==).
      std::uint64_t sum = 0;
      for (auto [key, value] : members()) {
        std::uint64_t k = detail::hash_bytes(key.data(), key.size(), 0x6b6579);
        sum += detail::mix(k ^ (value.hash() * detail::kMul));
      }
      return detail::mix(sum ^ (0x6f626a * detail::kMul) ^ size());
    }
  }
  return 0;
}

}  // namespace troupe
