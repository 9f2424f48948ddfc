#include "actors/workflow/workflow_library.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <vector>

namespace troupe::workflow {

namespace fs = std::filesystem;

result<json> read_named_workflow(const std::string& dir, const std::string& name) {
  static const std::regex plain("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  if (!std::regex_match(name, plain))
    return status::error("workflow name '" + name + "' is not a plain name");
  if (dir.empty())
    return status::error(
        "no workflows directory is configured ([workflow] workflows-dir)");
  auto path = (fs::path(dir) / (name + ".json")).string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return status::error("no workflow '" + name + "' (" + path + ")");
  return json::parse_file(path);
}

json list_workflows(const std::string& dir, const action_catalog& catalog) {
  json::array_builder out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out.build();
  std::vector<fs::path> files;
  for (auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    json::object_builder b;
    b.set("name", json(f.stem().string()));
    b.set("file", json(f.string()));
    auto def = read_definition(f.string(), catalog);
    b.set("description", def ? json((*def)->description) : json());
    b.set("valid", def.is_ok());
    b.set("error", def ? json() : json(def.error().message()));
    out.push_back(b.build());
  }
  return out.build();
}

}  // namespace troupe::workflow
