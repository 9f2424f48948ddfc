#include "runtime/app/cli/options.hpp"

#include <iostream>

namespace troupe::cli {

CLI::Option* add_api_options(CLI::App& command, api_options& o, bool server_required) {
  auto* server = command.add_option(
      "--server", o.server,
      "the node's HTTP API, http://HOST:PORT or https://HOST:PORT (its http.listen)");
  server->type_name("URL")->required(server_required);
  command
      .add_option("--token-file", o.token_file,
                  "a file holding one API token (a line of the node's http.token-file)")
      ->type_name("FILE");
  command
      .add_option("--ca-file", o.ca_file,
                  "https: the CA that signed the node's certificate (default: the "
                  "system's CAs)")
      ->type_name("FILE");
  auto* cert =
      command.add_option("--cert", o.cert_file,
                         "https: a client certificate (PEM) for a node that asks "
                         "for one (http.tls-client-ca)");
  auto* key =
      command.add_option("--key", o.key_file, "https: the client certificate's key");
  cert->type_name("FILE")->needs(key);
  key->type_name("FILE")->needs(cert);
  return server;
}

std::unique_ptr<api_client> connect(const api_options& o, std::chrono::seconds timeout,
                                    const std::string& who) {
  http_client_options tls;
  tls.ca_file = o.ca_file;
  tls.cert_file = o.cert_file;
  tls.key_file = o.key_file;
  auto client = api_client::make(o.server, o.token_file, timeout, std::move(tls));
  if (!client)
    return std::cerr << who << ": " << client.error().message() << "\n", nullptr;
  return std::move(*client);
}

CLI::Option* add_repo_option(CLI::App& command, std::string& repo) {
  return command.add_option("--repo", repo, "the git repository to read commits from")
      ->type_name("DIR")
      ->capture_default_str();
}

CLI::Option* add_data_dir_option(CLI::App& command, std::string& data_dir) {
  return command
      .add_option("--data-dir", data_dir,
                  "the node's data directory (node.data-dir), holding troupe.db")
      ->type_name("DIR")
      ->required();
}

}  // namespace troupe::cli
