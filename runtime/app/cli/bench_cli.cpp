#include "runtime/app/cli/bench_cli.hpp"

#include <algorithm>
#include <future>
#include <iostream>

#include "runtime/services/process/process_service.hpp"

namespace troupe::bench_cli {

std::optional<options> parse(const std::vector<std::string>& args,
                             std::initializer_list<const char*> keys) {
  options out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto& a = args[i];
    if (a.rfind("--", 0) != 0) return std::nullopt;
    auto eq = a.find('=');
    auto key = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) ==
        keys.end())
      return std::nullopt;
    if (eq != std::string::npos)
      out[key] = a.substr(eq + 1);
    else if (i + 1 < args.size())
      out[key] = args[++i];
    else
      return std::nullopt;
  }
  return out;
}

std::unique_ptr<api_client> connect(options& o) {
  auto a = api_client::make(o["server"], o.count("token-file") ? o["token-file"] : "",
                            std::chrono::seconds(60));
  if (!a) return std::cerr << "troupe bench: " << a.error().message() << "\n", nullptr;
  return std::move(*a);
}

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

}  // namespace troupe::bench_cli
