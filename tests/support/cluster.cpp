#include "tests/support/cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.hpp"

namespace troupe::testing {

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("free_port: cannot bind");
  ::close(fd);
  return ntohs(addr.sin_port);
}

test_cluster::test_cluster(const std::string& prefix) : dir_(prefix), port_(free_port()) {
  secret_file_ = dir_.file("cluster-secret");
  std::ofstream(secret_file_) << secret() << "\n";
}

std::unique_ptr<node_process> test_cluster::coordinator(std::vector<std::string> extra) {
  std::vector<std::string> args{"--node.name=coordinator", "--node.role=coordinator",
                                "--cluster.listen=" + join_address(),
                                "--cluster.secret-file=" + secret_file_,
                                "--workflow.action-runners=0"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto dir = dir_.file("coordinator");
  ::mkdir(dir.c_str(), 0700);
  return std::make_unique<node_process>(args, dir);
}

std::unique_ptr<node_process> test_cluster::worker(const std::string& name,
                                                   std::vector<std::string> extra) {
  std::vector<std::string> args{"--node.name=" + name, "--node.role=worker",
                                "--cluster.join=" + join_address(),
                                "--cluster.secret-file=" + secret_file_};
  args.insert(args.end(), extra.begin(), extra.end());
  auto dir = dir_.file(name);
  ::mkdir(dir.c_str(), 0700);
  return std::make_unique<node_process>(args, dir);
}

namespace {

void openssl(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  child_process p(args, dir);
  auto rc = p.wait_exit(std::chrono::seconds(30));
  BOOST_REQUIRE_MESSAGE(rc && *rc == 0, "openssl failed: " + p.err());
}

}  // namespace

void make_ca(const std::string& dir, const std::string& ca) {
  openssl(dir, {"req",
                "-x509",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                ca + ".key",
                "-out",
                ca + ".crt",
                "-days",
                "30",
                "-subj",
                "/CN=" + ca,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"});
}

void make_leaf(const std::string& dir, const std::string& ca, const std::string& name) {
  std::ofstream(dir + "/leaf.ext")
      << "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage="
         "serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n";
  openssl(dir, {"req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name});
  openssl(dir, {"x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey",
                ca + ".key", "-CAcreateserial", "-days", "30", "-sha256", "-extfile",
                "leaf.ext", "-out", name + ".crt"});
}

std::vector<std::string> tls_args(const std::string& dir, const std::string& name,
                                  const std::string& ca) {
  return {"--openssl.certificate=" + dir + "/" + name + ".crt",
          "--openssl.key=" + dir + "/" + name + ".key",
          "--openssl.cafile=" + dir + "/" + ca + ".crt"};
}

json cluster_view(const std::string& http, std::int64_t since) {
  auto r =
      http_once(http, "GET",
                "/api/v1/cluster" + (since < 0 ? "" : "?since=" + std::to_string(since)));
  if (r.status != 200) throw std::runtime_error("GET /api/v1/cluster: " + r.body);
  auto v = json::parse(r.body);
  if (!v) throw std::runtime_error("GET /api/v1/cluster: not JSON: " + r.body);
  return *v;
}

std::string member_state(const json& view, const std::string& name) {
  for (auto& m : view["members"].items())
    if (m["node"]["name"] == json(name)) return std::string(m["state"].as_string());
  return "";
}

std::int64_t await_member(const std::string& http, const std::string& name,
                          const std::string& state, std::chrono::milliseconds limit) {
  auto start = std::chrono::steady_clock::now();
  auto view = cluster_view(http);
  while (std::chrono::steady_clock::now() - start < limit) {
    if (member_state(view, name) == state)
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start)
          .count();
    // The next change (a join, a member down), or the view again in 10 s.
    view = cluster_view(http, view["version"].as_int());
  }
  return -1;
}

}  // namespace troupe::testing
