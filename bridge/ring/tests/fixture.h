/* A ring on heap memory sized exactly (so ASan reports any access outside it), with one
 * producer and one consumer attached. */
#ifndef BRIDGE_FIXTURE_H
#define BRIDGE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "../ring.h"

typedef struct bt_fixture {
	bp_ring_control *control;
	uint8_t *data;
	br_ring ring;
	br_producer producer;
	br_consumer consumer;
} bt_fixture;

static inline void bt_fixture_open(bt_fixture *r_fixture, uint32_t p_capacity, uint64_t p_start) {
	memset(r_fixture, 0, sizeof(*r_fixture));
	r_fixture->control = (bp_ring_control *)aligned_alloc(BP_CONTROL_BLOCK_SIZE, sizeof(bp_ring_control));
	r_fixture->data = (uint8_t *)malloc(p_capacity);
	if (r_fixture->control == NULL || r_fixture->data == NULL) {
		abort();
	}
	memset(r_fixture->control, 0, sizeof(bp_ring_control));
	memset(r_fixture->data, 0xEE, p_capacity);
	br_ring_format(r_fixture->control, p_start);
	if (br_ring_attach(&r_fixture->ring, r_fixture->control, r_fixture->data, p_capacity) != BP_STATUS_OK ||
			br_producer_init(&r_fixture->producer, &r_fixture->ring) != BP_STATUS_OK ||
			br_consumer_init(&r_fixture->consumer, &r_fixture->ring) != BP_STATUS_OK) {
		abort();
	}
}

static inline void bt_fixture_close(bt_fixture *p_fixture) {
	free(p_fixture->control);
	free(p_fixture->data);
	memset(p_fixture, 0, sizeof(*p_fixture));
}

/* Deterministic payload byte i of record p_seq. */
static inline uint8_t bt_pattern(uint32_t p_seq, uint32_t p_i) {
	uint32_t x = p_seq * 2654435761u ^ p_i * 2246822519u;
	x ^= x >> 15;
	return (uint8_t)(x * 3266489917u >> 24);
}

static inline void bt_fill(uint8_t *p_at, uint32_t p_seq, uint32_t p_length) {
	for (uint32_t i = 0; i < p_length; i++) {
		p_at[i] = bt_pattern(p_seq, i);
	}
}

static inline int bt_matches(const uint8_t *p_at, uint32_t p_seq, uint32_t p_length) {
	for (uint32_t i = 0; i < p_length; i++) {
		if (p_at[i] != bt_pattern(p_seq, i)) {
			return 0;
		}
	}
	return 1;
}

#endif /* BRIDGE_FIXTURE_H */
