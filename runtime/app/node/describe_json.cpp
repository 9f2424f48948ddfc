#include "runtime/app/node/describe_json.hpp"

namespace troupe {

json to_json(const supervisor_report& r) {
  json::array_builder children;
  for (auto& c : r.children) {
    json::object_builder o;
    o.set("id", c.id);
    o.set("type", to_string(c.type));
    o.set("restart", to_string(c.restart));
    o.set("status", to_string(c.status));
    o.set("restarts", c.restarts);
    children.push_back(o.build());
  }
  json::array_builder subtree;
  for (auto& s : r.subtree) subtree.push_back(to_json(s));
  json::object_builder o;
  o.set("name", r.name);
  o.set("strategy", to_string(r.strategy));
  o.set("status", to_string(r.status));
  o.set("intensity", r.intensity);
  o.set("period_ms", r.period_ms);
  o.set("recent_restarts", r.recent_restarts);
  o.set("children", children.build());
  o.set("supervisors", subtree.build());
  return o.build();
}

json to_json(const node_description& d, std::optional<std::int64_t> time_ms,
             const std::vector<http_route_info>& routes) {
  json::object_builder o;
  o.set("name", d.name);
  o.set("role", d.role);
  o.set("version", d.version);
  if (time_ms) o.set("time_ms", *time_ms);
  o.set("uptime_seconds", static_cast<double>(d.uptime_ms) / 1000.0);
  o.set("supervision", to_json(d.supervision));
  if (!routes.empty()) {
    json::array_builder a;
    for (auto& r : routes) {
      json::object_builder route;
      route.set("method", r.method);
      route.set("pattern", r.pattern);
      route.set("access", std::string(to_string(r.access)));
      a.push_back(route.build());
    }
    o.set("routes", a.build());
  }
  return o.build();
}

}  // namespace troupe
