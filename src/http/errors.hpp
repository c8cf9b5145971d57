#pragma once

#include <string>

#include "core/result.hpp"
#include "http/request.hpp"

namespace jack::http {

// The one place that maps an Errc to an HTTP status and api.md's error body
// {"error": {"code", "message", "details"}}.
Response ErrorResponse(const Error& e);
// An error of the HTTP edge itself (405, 413, 415, 431) with its api.md code.
Response EdgeError(int status, const std::string& code, const std::string& message);
int StatusFor(Errc e);
const char* CodeFor(Errc e);

}  // namespace jack::http
