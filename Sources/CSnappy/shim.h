// Snappy's C API (Debian's libsnappy-dev) for snappy-compressed record batches.
#ifndef KAFKALAB_CSNAPPY_SHIM_H
#define KAFKALAB_CSNAPPY_SHIM_H
#include <snappy-c.h>
#endif
