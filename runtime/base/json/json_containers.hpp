// Iteration over json arrays and objects, and their builders: the classes
// nested in troupe::json (json::item_iterator, json::member_iterator,
// json::array_builder, json::object_builder). Part of runtime/base/json/json.hpp,
// which includes it; include runtime/base/json/json.hpp, not this file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include "runtime/base/json/json.hpp"

namespace troupe {

// Forward iterator over the elements of an array.
class json::item_iterator {
 public:
  using value_type = json;
  using reference = const json&;
  using pointer = const json*;
  using difference_type = std::ptrdiff_t;
  using iterator_category = std::forward_iterator_tag;

  item_iterator() = default;
  item_iterator(const detail::json_vec* v, std::size_t i);
  const json& operator*() const { return leaf_[i_ & 31]; }
  const json* operator->() const { return &leaf_[i_ & 31]; }
  item_iterator& operator++();
  item_iterator operator++(int) {
    item_iterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const item_iterator& o) const { return i_ == o.i_; }
  bool operator!=(const item_iterator& o) const { return i_ != o.i_; }

 private:
  const detail::json_vec* vec_ = nullptr;
  std::size_t i_ = 0;
  const json* leaf_ = nullptr;
};

// One member of an object, as produced by member_iterator.
struct json::member {
  std::string_view key;
  const json& value;
};

// Forward iterator over the members of an object, in insertion order.
class json::member_iterator {
 public:
  using value_type = member;
  using reference = member;
  using difference_type = std::ptrdiff_t;
  using iterator_category = std::forward_iterator_tag;

  member_iterator() = default;
  member_iterator(const detail::json_vec* slots, std::size_t slot);
  member operator*() const {
    return {leaf_[slot_ & 31].as_string(), leaf_[(slot_ & 31) + 1]};
  }
  member_iterator& operator++();
  bool operator==(const member_iterator& o) const { return slot_ == o.slot_; }
  bool operator!=(const member_iterator& o) const { return slot_ != o.slot_; }

 private:
  void skip_erased();

  const detail::json_vec* slots_ = nullptr;
  std::size_t slot_ = 0;
  const json* leaf_ = nullptr;
};

struct json::item_range {
  item_iterator first, last;
  item_iterator begin() const { return first; }
  item_iterator end() const { return last; }
};

struct json::member_range {
  member_iterator first, last;
  member_iterator begin() const { return first; }
  member_iterator end() const { return last; }
};

// Builds an array element by element, then produces it once in O(n) (cheaper
// than n persistent push_backs).
class json::array_builder {
 public:
  array_builder() = default;
  explicit array_builder(std::size_t expected_size) { items_.reserve(expected_size); }

  void push_back(json value) { items_.push_back(std::move(value)); }
  std::size_t size() const { return items_.size(); }
  // The array of the values pushed so far; the builder is left empty.
  json build();

 private:
  std::vector<json> items_;
};

// Builds an object member by member, then produces it once in O(n).
class json::object_builder {
 public:
  object_builder() = default;

  // Adds `key` → `value` and returns true; if `key` was added before,
  // replaces its value (keeping its position) and returns false.
  bool set(std::string_view key, json value);
  std::size_t size() const { return hashes_.size(); }
  // The object of the members set so far, in the order they were first set;
  // the builder is left empty.
  json build();

 private:
  // The entry of `key` (with hash `hash`), or -1.
  std::int64_t find(std::string_view key, std::uint32_t hash) const;
  void add_to_table(std::uint32_t entry);

  std::vector<json> slots_;            // key, value, key, value, ...
  std::vector<std::uint32_t> hashes_;  // hash of each key
  // Once there are many entries: an open-addressing table over hashes_
  // holding entry + 1 (0 = free), at most half full.
  std::vector<std::uint32_t> table_;
};

}  // namespace troupe
