#ifndef CLAIMSCRUB_CZLIB_SHIM_H
#define CLAIMSCRUB_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2/inflateInit2 are macros that Swift cannot call; these wrap them.
static inline int claimscrub_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int claimscrub_deflateInit2(z_streamp strm, int level, int method,
                                          int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
