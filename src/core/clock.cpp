#include "core/clock.hpp"

namespace jack::core {

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace jack::core
