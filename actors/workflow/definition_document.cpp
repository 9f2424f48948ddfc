#include "actors/workflow/definition_document.hpp"

#include "runtime/base/yaml/yaml_read.hpp"

namespace troupe::workflow {

namespace {

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

definition_format format_of_path(std::string_view path) {
  return ends_with(path, ".yaml") || ends_with(path, ".yml") ? definition_format::yaml
                                                             : definition_format::json;
}

result<definition_document> parse_definition_document(std::string_view text,
                                                      std::string_view source,
                                                      definition_format format) {
  definition_document doc;
  doc.source = std::string(source);
  if (format == definition_format::yaml) {
    auto yaml = parse_yaml(text, source);
    if (!yaml) return yaml.error();
    doc.document = std::move(yaml->value);
    doc.marks = std::move(yaml->marks);
  } else {
    auto parsed = json::parse(text, source);
    if (!parsed) return parsed.error();
    doc.document = std::move(*parsed);
  }
  return doc;
}

result<definition_document> read_definition_document(const std::string& path) {
  definition_document doc;
  doc.source = path;
  if (format_of_path(path) == definition_format::yaml) {
    auto yaml = parse_yaml_file(path);
    if (!yaml) return yaml.error();
    doc.document = std::move(yaml->value);
    doc.marks = std::move(yaml->marks);
  } else {
    auto parsed = json::parse_file(path);
    if (!parsed) return parsed.error();
    doc.document = std::move(*parsed);
  }
  return doc;
}

result<definition_ptr> load_definition(const definition_document& doc,
                                       const action_catalog& actions) {
  auto def = load_definition(doc.document, doc.source, actions);
  if (!def) return doc.place(def.error());
  return def;
}

result<definition_ptr> read_definition(const std::string& path,
                                       const action_catalog& actions) {
  auto doc = read_definition_document(path);
  if (!doc) return doc.error();
  return load_definition(*doc, actions);
}

}  // namespace troupe::workflow
