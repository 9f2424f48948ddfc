// yaml-cpp's event parser (YAML::Parser with an EventHandler) rather than
// its node API: the events carry what the node API hides or resolves away —
// the mark of every key, anchors and aliases, the tag of each scalar ("?"
// for a plain one, "!" for a quoted or block one) — so that every rule of
// yaml_read.hpp is checked where the text breaks it. A refusal is thrown as
// a yaml_refusal from the handler and caught in parse_yaml, never beyond.
#include "runtime/base/yaml/yaml_read.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "runtime/base/read_file.hpp"
#include "runtime/base/yaml/yaml_scalar.hpp"

namespace troupe {

namespace {

struct yaml_refusal {
  yaml_mark mark;
  std::string message;
};

yaml_mark mark_of(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {static_cast<std::size_t>(m.line) + 1, static_cast<std::size_t>(m.column) + 1};
}

[[noreturn]] void refuse(const YAML::Mark& at, std::string message) {
  throw yaml_refusal{mark_of(at), std::move(message)};
}

// "!!str" for the core schema's "tag:yaml.org,2002:str", as it was written.
std::string written_tag(const std::string& tag) {
  static const std::string core = "tag:yaml.org,2002:";
  return tag.compare(0, core.size(), core) == 0 ? "!!" + tag.substr(core.size()) : tag;
}

// Builds the JSON form and the marks from the events of one document.
class json_events final : public YAML::EventHandler {
 public:
  yaml_document take() && { return {std::move(root_), std::move(marks_)}; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    if (at_key()) refuse(mark, "a key must be a string, found null (quote it)");
    enter(mark);
    insert(json());
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    refuse(mark, "aliases (*name) are not supported: write the value out");
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    refuse(mark, "anchors (&" + name + ") are not supported: write the value out");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    json value(text);
    if (tag == "?") {
      auto typed = yaml_plain_scalar(text);
      if (!typed) refuse(mark, typed.error().message());
      value = *typed;
    }
    if (at_key()) return take_key(mark, value, tag == "?");
    enter(mark);
    insert(std::move(value));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag,
                       YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, false);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    bool is_map = false;
    json_path path;
    json::array_builder items;
    json::object_builder members;
    std::size_t next_index = 0;
    std::optional<std::string> key;         // read, its value not yet
    std::map<std::string, yaml_mark> keys;  // every key so far, for duplicates
  };

  bool at_key() const {
    return !stack_.empty() && stack_.back().is_map && !stack_.back().key;
  }

  static void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      refuse(mark, "anchors (&name) are not supported: write the value out");
  }

  // "?" is no tag at all; "!" is the non-specific tag of quoted and block
  // scalars (and of a value written `! x`): both leave the type to the form.
  static void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (tag == "?" || tag == "!") return;
    refuse(mark, "tag '" + written_tag(tag) +
                     "' is not supported: a value's type follows from how it is "
                     "written (quote a string)");
  }

  void take_key(const YAML::Mark& mark, const json& key, bool plain) {
    if (!key.is_string())
      refuse(mark, "a key must be a string, found " +
                       std::string(json_type_name(key.type())) +
                       (plain ? " (quote it for a string)" : ""));
    auto& top = stack_.back();
    std::string name(key.as_string());
    auto first = top.keys.find(name);
    if (first != top.keys.end())
      refuse(mark, "duplicate key '" + name + "' (first at line " +
                       std::to_string(first->second.line) + ", column " +
                       std::to_string(first->second.column) + ")");
    top.keys.emplace(name, mark_of(mark));
    marks_.add(top.path.key(name), mark_of(mark));
    top.key = std::move(name);
  }

  // The path of the value that starts at `mark`, its place recorded (a
  // member's place is its key's, recorded by take_key).
  json_path enter(const YAML::Mark& mark) {
    if (stack_.empty()) {
      marks_.add(json_path(), mark_of(mark));
      return json_path();
    }
    auto& top = stack_.back();
    if (top.is_map) return top.path.key(*top.key);
    auto path = top.path.index(top.next_index++);
    marks_.add(path, mark_of(mark));
    return path;
  }

  void insert(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    auto& top = stack_.back();
    if (top.is_map) {
      top.members.set(*top.key, std::move(value));
      top.key.reset();
    } else {
      top.items.push_back(std::move(value));
    }
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            bool is_map) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (at_key())
      refuse(mark, std::string("a key must be a string, found ") +
                       (is_map ? "a mapping" : "a sequence"));
    if (stack_.size() >= yaml_max_depth)
      refuse(mark, "nested deeper than " + std::to_string(yaml_max_depth) + " levels");
    frame f;
    f.is_map = is_map;
    f.path = enter(mark);
    stack_.push_back(std::move(f));
  }

  void close() {
    frame f = std::move(stack_.back());
    stack_.pop_back();
    insert(f.is_map ? f.members.build() : f.items.build());
  }

  std::vector<frame> stack_;
  json root_;
  yaml_marks marks_;
};

// The events of a second document: refused at its start.
class second_document final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    refuse(mark, "a second document: a file holds one YAML document");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

status yaml_error(std::string_view source, yaml_mark at, const std::string& message) {
  return status::error((source.empty() ? std::string("<input>") : std::string(source)) +
                       ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                       ": " + message);
}

}  // namespace

result<yaml_document> parse_yaml(std::string_view text, std::string_view source) {
  if (text.size() > yaml_max_bytes)
    return status::error((source.empty() ? std::string("<input>") : std::string(source)) +
                         ": " + std::to_string(text.size()) + " bytes, more than " +
                         std::to_string(yaml_max_bytes) + " (a YAML document's limit)");
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    json_events events;
    if (!parser.HandleNextDocument(events)) {
      yaml_document empty;
      empty.marks.add(json_path(), {});
      return empty;
    }
    second_document rest;
    parser.HandleNextDocument(rest);
    return std::move(events).take();
  } catch (const yaml_refusal& r) {
    return yaml_error(source, r.mark, r.message);
  } catch (const YAML::Exception& e) {
    // ParserException and the rest carry the place yaml-cpp stopped at.
    return yaml_error(source, mark_of(e.mark), e.msg);
  }
}

result<yaml_document> parse_yaml_file(const std::string& path) {
  auto text = read_file(path, yaml_max_bytes);
  if (!text) return text.error();
  return parse_yaml(*text, path);
}

}  // namespace troupe
