// The index of large json objects: a CHAMP trie (Steindorfer & Vinju, 2015)
// from the 32-bit hash of a key to the member's entry number. Entries are
// plain (hash, entry) pairs, so copying a node on a path copy only retains
// its child nodes. Level k uses hash bits [5k, 5k + 5); past the 32 bits,
// keys with equal hashes share a collision node. The trie is kept
// canonical: a child left with a single entry is inlined into its parent.
#include <algorithm>
#include <new>
#include <utility>

#include "runtime/base/json/json_node.hpp"

namespace troupe::detail {

namespace {

constexpr unsigned kHashBits = 32;

unsigned popcount(std::uint32_t x) {
  return static_cast<unsigned>(__builtin_popcount(x));
}

std::uint32_t chunk_bit(std::uint32_t hash, unsigned shift) {
  return std::uint32_t{1} << ((hash >> shift) & 31);
}

unsigned rank(std::uint32_t map, std::uint32_t bit) {
  return popcount(map & (bit - 1));
}

index_node* allocate(std::uint8_t kind, std::uint32_t entries, std::uint32_t children) {
  void* memory = ::operator new(sizeof(index_node) + entries * sizeof(index_entry) +
                                children * sizeof(index_node*));
  return new (memory) index_node(kind);
}

index_node* make_map(std::uint32_t datamap, std::uint32_t nodemap) {
  index_node* n = allocate(kind_index_map, popcount(datamap), popcount(nodemap));
  n->datamap = datamap;
  n->nodemap = nodemap;
  return n;
}

index_node* make_collision(std::uint32_t count) {
  index_node* n = allocate(kind_index_collision, count, 0);
  n->datamap = count;
  return n;
}

const index_node* retained(const index_node* n) {
  json_retain(n);
  return n;
}

// A node holding exactly one entry and nothing else; its parent inlines it.
bool is_single(const index_node* n) {
  return n->entry_count() == 1 && n->child_count() == 0;
}

// The smallest subtrie holding two entries whose hashes agree below `shift`.
const index_node* merge(index_entry a, index_entry b, unsigned shift) {
  if (shift >= kHashBits) {
    index_node* n = make_collision(2);
    n->entries()[0] = a;
    n->entries()[1] = b;
    return n;
  }
  std::uint32_t bit_a = chunk_bit(a.hash, shift);
  std::uint32_t bit_b = chunk_bit(b.hash, shift);
  if (bit_a == bit_b) {
    index_node* n = make_map(0, bit_a);
    n->children()[0] = merge(a, b, shift + 5);
    return n;
  }
  index_node* n = make_map(bit_a | bit_b, 0);
  n->entries()[0] = bit_a < bit_b ? a : b;
  n->entries()[1] = bit_a < bit_b ? b : a;
  return n;
}

// A change to a map node: its new bitmaps; at most one entry dropped and one
// added, and at most one child dropped and one added (`child`, a reference
// the edit gives up), at ranks of the old node. Replacing a child is
// dropping and adding it at the same rank.
struct map_edit {
  std::uint32_t datamap, nodemap;
  int drop_entry = -1, add_entry = -1;
  index_entry added{};
  int drop_child = -1, add_child = -1;
  const index_node* child = nullptr;  // for add_child
};

// A new node: `n` changed by `e`, retaining `n`'s other children.
const index_node* apply(const index_node* n, const map_edit& e) {
  index_node* out = make_map(e.datamap, e.nodemap);
  index_entry* entries = out->entries();
  for (std::uint32_t i = 0, j = 0, count = n->entry_count(); i <= count; ++i) {
    if (static_cast<int>(i) == e.add_entry) entries[j++] = e.added;
    if (i < count && static_cast<int>(i) != e.drop_entry) entries[j++] = n->entries()[i];
  }
  const index_node** children = out->children();
  for (std::uint32_t i = 0, j = 0, count = n->child_count(); i <= count; ++i) {
    if (static_cast<int>(i) == e.add_child) children[j++] = e.child;
    if (i < count && static_cast<int>(i) != e.drop_child) {
      children[j++] = retained(n->children()[i]);
    }
  }
  return out;
}

const index_node* insert(const index_node* n, index_entry e, unsigned shift) {
  if (n->kind == kind_index_collision) {
    std::uint32_t count = n->entry_count();
    index_node* out = make_collision(count + 1);
    std::copy(n->entries(), n->entries() + count, out->entries());
    out->entries()[count] = e;
    return out;
  }
  std::uint32_t bit = chunk_bit(e.hash, shift);
  map_edit edit{n->datamap, n->nodemap};
  if (n->datamap & bit) {
    // Two entries now share this chunk: push both one level down.
    unsigned at = rank(n->datamap, bit);
    edit.datamap &= ~bit;
    edit.nodemap |= bit;
    edit.drop_entry = static_cast<int>(at);
    edit.add_child = static_cast<int>(rank(n->nodemap, bit));
    edit.child = merge(n->entries()[at], e, shift + 5);
  } else if (n->nodemap & bit) {
    unsigned at = rank(n->nodemap, bit);
    edit.drop_child = static_cast<int>(at);
    edit.add_child = static_cast<int>(at);
    edit.child = insert(n->children()[at], e, shift + 5);
  } else {
    edit.datamap |= bit;
    edit.add_entry = static_cast<int>(rank(n->datamap, bit));
    edit.added = e;
  }
  return apply(n, edit);
}

// Returns the node without `e`; null if it would be empty.
const index_node* remove(const index_node* n, index_entry e, unsigned shift) {
  if (n->kind == kind_index_collision) {
    std::uint32_t count = n->entry_count();
    if (count == 1) return nullptr;
    index_node* out = make_collision(count - 1);
    std::uint32_t j = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (n->entries()[i].entry != e.entry && j < count - 1)
        out->entries()[j++] = n->entries()[i];
    }
    return out;
  }
  std::uint32_t bit = chunk_bit(e.hash, shift);
  map_edit edit{n->datamap, n->nodemap};
  if (n->datamap & bit) {
    if (n->entries()[rank(n->datamap, bit)].entry != e.entry) return retained(n);
    if (n->entry_count() == 1 && n->child_count() == 0) return nullptr;
    edit.datamap &= ~bit;
    edit.drop_entry = static_cast<int>(rank(n->datamap, bit));
    return apply(n, edit);
  }
  if (!(n->nodemap & bit)) return retained(n);
  unsigned at = rank(n->nodemap, bit);
  const index_node* child = remove(n->children()[at], e, shift + 5);
  edit.drop_child = static_cast<int>(at);
  if (child == nullptr) {
    edit.nodemap &= ~bit;
    if (edit.datamap == 0 && edit.nodemap == 0) return nullptr;
  } else if (is_single(child)) {
    edit.nodemap &= ~bit;
    edit.datamap |= bit;
    edit.add_entry = static_cast<int>(rank(n->datamap, bit));
    edit.added = child->entries()[0];
    json_release(child);
  } else {
    edit.add_child = static_cast<int>(at);
    edit.child = child;
  }
  return apply(n, edit);
}

// Sort key that makes the entries of each subtrie contiguous: the hash with
// its 5-bit chunks in trie order (lowest chunk most significant).
std::uint64_t trie_order(std::uint32_t hash) {
  std::uint64_t key = 0;
  for (unsigned shift = 0; shift < kHashBits; shift += 5)
    key = (key << 5) | ((hash >> shift) & 31);
  return key;
}

const index_node* build(const index_entry* first, const index_entry* last,
                        unsigned shift) {
  if (shift >= kHashBits) {
    auto count = static_cast<std::uint32_t>(last - first);
    index_node* n = make_collision(count);
    std::copy(first, last, n->entries());
    return n;
  }
  std::uint32_t datamap = 0, nodemap = 0;
  for (const index_entry* run = first; run != last;) {
    std::uint32_t bit = chunk_bit(run->hash, shift);
    const index_entry* end = run + 1;
    while (end != last && chunk_bit(end->hash, shift) == bit) ++end;
    (end - run == 1 ? datamap : nodemap) |= bit;
    run = end;
  }
  index_node* n = make_map(datamap, nodemap);
  index_entry* entries = n->entries();
  const index_node** children = n->children();
  for (const index_entry* run = first; run != last;) {
    std::uint32_t bit = chunk_bit(run->hash, shift);
    const index_entry* end = run + 1;
    while (end != last && chunk_bit(end->hash, shift) == bit) ++end;
    if (end - run == 1) {
      *entries++ = *run;
    } else {
      *children++ = build(run, end, shift + 5);
    }
    run = end;
  }
  return n;
}

}  // namespace

