#include "runtime/services/http/client_url.hpp"

#include "runtime/services/http/listen_address.hpp"

namespace troupe {

namespace {

status url_error(std::string_view url, const std::string& what) {
  return status::error("url '" + std::string(url) + "': " + what);
}

}  // namespace

std::string http_url::origin() const {
  return std::string(tls ? "https://" : "http://") + format_host_port(host, port);
}

std::string http_url::host_header() const {
  if (port == (tls ? 443 : 80)) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  }
  return format_host_port(host, port);
}

result<http_url> parse_http_url(std::string_view url) {
  http_url out;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    out.tls = true;
    rest = url.substr(8);
  } else {
    return url_error(url, "expected http:// or https://");
  }
  const std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (out.target.find_first_of(" \r\n#") != std::string::npos) {
    return url_error(url, "the target has a space, a line break or a fragment");
  }
  if (authority.find('@') != std::string_view::npos) {
    return url_error(url, "user info is not supported");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return url_error(url, "unclosed '[' in the host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return url_error(url, "junk after the IPv6 host");
      port_text = after.substr(1);
      if (port_text.empty()) return url_error(url, "empty port");
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return url_error(url, "empty port");
    }
  }
  if (out.host.empty()) return url_error(url, "no host");
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return url_error(url, "bad port");
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return url_error(url, "bad port");
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

std::string url_encode_component(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace troupe
