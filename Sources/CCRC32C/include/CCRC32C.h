#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has a CRC-32C instruction this library can use (x86-64 SSE4.2), else 0.
/// The answer is computed once (CPUID) and cached.
int ccrc32c_hardware_available(void);

/// Feeds `length` bytes at `data` into a running CRC-32C state `crc` (pre-inverted, as in the
/// table-driven update: start from 0xFFFFFFFF and invert the result) using the CPU's CRC32
/// instruction. Must only be called when `ccrc32c_hardware_available()` returned 1.
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
