// status and result<T>: troupe's error values for code that does not speak CAF
// (services in runtime/ and the pure logic under actors/). In the spirit of
// LevelDB's Status: errors are values, carried by early returns; no exception
// crosses an interface. Messages name the place (file:line, JSON path, key).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace troupe {

class status {
 public:
  status() = default;
  static status ok() { return {}; }
  static status error(std::string message) {
    status s;
    s.message_ = std::move(message);
    return s;
  }
  // A resource failed (disk full, I/O error, read-only file system, no
  // permission): not the request's fault, and the same request may succeed
  // once the operator fixed the resource. As LevelDB's Status::IOError.
  static status io_error(std::string message) {
    status s = error(std::move(message));
    s.io_ = true;
    return s;
  }

  bool is_ok() const { return !message_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  bool is_io_error() const { return io_; }
  // The error text; empty for ok().
  const std::string& message() const {
    static const std::string empty;
    return message_ ? *message_ : empty;
  }
  // This error with `context` put before its message, of the same kind;
  // ok() stays ok().
  status within(const std::string& context) const {
    if (is_ok()) return *this;
    status s = error(context + message());
    s.io_ = io_;
    return s;
  }

 private:
  std::optional<std::string> message_;
  bool io_ = false;
};

// Either a value or an error status. Construct from a T or from status::error.
template <class T>
class result {
 public:
  result(T value) : data_(std::move(value)) {}
  result(status error) : data_(std::move(error)) {}

  bool is_ok() const { return data_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // The error; status::ok() when a value is held.
  status error() const { return is_ok() ? status::ok() : std::get<1>(data_); }

 private:
  std::variant<T, status> data_;
};

}  // namespace troupe
