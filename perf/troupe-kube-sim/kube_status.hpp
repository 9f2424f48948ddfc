// Kubernetes Status objects, the body of every failed API call:
//   {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
//    "message":"...","reason":"AlreadyExists","details":{...},"code":409}
#pragma once

#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/services/http/response.hpp"

namespace troupe::kube_sim {

// A Status failure with HTTP status `code`. `details` is an object (or null
// for none), e.g. {"name":"x","kind":"pods"} or {"retryAfterSeconds":1}.
http_response status_response(int code, std::string_view reason, std::string_view message,
                              json details = json());

// A 200/201 answer whose body is `object`.
http_response object_response(const json& object, int code = 200);

}  // namespace troupe::kube_sim
