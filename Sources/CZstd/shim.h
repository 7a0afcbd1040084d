// zstd (Debian's libzstd-dev) for zstd-compressed record batches.
#ifndef KAFKALAB_CZSTD_SHIM_H
#define KAFKALAB_CZSTD_SHIM_H
#include <zstd.h>
#endif
