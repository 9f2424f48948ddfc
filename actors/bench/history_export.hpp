// history_export: the node's history files, kept up to date after every
// append at a cost that does not grow with history. One file per platform:
//
//   <history-dir>/history-<platform>.jsonl
//     line 1   {"version":3,"platform":"<platform>"}
//     then     one line per appended run that has results or a gap for the
//              platform, in run order: the run object of the version-2
//              document (docs/bench.md), on one line
//
// update() appends the lines of the runs newer than the file's last line
// (O_APPEND, then fsync): an append exports one run, not the history. A file
// that is missing, or whose last line is torn (a crash in the middle of a
// write), is written whole, atomically (temp file, fsync, rename), once.
// Runs that retention-runs later deletes stay in the file: it is the archive;
// GET /api/v1/bench/history/{platform} and `troupe bench report` give the
// current view as one version-2 document.
//
// Blocking (store reads, file writes): the history actor (detached) uses it.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "runtime/base/status.hpp"

namespace troupe {
class store;
}

namespace troupe::bench {

class history_exporter {
 public:
  explicit history_exporter(std::string dir) : dir_(std::move(dir)) {}

  // Brings history-<platform>.jsonl up to date with the store.
  status update(store& db, const std::string& platform);

  // The file of `platform`.
  std::string path(const std::string& platform) const {
    return dir_ + "/history-" + platform + ".jsonl";
  }

 private:
  // The last run id in the file (0: header only); nullopt when the file must
  // be written whole (missing, unreadable or torn).
  std::optional<std::uint64_t> last_in_file(const std::string& platform) const;
  status rewrite(store& db, const std::string& platform);

  std::string dir_;
  std::map<std::string, std::uint64_t> last_;  // per platform, once known
};

}  // namespace troupe::bench
