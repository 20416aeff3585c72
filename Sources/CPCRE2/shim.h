#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
// Only the 8-bit library is used; this must precede the include.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros that Swift cannot import (casts in their definitions).
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }
static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

// Acquire/release access to a flag that says whether a pattern has been JIT-compiled (JIT on first
// use). Swift's own atomics (the Synchronization module) need macOS 15 on Apple platforms.
static inline int32_t cpcre2_load_acquire(const int32_t *flag) { return __atomic_load_n(flag, __ATOMIC_ACQUIRE); }
static inline void cpcre2_store_release(int32_t *flag, int32_t value) { __atomic_store_n(flag, value, __ATOMIC_RELEASE); }
#endif
