#include "messages/fleet.hpp"

namespace troupe {

const char* to_string(transport_error x) {
  switch (x) {
    case transport_error::none:
      return "none";
    case transport_error::timeout:
      return "timeout";
    case transport_error::connection_refused:
      return "connection_refused";
    case transport_error::connection_reset:
      return "connection_reset";
    case transport_error::dns:
      return "dns";
    case transport_error::tls:
      return "tls";
    case transport_error::other:
      return "other";
  }
  return "?";
}

}  // namespace troupe
