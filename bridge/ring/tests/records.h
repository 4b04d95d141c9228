/* Stress records, identical to bridge/node/stress-records.ts: record seq's length, type and
 * every payload byte derive from (seed, seq), so the consumer recomputes and compares all of
 * them (loss, reordering, duplication and any changed byte show). Each payload of 8+ bytes
 * starts with a stamp (seq, length ^ 0xA5A5A5A5) and each of 12+ bytes ends with a guard
 * word (0x5AFEC0DE ^ seq). Every 4096th record has the maximum length, the next one 0. */
#ifndef BRIDGE_RECORDS_H
#define BRIDGE_RECORDS_H

#include <stdint.h>
#include <string.h>

#include "../../protocol/bridge_protocol.h"

static inline uint32_t sr_mix(uint32_t p_x) {
	p_x ^= p_x >> 16;
	p_x *= 0x7feb352du;
	p_x ^= p_x >> 15;
	p_x *= 0x846ca68bu;
	p_x ^= p_x >> 16;
	return p_x;
}

static inline uint32_t sr_key(uint32_t p_seed, uint32_t p_seq) {
	return sr_mix(p_seed ^ (p_seq * 0x9E3779B1u));
}

static inline uint32_t sr_length(uint32_t p_seed, uint32_t p_seq, uint32_t p_max) {
	if (p_seq % 4096u == 1u) {
		return p_max;
	}
	if (p_seq % 4096u == 2u) {
		return 0;
	}
	uint32_t key = sr_key(p_seed, p_seq);
	uint32_t r = key % 1000u;
	uint32_t v = sr_mix(key ^ 0x5bd1e995u);
	if (r < 700u) {
		return v % 257u;
	}
	if (r < 950u) {
		return v % 2049u;
	}
	if (r < 999u) {
		return v % 16385u;
	}
	return v % (p_max + 1u);
}

static inline uint32_t sr_type(uint32_t p_seed, uint32_t p_seq) {
	return BP_RECORD_TYPE_MESSAGE_FIRST + sr_mix(sr_key(p_seed, p_seq) ^ 0x27d4eb2fu) % 1000u;
}

static inline uint32_t sr_word(uint32_t p_key, uint32_t p_j) {
	return sr_mix(p_key + p_j * 0x9E3779B1u);
}

static inline void sr_put32(uint8_t *p_at, uint32_t p_value) {
	memcpy(p_at, &p_value, 4); /* little-endian (asserted by the protocol header) */
}

static inline uint32_t sr_get32(const uint8_t *p_at) {
	uint32_t value;
	memcpy(&value, p_at, 4);
	return value;
}

static inline void sr_fill(uint32_t p_seed, uint32_t p_seq, uint8_t *p_out, uint32_t p_length) {
	uint32_t key = sr_key(p_seed, p_seq);
	uint32_t full = p_length >> 2;
	for (uint32_t j = 0; j < full; j++) {
		sr_put32(p_out + 4u * j, sr_word(key, j));
	}
	if ((p_length & 3u) != 0) {
		uint32_t w = sr_word(key, full);
		for (uint32_t b = 0; b < (p_length & 3u); b++) {
			p_out[4u * full + b] = (uint8_t)(w >> (8u * b));
		}
	}
	if (p_length >= 8u) {
		sr_put32(p_out, p_seq);
		sr_put32(p_out + 4, p_length ^ 0xA5A5A5A5u);
	}
	if (p_length >= 12u) {
		sr_put32(p_out + p_length - 4u, 0x5AFEC0DEu ^ p_seq);
	}
}

static inline uint8_t sr_expected_byte(uint32_t p_key, uint32_t p_seq, uint32_t p_length, uint32_t p_i) {
	uint32_t w;
	uint32_t shift;
	if (p_length >= 8u && p_i < 8u) {
		w = p_i < 4u ? p_seq : (p_length ^ 0xA5A5A5A5u);
		shift = p_i & 3u;
	} else if (p_length >= 12u && p_i >= p_length - 4u) {
		w = 0x5AFEC0DEu ^ p_seq;
		shift = p_i - (p_length - 4u);
	} else {
		w = sr_word(p_key, p_i >> 2);
		shift = p_i & 3u;
	}
	return (uint8_t)(w >> (8u * shift));
}

/* Index of the first wrong byte, or -1 if the payload is exactly record seq's. */
static inline int64_t sr_check(uint32_t p_seed, uint32_t p_seq, const uint8_t *p_in, uint32_t p_length) {
	uint32_t key = sr_key(p_seed, p_seq);
	uint32_t lo = p_length >= 8u ? 2u : 0u;
	uint32_t hi = p_length >= 12u ? (p_length - 4u) >> 2 : p_length >> 2;
	for (uint32_t j = lo; j < hi; j++) {
		if (sr_get32(p_in + 4u * j) != sr_word(key, j)) {
			for (uint32_t i = 4u * j;; i++) {
				if (p_in[i] != sr_expected_byte(key, p_seq, p_length, i)) {
					return (int64_t)i;
				}
			}
		}
	}
	for (uint32_t i = 0; i < p_length; i++) {
		if (i == 4u * lo && hi > lo) {
			i = 4u * hi; /* skip the words checked above */
			if (i >= p_length) {
				break;
			}
		}
		if (p_in[i] != sr_expected_byte(key, p_seq, p_length, i)) {
			return (int64_t)i;
		}
	}
	return -1;
}

#endif /* BRIDGE_RECORDS_H */
