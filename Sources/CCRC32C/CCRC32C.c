// Hardware CRC-32C (Castagnoli) for Swift callers: the SSE4.2 `crc32` instruction on x86-64, chosen at
// run time by CPUID. Other CPUs report "unavailable" and the Swift slice-by-8 table is used instead.
#include "CCRC32C.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <pthread.h>

static int detect(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}

int ccrc32c_hardware_available(void) {
    static volatile int cached = -1;  // benign race: every thread computes the same answer
    int value = cached;
    if (value < 0) {
        value = detect();
        cached = value;
    }
    return value;
}

// Three independent crc32 chains run over three adjacent blocks (the instruction has 3-cycle latency but
// 1-cycle throughput), then the chains are joined: crc(A‖B) = shift(crc(A), |B|) ^ crc₀(B), where
// shift(c, n) is the CRC register after n zero bytes — linear in c, so a 4×256 table per block length
// (Mark Adler's method, as in his crc32c.c).
#define CCRC32C_POLY 0x82f63b78u
#define CCRC32C_LONG 2048
#define CCRC32C_SHORT 256

static uint32_t long_shift[4][256];
static uint32_t short_shift[4][256];
static pthread_once_t shift_once = PTHREAD_ONCE_INIT;

static uint32_t gf2_matrix_times(const uint32_t *mat, uint32_t vec) {
    uint32_t sum = 0;
    while (vec) {
        if (vec & 1) sum ^= *mat;
        vec >>= 1;
        mat++;
    }
    return sum;
}

static void gf2_matrix_square(uint32_t *square, const uint32_t *mat) {
    for (int n = 0; n < 32; n++) square[n] = gf2_matrix_times(mat, mat[n]);
}

// The operator (32×32 GF(2) matrix) that feeds `len` zero bytes into a CRC register.
static void zeros_op(uint32_t *even, size_t len) {
    uint32_t odd[32];
    odd[0] = CCRC32C_POLY;  // one zero bit
    uint32_t row = 1;
    for (int n = 1; n < 32; n++) {
        odd[n] = row;
        row <<= 1;
    }
    gf2_matrix_square(even, odd);  // two zero bits
    gf2_matrix_square(odd, even);  // four zero bits
    // Square from one zero byte (eight bits) on: len is a power of two here, so repeated squaring.
    do {
        gf2_matrix_square(even, odd);
        len >>= 1;
        if (len == 0) return;
        gf2_matrix_square(odd, even);
        len >>= 1;
    } while (len);
    for (int n = 0; n < 32; n++) even[n] = odd[n];
}

static void make_shift_table(uint32_t table[4][256], size_t len) {
    uint32_t op[32];
    zeros_op(op, len);
    for (uint32_t n = 0; n < 256; n++) {
        table[0][n] = gf2_matrix_times(op, n);
        table[1][n] = gf2_matrix_times(op, n << 8);
        table[2][n] = gf2_matrix_times(op, n << 16);
        table[3][n] = gf2_matrix_times(op, n << 24);
    }
}

static void init_shift_tables(void) {
    make_shift_table(long_shift, CCRC32C_LONG);
    make_shift_table(short_shift, CCRC32C_SHORT);
}

static inline uint64_t shift(uint32_t table[4][256], uint64_t crc) {
    return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff] ^ table[2][(crc >> 16) & 0xff] ^ table[3][(crc >> 24) & 0xff];
}

__attribute__((target("sse4.2")))
static inline uint64_t crc_words(uint64_t c, const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return __builtin_ia32_crc32di(c, w);
}

__attribute__((target("sse4.2")))
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t c0 = crc;
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        length--;
    }
    if (length >= 3 * CCRC32C_SHORT) {
        pthread_once(&shift_once, init_shift_tables);
        while (length >= 3 * CCRC32C_LONG) {
            uint64_t c1 = 0, c2 = 0;
            const unsigned char *end = p + CCRC32C_LONG;
            do {
                c0 = crc_words(c0, p);
                c1 = crc_words(c1, p + CCRC32C_LONG);
                c2 = crc_words(c2, p + 2 * CCRC32C_LONG);
                p += 8;
            } while (p < end);
            c0 = shift(long_shift, c0) ^ c1;
            c0 = shift(long_shift, c0) ^ c2;
            p += 2 * CCRC32C_LONG;
            length -= 3 * CCRC32C_LONG;
        }
        while (length >= 3 * CCRC32C_SHORT) {
            uint64_t c1 = 0, c2 = 0;
            const unsigned char *end = p + CCRC32C_SHORT;
            do {
                c0 = crc_words(c0, p);
                c1 = crc_words(c1, p + CCRC32C_SHORT);
                c2 = crc_words(c2, p + 2 * CCRC32C_SHORT);
                p += 8;
            } while (p < end);
            c0 = shift(short_shift, c0) ^ c1;
            c0 = shift(short_shift, c0) ^ c2;
            p += 2 * CCRC32C_SHORT;
            length -= 3 * CCRC32C_SHORT;
        }
    }
    while (length >= 8) {
        c0 = crc_words(c0, p);
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        length--;
    }
    return (uint32_t)c0;
}

#else

int ccrc32c_hardware_available(void) { return 0; }

uint32_t ccrc32c_hardware_update(uint32_t crc, const void *data, size_t length) {
    (void)data;
    (void)length;
    return crc;  // never called: callers check ccrc32c_hardware_available() first
}

#endif
