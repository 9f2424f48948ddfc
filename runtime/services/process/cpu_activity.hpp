// cpu_activity: how busy this machine's CPUs were between two moments, from
// the kernel's per-CPU accounting (/proc/stat), so a measurement can tell
// whether anything else ran beside it: processes outside troupe (a cron job,
// another tenant's build, a CI runner on the same machine) that no lock of
// troupe's can keep away, and time the hypervisor stole.
//
// Busy time is user + nice + system + irq + softirq + steal (guest time is
// inside user). The kernel counts it in ticks of 1 / sysconf(_SC_CLK_TCK)
// seconds (10 ms on Linux), sampled per CPU: over a short interval each CPU's
// count is off by up to a tick either way.
#pragma once

#include <cstdint>
#include <vector>

namespace troupe {

// Busy ticks per CPU (index = CPU number), at one moment.
struct cpu_ticks {
  std::vector<std::uint64_t> busy;
};

// Reads /proc/stat: a few microseconds, no blocking I/O (procfs). Empty when
// it cannot be read (then every interval measures 0).
cpu_ticks read_cpu_ticks();

// Busy CPU seconds between `before` and `after` on `cpus` (every CPU when
// empty; CPUs not in both snapshots count 0).
double busy_seconds(const cpu_ticks& before, const cpu_ticks& after,
                    const std::vector<int>& cpus);

// One tick, in seconds: the resolution of busy_seconds per CPU.
double cpu_tick_seconds();

}  // namespace troupe
