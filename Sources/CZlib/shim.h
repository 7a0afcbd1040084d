// zlib (Debian's zlib1g-dev) for gzip-compressed record batches. inflateInit2 and deflateInit2 are macros, which
// Swift cannot call: each is wrapped in a one-line static inline function.
#ifndef KAFKALAB_CZLIB_SHIM_H
#define KAFKALAB_CZLIB_SHIM_H
#include <zlib.h>
static inline int kl_inflate_init2(z_stream *stream, int windowBits) { return inflateInit2(stream, windowBits); }
static inline int kl_deflate_init2(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
