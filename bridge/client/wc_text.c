#include "wc_text.h"

#include <stdlib.h>
#include <string.h>

bool wc_str_set(wc_str *r_str, const void *p_bytes, uint32_t p_length) {
	r_str->data = NULL;
	r_str->length = 0;
	char *copy = malloc((size_t)p_length + 1u);
	if (copy == NULL) {
		return false;
	}
	if (p_length != 0) {
		memcpy(copy, p_bytes, p_length);
	}
	copy[p_length] = '\0';
	r_str->data = copy;
	r_str->length = p_length;
	return true;
}

void wc_str_free(wc_str *p_str) {
	free(p_str->data);
	p_str->data = NULL;
	p_str->length = 0;
}

const char *wc_str_c(const wc_str *p_str) {
	return p_str->data != NULL ? p_str->data : "";
}

/* Unicode 15, table 3-7 (well-formed UTF-8 byte sequences). */
bool wc_utf8_valid(const uint8_t *p_bytes, size_t p_length) {
	size_t i = 0;
	while (i < p_length) {
		uint8_t b = p_bytes[i];
		if (b < 0x80u) {
			i++;
			continue;
		}
		size_t need;
		uint8_t lo = 0x80u;
		uint8_t hi = 0xBFu;
		if (b >= 0xC2u && b <= 0xDFu) {
			need = 1;
		} else if (b >= 0xE0u && b <= 0xEFu) {
			need = 2;
			if (b == 0xE0u) {
				lo = 0xA0u; /* no overlong */
			} else if (b == 0xEDu) {
				hi = 0x9Fu; /* no surrogates */
			}
		} else if (b >= 0xF0u && b <= 0xF4u) {
			need = 3;
			if (b == 0xF0u) {
				lo = 0x90u; /* no overlong */
			} else if (b == 0xF4u) {
				hi = 0x8Fu; /* <= U+10FFFF */
			}
		} else {
			return false;
		}
		if (p_length - i <= need) {
			return false;
		}
		uint8_t second = p_bytes[i + 1];
		if (second < lo || second > hi) {
			return false;
		}
		for (size_t k = 2; k <= need; k++) {
			if ((p_bytes[i + k] & 0xC0u) != 0x80u) {
				return false;
			}
		}
		i += need + 1;
	}
	return true;
}
