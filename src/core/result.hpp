#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/errc.hpp"

namespace jack {

struct FieldError {
  std::string path;
  std::string message;
};

// An expected failure. `fields` lists bad input fields (api.md `details.errors`);
// `details` carries extra named strings such as the missing permission.
struct Error {
  Errc code = Errc::internal;
  std::string message;
  std::vector<FieldError> fields;
  std::vector<std::pair<std::string, std::string>> details;
  int retry_after_seconds = 0;  // for rate_limited

  static Error Invalid(std::string msg, std::string path = {}) {
    Error e{Errc::invalid_argument, std::move(msg), {}, {}, 0};
    if (!path.empty()) e.fields.push_back({std::move(path), e.message});
    return e;
  }
  static Error NotFound(std::string msg) { return {Errc::not_found, std::move(msg), {}, {}, 0}; }
  static Error Conflict(std::string msg) { return {Errc::conflict, std::move(msg), {}, {}, 0}; }
  static Error Unauthorized(std::string msg) {
    return {Errc::unauthorized, std::move(msg), {}, {}, 0};
  }
  static Error Forbidden(std::string permission) {
    Error e{Errc::forbidden, "missing permission " + permission, {}, {}, 0};
    e.details.emplace_back("permission", std::move(permission));
    return e;
  }
  static Error Internal(std::string msg) { return {Errc::internal, std::move(msg), {}, {}, 0}; }
  static Error Unavailable(std::string msg) {
    return {Errc::unavailable, std::move(msg), {}, {}, 0};
  }
  static Error RateLimited(int retry_after) {
    return {Errc::rate_limited, "too many requests", {}, {}, retry_after};
  }
};

class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& e) : std::logic_error("bad result access: " + e.message) {}
};

// A value or an Error. Accessing the value of a failed result is a bug and throws.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) throw BadResultAccess(std::get<1>(v_));
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) throw BadResultAccess(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw BadResultAccess(std::get<1>(v_));
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  void value() const {
    if (e_) throw BadResultAccess(*e_);
  }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace jack

// Propagates a failed Result from the enclosing function.
#define JACK_TRY(expr)                                 \
  do {                                                 \
    auto&& jack_try_r_ = (expr);                       \
    if (!jack_try_r_.ok()) return jack_try_r_.error(); \
  } while (0)

#define JACK_CONCAT_INNER_(a, b) a##b
#define JACK_CONCAT_(a, b) JACK_CONCAT_INNER_(a, b)
// `JACK_TRY_ASSIGN(auto x, F());` declares (or assigns) x from F()'s value, or returns its
// error from the enclosing function.
#define JACK_TRY_ASSIGN(lhs, expr) \
  JACK_TRY_ASSIGN_IMPL_(JACK_CONCAT_(jack_try_v_, __LINE__), lhs, expr)
#define JACK_TRY_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.error();          \
  lhs = std::move(*tmp)