std::uint32_t index_node::entry_count() const {
  return kind == kind_index_collision ? datamap : popcount(datamap);
}

std::uint32_t index_node::child_count() const {
  return kind == kind_index_collision ? 0 : popcount(nodemap);
}

std::int64_t index_find(const index_node* n, std::uint32_t hash, std::string_view key,
                        const json_vec& slots) {
  for (unsigned shift = 0; n != nullptr; shift += 5) {
    if (n->kind == kind_index_collision) {
      for (std::uint32_t i = 0; i < n->datamap; ++i) {
        std::uint32_t entry = n->entries()[i].entry;
        if (slots.at(2 * std::size_t{entry}).as_string() == key) return entry;
      }
      return -1;
    }
    std::uint32_t bit = chunk_bit(hash, shift);
    if (n->datamap & bit) {
      const index_entry& e = n->entries()[rank(n->datamap, bit)];
      if (e.hash != hash || slots.at(2 * std::size_t{e.entry}).as_string() != key)
        return -1;
      return e.entry;
    }
    if (!(n->nodemap & bit)) return -1;
    n = n->children()[rank(n->nodemap, bit)];
  }
  return -1;
}

const index_node* index_insert(const index_node* root, index_entry e) {
  if (root == nullptr) {
    index_node* n = make_map(chunk_bit(e.hash, 0), 0);
    n->entries()[0] = e;
    return n;
  }
  return insert(root, e, 0);
}

const index_node* index_remove(const index_node* root, index_entry e) {
  return root == nullptr ? nullptr : remove(root, e, 0);
}

const index_node* index_build(std::vector<index_entry>& entries) {
  if (entries.empty()) return nullptr;
  std::vector<std::pair<std::uint64_t, index_entry>> keyed(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i)
    keyed[i] = {trie_order(entries[i].hash), entries[i]};
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < entries.size(); ++i) entries[i] = keyed[i].second;
  return build(entries.data(), entries.data() + entries.size(), 0);
}

void index_destroy(const index_node* n) {
  for (std::uint32_t i = 0, count = n->child_count(); i < count; ++i) {
    json_release(n->children()[i]);
  }
  n->~index_node();
  ::operator delete(const_cast<index_node*>(n));
}

}  // namespace troupe::detail
