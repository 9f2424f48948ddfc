#include "actors/workflow/workflow_library.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <vector>

namespace troupe::workflow {

namespace fs = std::filesystem;

namespace {

bool is_definition_file(const fs::path& p) {
  auto ext = p.extension();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

// "workflow 'hello' has more than one file: hello.json, hello.yaml (keep one)".
status several_files(const std::string& name, const std::vector<fs::path>& files) {
  std::string list;
  for (auto& f : files) list += (list.empty() ? "" : ", ") + f.filename().string();
  return status::error("workflow '" + name + "' has more than one file: " + list +
                       " (keep one)");
}

}  // namespace

result<definition_document> read_named_workflow(const std::string& dir,
                                                const std::string& name) {
  static const std::regex plain("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  if (!std::regex_match(name, plain))
    return status::error("workflow name '" + name + "' is not a plain name");
  if (dir.empty())
    return status::error(
        "no workflows directory is configured ([workflow] workflows-dir)");
  std::vector<fs::path> files;
  for (const char* ext : {".json", ".yaml", ".yml"}) {
    auto path = fs::path(dir) / (name + ext);
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) files.push_back(path);
  }
  if (files.empty())
    return status::error("no workflow '" + name + "' (" +
                         (fs::path(dir) / name).string() + ".json, .yaml or .yml)");
  if (files.size() > 1) return several_files(name, files);
  auto doc = read_definition_document(files[0].string());
  if (!doc) return doc.error();
  doc->source = files[0].filename().string();
  return doc;
}

json list_workflows(const std::string& dir, const action_catalog& catalog) {
  json::array_builder out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out.build();
  std::vector<fs::path> files;
  std::map<std::string, std::vector<fs::path>> by_name;
  for (auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && is_definition_file(entry.path()))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) by_name[f.stem().string()].push_back(f);
  for (auto& f : files) {
    auto name = f.stem().string();
    auto& same = by_name[name];
    auto def = same.size() > 1 ? result<definition_ptr>(several_files(name, same))
                               : read_definition(f.string(), catalog);
    json::object_builder b;
    b.set("name", json(name));
    b.set("file", json(f.string()));
    b.set("description", def ? json((*def)->description) : json());
    b.set("valid", def.is_ok());
    b.set("error", def ? json() : json(def.error().message()));
    out.push_back(b.build());
  }
  return out.build();
}

}  // namespace troupe::workflow
