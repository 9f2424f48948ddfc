#include "runtime/app/node/cluster_json.hpp"

#include "runtime/base/clock.hpp"

namespace troupe {

namespace {

json strings(const std::vector<std::string>& xs) {
  json::array_builder a;
  for (auto& x : xs) a.push_back(json(x));
  return a.build();
}

json time_or_null(std::int64_t ms) {
  return ms > 0 ? json(iso_time(ms)) : json();
}

json to_json(const member_info& m) {
  json::object_builder o;
  o.set("name", m.name);
  o.set("roles", strings(m.roles));
  o.set("platform", m.platform);
  o.set("labels", strings(m.labels));
  o.set("version", m.version);
  return o.build();
}

}  // namespace

json to_json(const cluster_view& v) {
  json::array_builder members;
  auto now = unix_ms();
  for (auto& m : v.members) {
    json::object_builder o;
    o.set("node", to_json(m.info));
    o.set("state", m.state);
    o.set("address", m.address);
    o.set("joined_at", time_or_null(m.joined_ms));
    o.set("last_heartbeat_at", time_or_null(m.last_heartbeat_ms));
    o.set("heartbeat_age_ms", m.last_heartbeat_ms > 0 ? now - m.last_heartbeat_ms : -1);
    o.set("down_at", time_or_null(m.down_ms));
    o.set("joins", m.joins);
    o.set("in_flight", m.load.in_flight);
    o.set("completed", m.load.completed);
    members.push_back(o.build());
  }
  json::object_builder o;
  o.set("role", "coordinator");
  o.set("coordinator", v.coordinator);
  o.set("members", members.build());
  o.set("version", v.version);
  return o.build();
}

json to_json(const link_status& s, const member_info& self) {
  json::object_builder link;
  link.set("address", s.coordinator_address);
  link.set("state", s.state);
  link.set("coordinator", s.coordinator);
  link.set("last_error", s.last_error);
  link.set("joined_at", time_or_null(s.joined_ms));
  link.set("last_heartbeat_at", time_or_null(s.last_heartbeat_ms));
  link.set("sessions", s.sessions);
  link.set("failed_attempts", s.failed_attempts);
  json::object_builder o;
  o.set("version", s.version);
  o.set("role", "worker");
  o.set("node", to_json(self));
  o.set("link", link.build());
  return o.build();
}

}  // namespace troupe
