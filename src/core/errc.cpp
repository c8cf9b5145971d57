#include "core/errc.hpp"

namespace jack {

std::string_view ErrcName(Errc e) {
  switch (e) {
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::unauthorized:
      return "unauthorized";
    case Errc::forbidden:
      return "forbidden";
    case Errc::not_found:
      return "not_found";
    case Errc::conflict:
      return "conflict";
    case Errc::payload_too_large:
      return "payload_too_large";
    case Errc::rate_limited:
      return "rate_limited";
    case Errc::unavailable:
      return "unavailable";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace jack
