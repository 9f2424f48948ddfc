// gbench_work: a real Google Benchmark program (Debian's libbenchmark-dev)
// that perf/bench_noise measures through troupe's bench platforms. BM_Work
// fills a vector with xorshift numbers and sorts it: about a millisecond of
// CPU and cache work per iteration. TROUPE_WORK_SCALE (default 1) scales the
// vector, so a run can be made slower on purpose.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

double work_scale() {
  const char* s = std::getenv("TROUPE_WORK_SCALE");
  return s != nullptr ? std::atof(s) : 1.0;
}

void BM_Work(benchmark::State& state) {
  std::vector<std::uint64_t> v(static_cast<std::size_t>(20000 * work_scale()));
  for (auto _ : state) {
    std::uint64_t x = 88172645463325252ull;
    for (auto& e : v) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      e = x;
    }
    std::sort(v.begin(), v.end());
    benchmark::DoNotOptimize(v.data());
  }
}

}  // namespace

BENCHMARK(BM_Work);
BENCHMARK_MAIN();
