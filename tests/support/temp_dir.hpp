// A temporary directory for one test: created empty under $TMPDIR (or /tmp)
// with mkdtemp, removed with everything in it when the object goes away.
#pragma once

#include <string>

namespace troupe::testing {

class temp_dir {
 public:
  // Creates "<tmp>/troupe-<prefix>-XXXXXX"; throws std::runtime_error if it
  // cannot (tests only).
  explicit temp_dir(const std::string& prefix = "test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace troupe::testing
