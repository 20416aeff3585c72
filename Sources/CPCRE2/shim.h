#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
// Only the 8-bit library is used; this must precede the include.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros that Swift cannot import (casts in their definitions).
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }
static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
#endif
