/* Owned strings and UTF-8 validation for the client. No global state, no lock needed. */
#ifndef BRIDGE_WC_TEXT_H
#define BRIDGE_WC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A heap copy, always NUL-terminated (data may hold NULs before it); {NULL, 0} is empty. */
typedef struct wc_str {
	char *data;
	uint32_t length;
} wc_str;

/* Copy p_length bytes; false if out of memory (then *r_str is empty). */
bool wc_str_set(wc_str *r_str, const void *p_bytes, uint32_t p_length);
void wc_str_free(wc_str *p_str);
/* The bytes, or "" for an empty string: never NULL. */
const char *wc_str_c(const wc_str *p_str);

/* Strict UTF-8 as the WHATWG decoder with fatal: true accepts it (TextDecoder in the
 * facade): no overlong forms, no surrogates, nothing above U+10FFFF, no truncation. */
bool wc_utf8_valid(const uint8_t *p_bytes, size_t p_length);

#endif /* BRIDGE_WC_TEXT_H */
