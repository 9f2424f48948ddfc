#include "runtime/app/cli/store.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

#include "runtime/app/cli/options.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/services/store/store_connection.hpp"

namespace troupe::cli {

namespace {

struct check_options {
  std::string data_dir;
  bool full = false;  // integrity_check, else quick_check
};

struct backup_options {
  std::string data_dir, out;
};

// The largest schema version this troupe knows.
int known_version() {
  auto subsystems = make_subsystems();
  auto schema = node_schema(subsystems);
  return schema.empty() ? 0 : schema.back().version;
}

// An existing store file opened for the tools; errors name the file.
result<std::unique_ptr<sql_connection>> open_existing(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return status::error(path + ": no store here (" + (ec ? ec.message() : "not a file") +
                         ")");
  auto conn = sql_connection::open(path, std::chrono::seconds(5));
  if (!conn) return status::error(path + ": " + conn.error().message());
  return conn;
}

int check(const std::string& path, bool full) {
  auto conn = open_existing(path);
  if (!conn) {
    std::cout << "damaged: " << conn.error().message() << "\n";
    return 1;
  }
  int rc = 0;
  if (auto sound = (*conn)->check_integrity(full); !sound) {
    std::cout << "damaged: " << path << ": " << sound.message() << "\n";
    rc = 1;
  } else {
    std::cout << "sound: " << path << " (" << (full ? "integrity_check" : "quick_check")
              << ")\n";
  }
  auto rows =
      (*conn)->query({"SELECT COALESCE(MAX(version), 0) FROM schema_version", {}});
  if (!rows || rows->empty()) {
    std::cout << "schema: " << path << ": no schema_version table ("
              << (rows ? "empty" : rows.error().message()) << "): not a troupe store\n";
    return 1;
  }
  auto version = sql_int(rows->front().at(0));
  auto known = known_version();
  if (version > known) {
    std::cout << "schema: version " << version << ", newer than this troupe's " << known
              << ": run the troupe that wrote it\n";
    return 1;
  }
  std::cout << "schema: version " << version << " (this troupe knows up to " << known
            << (version < known ? "; the node migrates it at start" : "") << ")\n";
  return rc;
}

int backup(const std::string& path, const std::string& out) {
  auto conn = open_existing(path);
  if (!conn) {
    std::cerr << "troupe store backup: " << conn.error().message() << "\n";
    return 1;
  }
  auto partial = out + ".partial";
  std::error_code ec;
  std::filesystem::remove(partial, ec);
  auto done = (*conn)->backup_to(partial);
  if (done) {
    auto copy = sql_connection::open(partial, std::chrono::seconds(5));
    done = copy ? (*copy)->check_integrity(false) : copy.error();
    done = done.within("the copy " + partial + " is not sound: ");
  }
  if (done) {
    std::filesystem::rename(partial, out, ec);
    if (ec)
      done = status::io_error("cannot rename " + partial + " to " + out + ": " +
                              ec.message());
  }
  if (!done) {
    std::filesystem::remove(partial, ec);
    std::cerr << "troupe store backup: " << done.message() << "\n";
    return 1;
  }
  std::cout << "backup of " << path << " written to " << out << " ("
            << std::filesystem::file_size(out, ec) << " bytes)\n";
  return 0;
}

// <data-dir>/troupe.db
std::string store_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "troupe.db").string();
}

}  // namespace

void add_store(command_line& cli) {
  auto* store =
      cli.add_group(cli.root(), "store", "an operator's tools for a node's store");
  auto c = std::make_shared<check_options>();
  auto* check_cmd = cli.add_command(
      *store, "check", "check a node's store: is it sound, can this troupe run it",
      [c] { return check(store_path(c->data_dir), c->full); });
  add_data_dir_option(*check_cmd, c->data_dir);
  check_cmd->add_flag("--full", c->full,
                      "SQLite's integrity_check instead of quick_check");
  auto b = std::make_shared<backup_options>();
  auto* backup_cmd = cli.add_command(
      *store, "backup", "copy a node's store safely, even while the node runs",
      [b] { return backup(store_path(b->data_dir), b->out); });
  add_data_dir_option(*backup_cmd, b->data_dir);
  backup_cmd->add_option("--out", b->out, "the copy (written beside it, then renamed)")
      ->type_name("FILE")
      ->required();
}

}  // namespace troupe::cli
