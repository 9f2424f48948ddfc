// placement: where a benchmark platform runs, and who may run it.
//
// A standalone node runs every platform of its [bench.platforms] itself. A
// coordinator runs none: each platform is run by a cluster worker that
// joined with [cluster] roles containing "platform", [cluster]
// platform="<the platform's name>", every label of the platform's `labels`
// among its [cluster] labels, and, when the platform sets `node`, that
// [node] name. The definition (workdir, build, suites, timeouts) stays in the
// coordinator's INI; a worker fetches it when it attaches
// (bench_platform_atom, messages/bench.hpp).
//
// The coordinator's scheduler and collector are put in its actor_directory
// for workers' session.lookup (scheduler_key and collector_key of
// bench_context.hpp, reach::cluster), and refuse (errc::not_a_member) senders that do not
// fit (`placement_refusal`).
#pragma once

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/node_id.hpp>
#include <string>
#include <utility>
#include <vector>

#include "actors/bench/bench_config.hpp"
#include "messages/bench.hpp"
#include "messages/cluster.hpp"
#include "runtime/base/status.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::bench {

// "" when `member` may run `platform`, else why not (for logs and errors).
std::string placement_mismatch(const member_info& member,
                               const platform_config& platform);

// Whether the node `sender` may pull or report work of the platform named
// `platform`: this node (`local`) always may; another node must be a member
// of `members` (null: no cluster, so no other node may) that fits the
// platform. Returns an empty error when it may, else errc::not_a_member
// (errc::not_found for a platform that is not configured) with the reason.
caf::error placement_refusal(const cluster_members* members, const caf::node_id& sender,
                             const caf::node_id& local,
                             const std::vector<platform_config>& platforms,
                             const std::string& platform);

// The platform with the [bench] limits its commands run under, on the wire.
bench_platform_def to_definition(const platform_config& platform,
                                 const bench_settings& settings);

// The platform and the limits back from a definition (a worker's side);
// errors name what is wrong with it. Settings not in the definition keep
// their defaults.
result<std::pair<platform_config, bench_settings>> from_definition(
    const bench_platform_def& def);

}  // namespace troupe::bench
