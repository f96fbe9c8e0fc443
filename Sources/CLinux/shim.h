#ifndef CLAIMSCRUB_CLINUX_SHIM_H
#define CLAIMSCRUB_CLINUX_SHIM_H
// Linux calls Glibc's Swift module leaves out: epoll and eventfd for the HTTP server's
// event loops, and naming the calling thread.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

// prctl is variadic, which Swift cannot call. Names over 15 bytes are truncated.
static inline int claimscrub_name_current_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}
#endif
#endif
