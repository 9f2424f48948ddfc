// The options several troupe commands share, spelled and documented once:
// how a command reaches a node's HTTP API (--server, --token-file, and for
// https --ca-file, --cert, --key; scale and the bench commands), the git repository it
// reads (--repo; bench submit and compare) and a node's data directory (--data-dir; the
// store commands).
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "runtime/app/cli/api_client.hpp"

namespace troupe::cli {

// A node's HTTP API as the command line names it.
struct api_options {
  std::string server;      // --server=URL: "http://HOST:PORT" or "https://HOST:PORT"
  std::string token_file;  // --token-file=FILE: holds the token
  std::string ca_file;     // --ca-file=FILE: the CA of the node's certificate
  std::string cert_file;   // --cert=FILE, --key=FILE: a client certificate
  std::string key_file;    //   (the node's http.tls-client-ca signed it)
};

// Adds --server (required unless `server_required` is false), --token-file,
// --ca-file, --cert and --key to `command`, bound to `o`; returns --server's
// option.
CLI::Option* add_api_options(CLI::App& command, api_options& o,
                             bool server_required = true);

// The API client for `o`; null after "<who>: <why>" on stderr when the
// token file cannot be read (the commands then exit 2).
std::unique_ptr<api_client> connect(const api_options& o, std::chrono::seconds timeout,
                                    const std::string& who);

// --repo=DIR, bound to `repo`: the git repository whose commits a command
// reads; `repo` keeps its value (".") when not given.
CLI::Option* add_repo_option(CLI::App& command, std::string& repo);

// --data-dir=DIR (required), bound to `data_dir`: a node's data directory
// (its node.data-dir), which holds the store troupe.db.
CLI::Option* add_data_dir_option(CLI::App& command, std::string& data_dir);

}  // namespace troupe::cli
