#include "runtime/app/cli/store.hpp"

#include <filesystem>
#include <iostream>

#include "runtime/app/cli/bench_cli.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/services/store/store_connection.hpp"

namespace troupe {

namespace {

const char* usage =
    "usage: troupe store check --data-dir=DIR [--full]\n"
    "       troupe store backup --data-dir=DIR --out=FILE\n";

int bad_usage(const std::string& why) {
  std::cerr << "troupe store: " << why << "\n" << usage;
  return 2;
}

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

}  // namespace

int run_store(const std::vector<std::string>& args) {
  if (args.empty()) return bad_usage("which command?");
  auto command = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "check") {
    // --full takes no value: give it one for the parser.
    for (auto& a : rest)
      if (a == "--full") a = "--full=yes";
    auto o = bench_cli::parse(rest, {"data-dir", "full"});
    if (!o || !o->count("data-dir")) return bad_usage("check needs --data-dir=DIR");
    auto path = (std::filesystem::path((*o)["data-dir"]) / "troupe.db").string();
    return check(path, o->count("full") > 0);
  }
  if (command == "backup") {
    auto o = bench_cli::parse(rest, {"data-dir", "out"});
    if (!o || !o->count("data-dir") || !o->count("out"))
      return bad_usage("backup needs --data-dir=DIR and --out=FILE");
    auto path = (std::filesystem::path((*o)["data-dir"]) / "troupe.db").string();
    return backup(path, (*o)["out"]);
  }
  return bad_usage("unknown command '" + command + "'");
}

}  // namespace troupe
