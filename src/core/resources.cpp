#include "core/resources.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace jack::core {

void ReleaseResourcePages(std::string_view resource) {
  // The embedded bytes are read-only data of the executable's file mapping, so dropping their
  // pages loses nothing. Only whole pages inside the view are released.
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto begin = reinterpret_cast<uintptr_t>(resource.data());
  auto end = begin + resource.size();
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace jack::core
