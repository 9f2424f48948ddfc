// json values: construction, destruction, accessors and the persistent
// array and object operations. Text lives in json_parse.cpp / json_write.cpp,
// builders in json_builder.cpp, the data structures in json_vector.cpp and
// json_index.cpp.
#include "runtime/base/json/json.hpp"

#include <cassert>
#include <cstring>
#include <new>

#include "runtime/base/json/json_node.hpp"

namespace troupe {

namespace detail {

const json_string* make_json_string(std::string_view s) {
  void* memory = ::operator new(sizeof(json_string) + s.size() + 1);
  auto* node = new (memory) json_string;
  node->size = s.size();
  if (!s.empty()) std::memcpy(node->data(), s.data(), s.size());
  node->data()[s.size()] = '\0';
  return node;
}

json_object::~json_object() {
  if (index != nullptr) json_release(index);
}

void json_node_destroy(const json_node* n) {
  switch (n->kind) {
    case kind_string: {
      auto* s = static_cast<const json_string*>(n);
      s->~json_string();
      ::operator delete(const_cast<json_string*>(s));
      return;
    }
    case kind_array:
      delete static_cast<const json_array*>(n);
      return;
    case kind_object:
      delete static_cast<const json_object*>(n);
      return;
    case kind_leaf:
      destroy_json_leaf(static_cast<const json_leaf*>(n));
      return;
    case kind_branch: {
      auto* b = static_cast<const json_branch*>(n);
      for (const json_node* child : b->children) {
        if (child != nullptr) json_release(child);
      }
      delete b;
      return;
    }
    default:
      index_destroy(static_cast<const index_node*>(n));
      return;
  }
}

}  // namespace detail

using detail::json_array;
using detail::json_object;
using detail::json_vec;

namespace {

const json_array* array_node(const detail::json_node* n) {
  return static_cast<const json_array*>(n);
}

const json_object* object_node(const detail::json_node* n) {
  return static_cast<const json_object*>(n);
}

const json_vec& empty_vec() {
  static const json_vec empty;
  return empty;
}

// The entry number of `key` in `obj`, or -1.
std::int64_t find_entry(const json_object* obj, std::string_view key) {
  if (obj->index != nullptr) {
    return detail::index_find(obj->index, detail::key_hash(key), key, obj->slots);
  }
  for (std::size_t e = 0, n = obj->entries(); e < n; ++e) {
    const json& k = obj->slots.at(2 * e);
    if (k.is_string() && k.as_string() == key) return static_cast<std::int64_t>(e);
  }
  return -1;
}

// An object of the live members of `slots`, without tombstones.
json compact(const json_vec& slots) {
  json::object_builder builder;
  for (std::size_t i = 0; i < slots.size(); i += 2) {
    const json& key = slots.at(i);
    if (key.is_string()) builder.set(key.as_string(), slots.at(i + 1));
  }
  return builder.build();
}

}  // namespace

const json json::null_;

std::string_view json_type_name(json_type t) {
  switch (t) {
    case json_type::null:
      return "null";
    case json_type::boolean:
      return "boolean";
    case json_type::integer:
      return "integer";
    case json_type::real:
      return "number";
    case json_type::string:
      return "string";
    case json_type::array:
      return "array";
    case json_type::object:
      return "object";
  }
  return "unknown";
}

json::json(std::string_view s) : type_(json_type::string), payload_(0) {
  payload_.p = s.empty() ? nullptr : detail::make_json_string(s);
}

bool json::as_bool() const {
  assert(is_bool());
  return is_bool() && payload_.b;
}

std::int64_t json::as_int() const {
  assert(is_int());
  return is_int() ? payload_.i : 0;
}

double json::as_double() const {
  assert(is_number());
  if (is_double()) return payload_.d;
  return is_int() ? static_cast<double>(payload_.i) : 0.0;
}

std::string_view json::as_string() const {
  assert(is_string());
  if (!is_string() || payload_.p == nullptr) return std::string_view("", 0);
  return static_cast<const detail::json_string*>(payload_.p)->view();
}

std::size_t json::size() const {
  if (payload_.p == nullptr) return 0;
  if (is_array()) return array_node(payload_.p)->items.size();
  if (is_object()) return object_node(payload_.p)->count;
  return 0;
}

const json& json::at(std::size_t i) const {
  assert(is_array() && i < size());
  if (!is_array() || i >= size()) return null_;
  return array_node(payload_.p)->items.at(i);
}

json json::push_back(json value) const {
  assert(is_array());
  const json_vec& items =
      node() != nullptr && is_array() ? array_node(payload_.p)->items : empty_vec();
  auto* out = new json_array;
  out->items = items.push_back(std::move(value));
  return json(json_type::array, out);
}

json json::set(std::size_t i, json value) const {
  assert(is_array() && i < size());
  if (!is_array() || i >= size()) return *this;
  auto* out = new json_array;
  out->items = array_node(payload_.p)->items.set(i, std::move(value));
  return json(json_type::array, out);
}

json::item_range json::items() const {
  if (!is_array() || payload_.p == nullptr) return {};
  const json_vec* v = &array_node(payload_.p)->items;
  return {item_iterator(v, 0), item_iterator(v, v->size())};
}

const json* json::find(std::string_view key) const {
  if (!is_object() || payload_.p == nullptr) return nullptr;
  const json_object* obj = object_node(payload_.p);
  std::int64_t e = find_entry(obj, key);
  return e < 0 ? nullptr : &obj->slots.at(2 * static_cast<std::size_t>(e) + 1);
}

const json& json::operator[](std::string_view key) const {
  const json* value = find(key);
  return value != nullptr ? *value : null_;
}

json json::set(std::string_view key, json value) const {
  assert(is_object());
  if (!is_object() || payload_.p == nullptr) {
    object_builder builder;
    builder.set(key, std::move(value));
    return builder.build();
  }
  const json_object* obj = object_node(payload_.p);
  auto* out = new json_object;
  std::int64_t e = find_entry(obj, key);
  if (e >= 0) {
    out->slots = obj->slots.set(2 * static_cast<std::size_t>(e) + 1, std::move(value));
    out->index = obj->index;
    if (out->index != nullptr) detail::json_retain(out->index);
    out->count = obj->count;
    return json(json_type::object, out);
  }
  auto entry = static_cast<std::uint32_t>(obj->entries());
  out->slots = obj->slots.push_back(json(key)).push_back(std::move(value));
  out->count = obj->count + 1;
  if (obj->index != nullptr) {
    out->index = detail::index_insert(obj->index, {detail::key_hash(key), entry});
  } else if (out->entries() > detail::kSmallObject) {
    std::vector<detail::index_entry> entries;
    for (std::uint32_t i = 0; i <= entry; ++i) {
      const json& k = out->slots.at(2 * std::size_t{i});
      if (k.is_string()) entries.push_back({detail::key_hash(k.as_string()), i});
    }
    out->index = detail::index_build(entries);
  }
  return json(json_type::object, out);
}

json json::erase(std::string_view key) const {
  assert(is_object());
  if (!is_object() || payload_.p == nullptr) return *this;
  const json_object* obj = object_node(payload_.p);
  std::int64_t e = find_entry(obj, key);
  if (e < 0) return *this;
  auto entry = static_cast<std::size_t>(e);
  json_vec slots = obj->slots.set(2 * entry, json()).set(2 * entry + 1, json());
  std::size_t live = obj->count - 1;
  // Small objects and objects that are mostly tombstones are rebuilt dense.
  if (obj->index == nullptr || obj->entries() - live > live) return compact(slots);
  auto* out = new json_object;
  out->slots = std::move(slots);
  out->count = live;
  out->index = detail::index_remove(
      obj->index, {detail::key_hash(key), static_cast<std::uint32_t>(entry)});
  return json(json_type::object, out);
}

json::member_range json::members() const {
  if (!is_object() || payload_.p == nullptr) return {};
  const json_vec* slots = &object_node(payload_.p)->slots;
  return {member_iterator(slots, 0), member_iterator(slots, slots->size())};
}

// -- iterators ---------------------------------------------------------------

json::item_iterator::item_iterator(const detail::json_vec* v, std::size_t i)
    : vec_(v), i_(i), leaf_(i < v->size() ? v->leaf(i) : nullptr) {}

json::item_iterator& json::item_iterator::operator++() {
  ++i_;
  if ((i_ & detail::kVecMask) == 0 && i_ < vec_->size()) leaf_ = vec_->leaf(i_);
  return *this;
}

json::member_iterator::member_iterator(const detail::json_vec* slots, std::size_t slot)
    : slots_(slots),
      slot_(slot),
      leaf_(slot < slots->size() ? slots->leaf(slot) : nullptr) {
  skip_erased();
}

json::member_iterator& json::member_iterator::operator++() {
  slot_ += 2;
  if ((slot_ & detail::kVecMask) == 0 && slot_ < slots_->size())
    leaf_ = slots_->leaf(slot_);
  skip_erased();
  return *this;
}

void json::member_iterator::skip_erased() {
  while (slot_ < slots_->size() && leaf_[slot_ & detail::kVecMask].is_null()) {
    slot_ += 2;
    if ((slot_ & detail::kVecMask) == 0 && slot_ < slots_->size()) {
      leaf_ = slots_->leaf(slot_);
    }
  }
}

}  // namespace troupe
