// LZ4's frame format (Debian's liblz4-dev) for lz4-compressed record batches.
#ifndef KAFKALAB_CLZ4_SHIM_H
#define KAFKALAB_CLZ4_SHIM_H
#include <lz4frame.h>
static inline unsigned kl_lz4f_version(void) { return LZ4F_VERSION; }
#endif
