// troupe::json — the one JSON value type of troupe: an immutable value (null,
// bool, int64, double, string, array, object) that is cheap to copy and cheap to
// change persistently. It is the workflow context: cloning a context of any
// size is one reference-count increment, and publishing a key creates a new
// version that shares everything else with the old one.
//
// Representation (details in runtime/base/json/json_node.hpp):
//   - a json is 16 bytes: a type tag and either a scalar or a pointer to an
//     immutable, reference-counted heap node (string, array or object);
//     copying it increments that node's count once (one relaxed atomic add),
//     whatever the size of the value behind it;
//   - arrays are persistent vectors (32-way tries with a tail, as Clojure's):
//     at(i) is O(log32 n), push_back and set(i) copy one path, O(log32 n);
//   - objects keep their members in insertion order in a persistent vector of
//     (key, value) slots, with a hash-array-mapped trie (CHAMP) from key hash to
//     slot for objects of more than 8 members: find, set and erase are
//     O(log32 n) and copy only the touched paths.
//
// All values are immutable and safe to share between threads; a json object
// itself (the 16-byte handle) follows the usual rules: concurrent reads are
// fine, writes to one handle need synchronisation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

#include "runtime/base/status.hpp"

namespace troupe {

class json;

namespace detail {

// Header of every heap node behind a json value. Nodes are immutable once a
// json refers to them; `refs` counts the references (from json values and
// from other nodes).
struct json_node {
  explicit json_node(std::uint8_t k) : refs(1), kind(k) {}
  mutable std::atomic<std::uint32_t> refs;
  const std::uint8_t kind;
};

// Frees `n` (whose count dropped to zero) and releases what it refers to.
void json_node_destroy(const json_node* n);

inline void json_retain(const json_node* n) {
  n->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void json_release(const json_node* n) {
  if (n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) json_node_destroy(n);
}

class json_vec;

}  // namespace detail

enum class json_type : std::uint8_t {
  null,
  boolean,
  integer,
  real,
  string,
  array,
  object
};

// "null", "boolean", "integer", "number", "string", "array" or "object".
std::string_view json_type_name(json_type t);

class json {
 public:
  class array_builder;
  class object_builder;
  class item_iterator;
  class member_iterator;
  struct member;
  struct item_range;
  struct member_range;

  // Values nest at most this deep when parsed (and when loaded from CAF).
  static constexpr std::size_t max_depth = 512;

  // Constructors are implicit on purpose: json is a value type, and
  // `context.set("attempts", 3)` should read like the JSON it builds.
  constexpr json() noexcept : type_(json_type::null), payload_(0) {}
  constexpr json(std::nullptr_t) noexcept : json() {}
  constexpr json(bool b) noexcept : type_(json_type::boolean), payload_(b) {}
  // Integers are stored as int64; unsigned values above INT64_MAX become doubles.
  template <class T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  json(T v) noexcept : type_(json_type::integer), payload_(std::int64_t{0}) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (v > static_cast<std::uint64_t>(INT64_MAX)) {
        type_ = json_type::real;
        payload_.d = static_cast<double>(v);
        return;
      }
    }
    payload_.i = static_cast<std::int64_t>(v);
  }
  // Any double is stored, including NaN and infinities; dump() writes those as null.
  constexpr json(double d) noexcept : type_(json_type::real), payload_(d) {}
  // Strings are copied once into a shared node; copies of the json share it.
  json(std::string_view s);
  json(const char* s) : json(std::string_view(s)) {}
  json(const std::string& s) : json(std::string_view(s)) {}

  // The empty array and the empty object (no allocation).
  static json array() noexcept { return json(json_type::array); }
  static json object() noexcept { return json(json_type::object); }

  json(const json& other) noexcept : type_(other.type_), payload_(other.payload_) {
    if (has_node()) detail::json_retain(payload_.p);
  }
  json(json&& other) noexcept : type_(other.type_), payload_(other.payload_) {
    other.type_ = json_type::null;
  }
  json& operator=(const json& other) noexcept {
    json tmp(other);
    swap(tmp);
    return *this;
  }
  json& operator=(json&& other) noexcept {
    json tmp(std::move(other));
    swap(tmp);
    return *this;
  }
  ~json() {
    if (has_node()) detail::json_release(payload_.p);
  }
  void swap(json& other) noexcept {
    std::swap(type_, other.type_);
    std::swap(payload_, other.payload_);
  }

  // -- type ----------------------------------------------------------------

