#include "runtime/services/process/cpu_activity.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace troupe {

cpu_ticks read_cpu_ticks() {
  cpu_ticks out;
  std::FILE* f = std::fopen("/proc/stat", "re");
  if (f == nullptr) return out;
  char line[512];
  while (std::fgets(line, sizeof line, f) != nullptr) {
    // "cpuN user nice system idle iowait irq softirq steal guest guest_nice";
    // the aggregate "cpu " line comes first, the per-CPU lines follow.
    if (std::strncmp(line, "cpu", 3) != 0) break;
    if (line[3] < '0' || line[3] > '9') continue;  // the aggregate line
    unsigned cpu = 0;
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0,
                       softirq = 0, steal = 0;
    if (std::sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user,
                    &nice, &system, &idle, &iowait, &irq, &softirq, &steal) < 8)
      continue;
    if (out.busy.size() <= cpu) out.busy.resize(cpu + 1, 0);
    out.busy[cpu] = user + nice + system + irq + softirq + steal;
  }
  std::fclose(f);
  return out;
}

double cpu_tick_seconds() {
  static const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return tick;
}

double busy_seconds(const cpu_ticks& before, const cpu_ticks& after,
                    const std::vector<int>& cpus) {
  auto one = [&](std::size_t cpu) -> double {
    if (cpu >= before.busy.size() || cpu >= after.busy.size()) return 0;
    if (after.busy[cpu] < before.busy[cpu]) return 0;
    return static_cast<double>(after.busy[cpu] - before.busy[cpu]);
  };
  double ticks = 0;
  if (cpus.empty()) {
    for (std::size_t cpu = 0; cpu < after.busy.size(); ++cpu) ticks += one(cpu);
  } else {
    for (int cpu : cpus)
      if (cpu >= 0) ticks += one(static_cast<std::size_t>(cpu));
  }
  return ticks * cpu_tick_seconds();
}

}  // namespace troupe
