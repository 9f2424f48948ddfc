// The persistent vector behind json arrays and object slots: a port of
// Clojure's PersistentVector (Bagwell/Hickey). Elements live in full 32-slot
// leaves under a trie of 32-way branches, except the last 1..32 elements,
// which live in the tail leaf so that push_back rarely touches the trie.
// Index i is found by taking 5 bits of i per level, from `shift_` down to 0.
#include <new>
#include <utility>

#include "runtime/base/json/json_node.hpp"

namespace troupe::detail {

namespace {

const json_node* retained(const json_node* n) {
  if (n != nullptr) json_retain(n);
  return n;
}

// A leaf of `capacity` slots holding the first `count` items of `leaf`.
json_leaf* copy_leaf(const json_leaf* leaf, std::size_t count, std::size_t capacity) {
  json_leaf* copy = make_json_leaf(capacity);
  for (std::size_t i = 0; i < count; ++i) copy->items()[i] = leaf->items()[i];
  return copy;
}

// A copy of `branch` (or an empty branch) retaining every child but `skip`.
json_branch* copy_branch(const json_branch* branch, std::size_t skip) {
  auto* copy = new json_branch;
  if (branch == nullptr) return copy;
  for (std::size_t i = 0; i < kVecWidth; ++i) {
    if (i != skip) copy->children[i] = retained(branch->children[i]);
  }
  return copy;
}

// A chain of single-child branches from `level` down to `node`.
const json_node* new_path(unsigned level, const json_node* node) {
  if (level == 0) return node;
  auto* branch = new json_branch;
  branch->children[0] = new_path(level - kVecBits, node);
  return branch;
}

// Copies the path to the first free leaf position of a trie of `count`
// elements (counting the full tail) and hangs `tail` (a reference the
// caller gives up) there.
json_branch* push_tail(std::size_t count, unsigned level, const json_branch* parent,
                       const json_leaf* tail) {
  std::size_t sub = ((count - 1) >> level) & kVecMask;
  json_branch* copy = copy_branch(parent, sub);
  const json_node* child = parent != nullptr ? parent->children[sub] : nullptr;
  if (level == kVecBits) {
    copy->children[sub] = tail;
  } else if (child != nullptr) {
    copy->children[sub] =
        push_tail(count, level - kVecBits, static_cast<const json_branch*>(child), tail);
  } else {
    copy->children[sub] = new_path(level - kVecBits, tail);
  }
  return copy;
}

// Copies the path to index i in the subtree `node` at `level`, replacing the
// element.
const json_node* assoc(unsigned level, const json_node* node, std::size_t i, json value) {
  if (level == 0) {
    json_leaf* copy =
        copy_leaf(static_cast<const json_leaf*>(node), kVecWidth, kVecWidth);
    copy->items()[i & kVecMask] = std::move(value);
    return copy;
  }
  auto* branch = static_cast<const json_branch*>(node);
  std::size_t sub = (i >> level) & kVecMask;
  json_branch* copy = copy_branch(branch, sub);
  copy->children[sub] =
      assoc(level - kVecBits, branch->children[sub], i, std::move(value));
  return copy;
}

}  // namespace

json_leaf* make_json_leaf(std::size_t capacity) {
  void* memory = ::operator new(sizeof(json_leaf) + capacity * sizeof(json));
  auto* leaf = new (memory) json_leaf(capacity);
  for (std::size_t i = 0; i < capacity; ++i) new (leaf->items() + i) json();
  return leaf;
}

void destroy_json_leaf(const json_leaf* leaf) {
  auto* mutable_leaf = const_cast<json_leaf*>(leaf);
  for (std::size_t i = 0; i < leaf->capacity; ++i) mutable_leaf->items()[i].~json();
  mutable_leaf->~json_leaf();
  ::operator delete(mutable_leaf);
}

json_vec::json_vec(const json_vec& other)
    : size_(other.size_), shift_(other.shift_), root_(other.root_), tail_(other.tail_) {
  if (root_ != nullptr) json_retain(root_);
  if (tail_ != nullptr) json_retain(tail_);
}

json_vec::json_vec(json_vec&& other) noexcept
    : size_(other.size_), shift_(other.shift_), root_(other.root_), tail_(other.tail_) {
  other.size_ = 0;
  other.shift_ = kVecBits;
  other.root_ = nullptr;
  other.tail_ = nullptr;
}

json_vec& json_vec::operator=(json_vec other) noexcept {
  std::swap(size_, other.size_);
  std::swap(shift_, other.shift_);
  std::swap(root_, other.root_);
  std::swap(tail_, other.tail_);
  return *this;
}

json_vec::~json_vec() {
  if (root_ != nullptr) json_release(root_);
  if (tail_ != nullptr) json_release(tail_);
}

const json* json_vec::leaf(std::size_t i) const {
  if (i >= tail_offset()) return tail_->items();
  const json_node* node = root_;
  for (unsigned level = shift_; level > 0; level -= kVecBits) {
    node = static_cast<const json_branch*>(node)->children[(i >> level) & kVecMask];
  }
  return static_cast<const json_leaf*>(node)->items();
}

json_vec json_vec::push_back(json value) const {
  json_vec out;
  std::size_t in_tail = size_ - tail_offset();
  out.size_ = size_ + 1;
  if (size_ == 0 || in_tail < kVecWidth) {
    json_leaf* tail = copy_leaf(tail_, in_tail, in_tail + 1);
    tail->items()[in_tail] = std::move(value);
    out.shift_ = shift_;
    out.root_ = static_cast<const json_branch*>(retained(root_));
    out.tail_ = tail;
    return out;
  }
  // The tail is full: it moves into the trie and a new tail starts.
  json_retain(tail_);
  if ((size_ >> kVecBits) > (std::size_t{1} << shift_)) {
    // The root is full: grow the trie by one level.
    auto* root = new json_branch;
    root->children[0] = retained(root_);
    root->children[1] = new_path(shift_, tail_);
    out.root_ = root;
    out.shift_ = shift_ + kVecBits;
  } else {
    out.root_ = push_tail(size_, shift_, root_, tail_);
    out.shift_ = shift_;
  }
  json_leaf* tail = make_json_leaf(1);
  tail->items()[0] = std::move(value);
  out.tail_ = tail;
  return out;
}

json_vec json_vec::set(std::size_t i, json value) const {
  json_vec out(*this);
  if (i >= tail_offset()) {
    std::size_t in_tail = size_ - tail_offset();
    json_leaf* tail = copy_leaf(tail_, in_tail, in_tail);
    tail->items()[i & kVecMask] = std::move(value);
    json_release(out.tail_);
    out.tail_ = tail;
  } else {
    const json_node* root = assoc(shift_, root_, i, std::move(value));
    json_release(out.root_);
    out.root_ = static_cast<const json_branch*>(root);
  }
  return out;
}

json_vec json_vec::build(std::vector<json>& items) {
  json_vec out;
  out.size_ = items.size();
  if (items.empty()) return out;
  std::size_t tail_start = out.tail_offset();
  json_leaf* tail = make_json_leaf(items.size() - tail_start);
  for (std::size_t i = tail_start; i < items.size(); ++i) {
    tail->items()[i - tail_start] = std::move(items[i]);
  }
  out.tail_ = tail;
  if (tail_start == 0) return out;

  std::vector<const json_node*> level;
  level.reserve(tail_start / kVecWidth);
  for (std::size_t i = 0; i < tail_start; i += kVecWidth) {
    json_leaf* leaf = make_json_leaf(kVecWidth);
    for (std::size_t j = 0; j < kVecWidth; ++j)
      leaf->items()[j] = std::move(items[i + j]);
    level.push_back(leaf);
  }
  // Group 32 nodes per branch until one branch (the root) can hold them all.
  while (level.size() > kVecWidth) {
    std::vector<const json_node*> parents;
    parents.reserve((level.size() + kVecMask) / kVecWidth);
    for (std::size_t i = 0; i < level.size(); i += kVecWidth) {
      auto* branch = new json_branch;
      for (std::size_t j = 0; j < kVecWidth && i + j < level.size(); ++j) {
        branch->children[j] = level[i + j];
      }
      parents.push_back(branch);
    }
    level.swap(parents);
    out.shift_ += kVecBits;
  }
  auto* root = new json_branch;
  for (std::size_t j = 0; j < level.size(); ++j) root->children[j] = level[j];
  out.root_ = root;
  return out;
}

const json* json_vec_leaf(const json_vec& v, std::size_t i) {
  return v.leaf(i);
}
std::size_t json_vec_size(const json_vec& v) {
  return v.size();
}

}  // namespace troupe::detail