  json_type type() const { return type_; }
  bool is_null() const { return type_ == json_type::null; }
  bool is_bool() const { return type_ == json_type::boolean; }
  bool is_int() const { return type_ == json_type::integer; }
  bool is_double() const { return type_ == json_type::real; }
  // True for integers and doubles.
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type_ == json_type::string; }
  bool is_array() const { return type_ == json_type::array; }
  bool is_object() const { return type_ == json_type::object; }

  // -- scalars -------------------------------------------------------------
  // Preconditions ("Requires ...") here and below are checked by assert;
  // release builds answer a violation harmlessly: false, 0, 0.0, "", null, or
  // the value unchanged (set(key) on a non-object yields a one-member object).

  // Requires is_bool().
  bool as_bool() const;
  // Requires is_int().
  std::int64_t as_int() const;
  // Requires is_number(); integers are converted (exactly up to 2^53).
  double as_double() const;
  // Requires is_string(). The view stays valid while any json sharing this
  // string (this one or a copy) is alive; its data() is NUL-terminated (handy
  // for argv), though the string itself may contain NULs.
  std::string_view as_string() const;

  // -- containers ----------------------------------------------------------

  // Number of elements of an array or members of an object; 0 for the rest.
  std::size_t size() const;
  bool empty() const { return size() == 0; }

  // Array element `i`. Requires is_array() and i < size(). O(log32 n).
  const json& at(std::size_t i) const;
  template <class T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
  const json& operator[](T i) const {
    return at(static_cast<std::size_t>(i));
  }
  // A new array with `value` appended. Requires is_array().
  json push_back(json value) const;
  // A new array with element `i` replaced. Requires is_array() and i < size().
  json set(std::size_t i, json value) const;
  // The elements of an array in order; empty for anything else.
  item_range items() const;

  // The value of member `key`, or nullptr if absent or this is not an object.
  // The pointer stays valid while this json (or a copy of it) is alive.
  const json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // The value of member `key`, or null if absent or this is not an object.
  const json& operator[](std::string_view key) const;
  // A new object with `key` bound to `value`; this one is unchanged and shares
  // all other members with it. An existing key keeps its position; a new key
  // goes last. Requires is_object().
  json set(std::string_view key, json value) const;
  // A new object without `key` (this object, shared, if `key` is absent). A
  // key set again after an erase goes last. Requires is_object().
  json erase(std::string_view key) const;
  // The members of an object in insertion order; empty for anything else.
  member_range members() const;

  // -- comparison ----------------------------------------------------------

  // Deep equality. Numbers compare by value (1 == 1.0, exactly: 2^53 + 1 is
  // not equal to the double 2^53); objects compare regardless of member order.
  friend bool operator==(const json& a, const json& b);
  friend bool operator!=(const json& a, const json& b) { return !(a == b); }
  // A hash consistent with ==, the same in every process and on every run
  // (not seeded); suitable for idempotency keys and hash maps.
  std::uint64_t hash() const;

  // The heap node behind this value, or nullptr for scalars and empty
  // containers. Two values with the same identity are the same value; this
  // makes structural sharing observable (tests, diagnostics).
  const void* identity() const { return has_node() ? payload_.p : nullptr; }

  // -- text ----------------------------------------------------------------

  // Parses RFC 8259 JSON. Integers that fit int64 stay integers; larger ones
  // up to UINT64_MAX become doubles; integers beyond that and doubles beyond
  // ±DBL_MAX are errors. Duplicate keys and nesting deeper than max_depth are
  // errors. Messages name the place: "workflow.json:3:14: expected ',' or '}'
  // after an object member, found '\"' (byte 37)"; `source_name` defaults to
  // "<input>".
  static result<json> parse(std::string_view text, std::string_view source_name = "");
  // Reads and parses a file; the path is the source name in messages.
  static result<json> parse_file(const std::string& path);

  // Compact JSON text. Doubles are written in the shortest form that reads
  // back to the same double, always with a '.' or an exponent so that they
  // parse back as doubles; NaN and infinities are written as null. Strings
  // are written as stored (bytes >= 0x80 pass through).
  std::string dump() const;
  // Pretty JSON text: `indent` spaces per level, "key": value.
  std::string dump(int indent) const;
  // Appends the text to `out`; indent < 0 means compact.
  void dump_to(std::string& out, int indent = -1) const;
  // Writes dump() (for logs and test output).
  friend std::ostream& operator<<(std::ostream& os, const json& v);

 private:
  union payload {
    constexpr explicit payload(bool v) : b(v) {}
    constexpr explicit payload(int v) : i(v) {}
    constexpr explicit payload(std::int64_t v) : i(v) {}
    constexpr explicit payload(double v) : d(v) {}
    bool b;
    std::int64_t i;
    double d;
    const detail::json_node* p;
  };

  explicit json(json_type empty_container) noexcept
      : type_(empty_container), payload_(0) {
    payload_.p = nullptr;
  }
  // Takes over one reference to `node`.
  json(json_type t, const detail::json_node* node) noexcept : type_(t), payload_(0) {
    payload_.p = node;
  }
  bool has_node() const { return type_ >= json_type::string && payload_.p != nullptr; }
  const detail::json_node* node() const { return has_node() ? payload_.p : nullptr; }

  static const json null_;

  json_type type_;
  payload payload_;
};

}  // namespace troupe

// Iterators, ranges and builders: the nested classes declared above.
#include "runtime/base/json/json_containers.hpp"
