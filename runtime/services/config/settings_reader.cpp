#include "runtime/services/config/settings_reader.hpp"

#include <caf/config_value.hpp>
#include <caf/timespan.hpp>

#include "runtime/services/config/validate.hpp"

namespace troupe {

result<const caf::settings*> dynamic_entries(const node_config& cfg,
                                             const std::string& prefix,
                                             const std::string& expected) {
  auto dot = prefix.find('.');
  auto section = cfg.content.find(prefix.substr(0, dot));
  if (section == cfg.content.end()) return nullptr;
  auto* dict = caf::get_if<caf::settings>(&section->second);
  if (dict == nullptr) return nullptr;
  auto entries = dict->find(prefix.substr(dot + 1));
  if (entries == dict->end()) return nullptr;
  auto* map = caf::get_if<caf::settings>(&entries->second);
  if (map == nullptr)
    return status::error(cfg.origin(prefix) + ": [" + prefix + "] must hold " + expected);
  return map;
}

settings_reader::settings_reader(const node_config& cfg, std::string prefix,
                                 const caf::settings& dict)
    : cfg_(cfg), prefix_(std::move(prefix)), dict_(dict) {}

const caf::config_value* settings_reader::lookup(const char* key) {
  read_.insert(key);
  auto i = dict_.find(key);
  return i == dict_.end() ? nullptr : &i->second;
}

status settings_reader::error(const char* key, const std::string& what) const {
  auto full = prefix_ + "." + key;
  return status::error(cfg_.origin(full) + ": key '" + full + "' " + what);
}

void settings_reader::type_error(const char* key, const char* expected,
                                 const caf::config_value& v) {
  if (first_error_)
    first_error_ =
        error(key, std::string("expects ") + expected + ", got " + describe_value(v));
}

void settings_reader::get(const char* key, std::string& out) {
  if (auto* v = lookup(key)) {
    if (auto* s = caf::get_if<std::string>(v))
      out = *s;
    else if (auto* a = caf::get_if<caf::atom_value>(v))
      out = caf::to_string(*a);
    else
      type_error(key, "a string", *v);
  }
}

void settings_reader::get(const char* key, bool& out) {
  if (auto* v = lookup(key)) {
    if (auto* b = caf::get_if<bool>(v))
      out = *b;
    else
      type_error(key, "true or false", *v);
  }
}

void settings_reader::get(const char* key, double& out) {
  if (auto* v = lookup(key)) {
    if (auto* d = caf::get_if<double>(v))
      out = *d;
    else if (auto* i = caf::get_if<int64_t>(v))
      out = static_cast<double>(*i);
    else
      type_error(key, "a number", *v);
  }
}

void settings_reader::get(const char* key, std::uint32_t& out) {
  if (auto* v = lookup(key)) {
    auto* i = caf::get_if<int64_t>(v);
    if (i != nullptr && *i >= 0 && *i <= UINT32_MAX)
      out = static_cast<std::uint32_t>(*i);
    else
      type_error(key, "a non-negative integer", *v);
  }
}

void settings_reader::get(const char* key, std::size_t& out) {
  std::uint32_t tmp = static_cast<std::uint32_t>(out);
  get(key, tmp);
  out = tmp;
}

void settings_reader::get(const char* key, std::chrono::nanoseconds& out) {
  if (auto* v = lookup(key)) {
    if (auto* t = caf::get_if<caf::timespan>(v))
      out = *t;
    else
      type_error(key, "a duration such as 30s or 250ms", *v);
  }
}

void settings_reader::get(const char* key, std::vector<std::string>& out) {
  if (auto* v = lookup(key)) {
    auto* list = caf::get_if<caf::config_value::list>(v);
    if (list == nullptr) return type_error(key, "a list of strings", *v);
    std::vector<std::string> tmp;
    for (auto& item : *list) {
      auto* s = caf::get_if<std::string>(&item);
      if (s == nullptr) return type_error(key, "a list of strings", *v);
      tmp.push_back(*s);
    }
    out = std::move(tmp);
  }
}

void settings_reader::get(const char* key, std::vector<int>& out) {
  if (auto* v = lookup(key)) {
    auto* list = caf::get_if<caf::config_value::list>(v);
    if (list == nullptr) return type_error(key, "a list of integers", *v);
    std::vector<int> tmp;
    for (auto& item : *list) {
      auto* i = caf::get_if<caf::config_value::integer>(&item);
      if (i == nullptr || *i < INT32_MIN || *i > INT32_MAX)
        return type_error(key, "a list of integers", *v);
      tmp.push_back(static_cast<int>(*i));
    }
    out = std::move(tmp);
  }
}

const caf::settings* settings_reader::get_map(const char* key) {
  auto* v = lookup(key);
  if (v == nullptr) return nullptr;
  auto* dict = caf::get_if<caf::settings>(v);
  if (dict == nullptr) type_error(key, "a map: key={ ... }", *v);
  return dict;
}

status settings_reader::finish() const {
  if (!first_error_) return first_error_;
  for (auto& [key, value] : dict_) {
    if (read_.count(key) == 0) {
      auto full = prefix_ + "." + key;
      return status::error(cfg_.origin(full) + ": unknown key '" + full + "'");
    }
  }
  return status::ok();
}

}  // namespace troupe
