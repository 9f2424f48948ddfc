#include "runtime/app/cli/bench_cli.hpp"

#include <future>

#include "runtime/services/process/process_service.hpp"

namespace troupe::cli {

result<std::string> git(process_service& ps, const std::string& repo,
                        std::vector<std::string> args) {
  process_spec spec;
  spec.argv = {"git", "-C", repo};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(60);
  spec.max_output_bytes = 16 << 20;
  std::promise<process_result> p;
  auto f = p.get_future();
  ps.start(spec, [&p](process_result r) { p.set_value(std::move(r)); });
  auto r = f.get();
  if (!r.ok())
    return status::error("git " + args.front() + ": " +
                         (r.error.empty() ? r.err : r.error));
  if (r.out_truncated)
    return status::error("git " + args.front() + ": output over 16 MiB");
  return r.out;
}

}  // namespace troupe::cli
