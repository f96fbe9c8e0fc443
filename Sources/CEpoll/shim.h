#ifndef CLAIMSCRUB_CEPOLL_SHIM_H
#define CLAIMSCRUB_CEPOLL_SHIM_H
// Glibc's Swift module leaves out epoll and eventfd; the HTTP server's event loops need both.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
#endif
