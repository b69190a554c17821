// Gives freed heap back to the system after a page that read a province's records
// (reports, the duplicate scan). glibc keeps what each thread's arena freed, so
// without this the server's resident memory stays at the largest page's peak for
// the rest of its life. Elsewhere, nothing.
//
// Thread-safety: safe to call from any thread.
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sotay::server::web {

inline void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace sotay::server::web
