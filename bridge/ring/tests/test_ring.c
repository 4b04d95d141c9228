/* Deterministic edge cases of the C ring: empty, full, wrap with padding, maximum size,
 * zero-length payloads, reservation errors, batch publication, doorbell flags, 64-bit
 * position wrap. Run under ASan and UBSan. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../ring.h"
#include "bt.h"
#include "fixture.h"

#define TYPE_A (BP_RECORD_TYPE_MESSAGE_FIRST + 1u)
#define TYPE_B (BP_RECORD_TYPE_MESSAGE_FIRST + 2u)

static uint64_t control_p(const bt_fixture *p_f) {
	return atomic_load(&p_f->control->producer_position);
}

static uint64_t control_c(const bt_fixture *p_f) {
	return atomic_load(&p_f->control->consumer_position);
}

/* Write one patterned record and publish it. */
static bp_status put(bt_fixture *p_f, uint32_t p_seq, uint32_t p_length) {
	void *at = NULL;
	bp_status status = br_producer_reserve(&p_f->producer, p_length, &at);
	if (status != BP_STATUS_OK) {
		return status;
	}
	bt_fill((uint8_t *)at, p_seq, p_length);
	status = br_producer_commit(&p_f->producer, TYPE_A, p_length);
	br_producer_publish(&p_f->producer);
	return status;
}

/* Read one record, check its pattern, advance (no publish). */
static int take(bt_fixture *p_f, uint32_t p_seq, uint32_t p_length) {
	br_record record;
	if (br_consumer_peek(&p_f->consumer, &record) != BP_STATUS_OK) {
		return 0;
	}
	int ok = record.length == p_length && record.type == TYPE_A && ((uintptr_t)record.payload % 8u) == 0 &&
			bt_matches(record.payload, p_seq, p_length);
	return br_consumer_advance(&p_f->consumer) == BP_STATUS_OK && ok;
}

static void test_attach_rejects_bad_capacity(void) {
	uint64_t control[128] = { 0 };
	uint64_t data[64] = { 0 };
	br_ring ring;
	BT_EQ(br_ring_attach(&ring, control, data, 0), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, control, data, 32), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, control, data, 96), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, control, data, (uint64_t)BP_RING_DATA_SIZE_MAX * 2u), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, NULL, data, 64), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, control, (uint8_t *)data + 4, 64), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_ring_attach(&ring, control, data, 64), BP_STATUS_OK);
	BT_EQ(ring.max_payload, 24);
}

static void test_max_payload_per_capacity(void) {
	BT_EQ(br_ring_max_payload(64), 24);
	BT_EQ(br_ring_max_payload(4096), 2040);
	BT_EQ(br_ring_max_payload(BP_RING_DATA_SIZE_MIN), BP_RECORD_MAX_PAYLOAD);
	BT_EQ(br_ring_max_payload(BP_RING_DATA_SIZE_DEFAULT), BP_RECORD_MAX_PAYLOAD);
}

static void test_empty(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_EMPTY);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_EMPTY);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_INVALID_STATE);
	BT_CHECK(!br_consumer_publish(&f.consumer));
	BT_CHECK(!br_producer_publish(&f.producer));
	BT_EQ(control_p(&f), 0);
	BT_EQ(control_c(&f), 0);
	bt_fixture_close(&f);
}

static void test_round_trip_in_order(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	const uint32_t lengths[] = { 1, 8, 13, 7 };
	for (uint32_t i = 0; i < 4; i++) {
		BT_EQ(put(&f, i, lengths[i]), BP_STATUS_OK);
	}
	BT_EQ(control_p(&f), 16 + 16 + 24 + 16);
	for (uint32_t i = 0; i < 4; i++) {
		BT_CHECK(take(&f, i, lengths[i]));
	}
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_EMPTY);
	bt_fixture_close(&f);
}

static void test_zero_length_payload(void) {
	bt_fixture f;
	bt_fixture_open(&f, 64, 0);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 0, &at), BP_STATUS_OK);
	BT_EQ(br_producer_commit(&f.producer, TYPE_B, 0), BP_STATUS_OK);
	BT_EQ(br_producer_write(&f.producer, TYPE_A, NULL, 0), BP_STATUS_OK);
	br_producer_publish(&f.producer);
	BT_EQ(control_p(&f), 16);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_EQ(record.length, 0);
	BT_EQ(record.type, TYPE_B);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_OK);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_EQ(record.type, TYPE_A);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_OK);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_EMPTY);
	bt_fixture_close(&f);
}

static void test_peek_is_idempotent(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	BT_EQ(put(&f, 1, 5), BP_STATUS_OK);
	BT_EQ(put(&f, 2, 9), BP_STATUS_OK);
	br_record first;
	br_record again;
	BT_EQ(br_consumer_peek(&f.consumer, &first), BP_STATUS_OK);
	BT_EQ(br_consumer_peek(&f.consumer, &again), BP_STATUS_OK);
	BT_CHECK(first.payload == again.payload && first.length == again.length);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_OK);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_INVALID_STATE);
	BT_CHECK(take(&f, 2, 9));
	bt_fixture_close(&f);
}

static void test_commit_errors(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	void *at = NULL;
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 0), BP_STATUS_INVALID_STATE);
	BT_EQ(br_producer_reserve(&f.producer, 16, &at), BP_STATUS_OK);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 17), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_producer_commit(&f.producer, BP_RECORD_TYPE_INVALID, 16), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_producer_commit(&f.producer, BP_RECORD_TYPE_PADDING, 16), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_producer_commit(&f.producer, BP_RECORD_TYPE_MAX + 1u, 16), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_producer_commit(&f.producer, BP_RECORD_TYPE_MAX, 16), BP_STATUS_OK);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 16), BP_STATUS_INVALID_STATE);
	BT_EQ(br_producer_reserve(&f.producer, 8, NULL), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_producer_write(&f.producer, TYPE_A, NULL, 3), BP_STATUS_INVALID_ARGUMENT);
	bt_fixture_close(&f);
}

static void test_commit_shorter_than_reserved(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 100, &at), BP_STATUS_OK);
	bt_fill((uint8_t *)at, 7, 10);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 10), BP_STATUS_OK);
	br_producer_publish(&f.producer);
	BT_EQ(control_p(&f), 8 + 16);
	BT_CHECK(take(&f, 7, 10));
	bt_fixture_close(&f);
}

static void test_reserve_larger_than_max(void) {
	bt_fixture f;
	bt_fixture_open(&f, 4096, 0);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 2041, &at), BP_STATUS_TOO_LARGE);
	BT_EQ(br_producer_reserve(&f.producer, UINT32_MAX, &at), BP_STATUS_TOO_LARGE);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 0), BP_STATUS_INVALID_STATE);
	BT_EQ(put(&f, 3, 2040), BP_STATUS_OK);
	BT_CHECK(take(&f, 3, 2040));
	bt_fixture_close(&f);
}

static void test_maximum_record_in_default_ring(void) {
	bt_fixture f;
	bt_fixture_open(&f, BP_RING_DATA_SIZE_DEFAULT, 0);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, BP_RECORD_MAX_PAYLOAD + 1u, &at), BP_STATUS_TOO_LARGE);
	/* Fill past the wrap with maximum records: several need padding. */
	uint32_t produced = 0;
	uint32_t consumed = 0;
	for (uint32_t round = 0; round < 40; round++) {
		while (put(&f, produced, BP_RECORD_MAX_PAYLOAD) == BP_STATUS_OK) {
			produced++;
		}
		BT_CHECK(take(&f, consumed, BP_RECORD_MAX_PAYLOAD));
		consumed++;
		br_consumer_publish(&f.consumer);
	}
	while (consumed < produced) {
		BT_CHECK(take(&f, consumed, BP_RECORD_MAX_PAYLOAD));
		consumed++;
	}
	BT_CHECK(produced > 40);
	BT_CHECK(control_p(&f) > 2ull * BP_RING_DATA_SIZE_DEFAULT);
	bt_fixture_close(&f);
}

static void test_full_until_consumer_publishes(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	for (uint32_t i = 0; i < 8; i++) {
		BT_EQ(put(&f, i, 24), BP_STATUS_OK);
	}
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 0, &at), BP_STATUS_FULL);
	BT_CHECK(take(&f, 0, 24));
	BT_EQ(br_producer_reserve(&f.producer, 0, &at), BP_STATUS_FULL); /* not published yet */
	BT_CHECK(!br_consumer_publish(&f.consumer));
	BT_EQ(control_c(&f), 32);
	BT_EQ(put(&f, 8, 24), BP_STATUS_OK);
	BT_EQ(br_producer_reserve(&f.producer, 0, &at), BP_STATUS_FULL);
	for (uint32_t i = 1; i <= 8; i++) {
		BT_CHECK(take(&f, i, 24));
	}
	bt_fixture_close(&f);
}

static void test_consumer_publishes_once_per_batch(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	for (uint32_t i = 0; i < 5; i++) {
		BT_EQ(put(&f, i, 4), BP_STATUS_OK);
	}
	for (uint32_t i = 0; i < 5; i++) {
		BT_CHECK(take(&f, i, 4));
		BT_EQ(control_c(&f), 0);
	}
	BT_CHECK(!br_consumer_publish(&f.consumer));
	BT_EQ(control_c(&f), 5 * 16);
	BT_CHECK(!br_consumer_publish(&f.consumer));
	bt_fixture_close(&f);
}

/* Two 96-byte records written, read and published: P = C = 192 in a 256-byte ring. */
static void advance_to_192(bt_fixture *p_f) {
	BT_EQ(put(p_f, 100, 88), BP_STATUS_OK);
	BT_EQ(put(p_f, 101, 88), BP_STATUS_OK);
	BT_CHECK(take(p_f, 100, 88));
	BT_CHECK(take(p_f, 101, 88));
	br_consumer_publish(&p_f->consumer);
	BT_EQ(control_c(p_f), 192);
}

static void test_wrap_writes_padding_record(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	advance_to_192(&f);
	BT_EQ(put(&f, 1, 100), BP_STATUS_OK); /* 112 bytes > 64 left: padding [192, 256) */
	const uint32_t *words = (const uint32_t *)(const void *)(f.data + 192);
	BT_EQ(words[0], 64 - 8);
	BT_EQ(words[1], BP_RECORD_TYPE_PADDING);
	BT_EQ(control_p(&f), 192 + 64 + 112);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_CHECK(record.payload == f.data + 8);
	BT_CHECK(take(&f, 1, 100));
	BT_CHECK(!br_consumer_publish(&f.consumer));
	BT_EQ(control_c(&f), 368);
	bt_fixture_close(&f);
}

static void test_exact_fit_at_end_needs_no_padding(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	advance_to_192(&f);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 56, &at), BP_STATUS_OK);
	BT_CHECK((uint8_t *)at == f.data + 192 + 8);
	bt_fill((uint8_t *)at, 1, 56);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 56), BP_STATUS_OK);
	br_producer_publish(&f.producer);
	BT_EQ(control_p(&f), 256);
	BT_CHECK(take(&f, 1, 56));
	BT_EQ(put(&f, 2, 3), BP_STATUS_OK);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_CHECK(record.payload == f.data + 8);
	bt_fixture_close(&f);
}

static void test_padding_counts_against_free_space(void) {
	bt_fixture f;
	bt_fixture_open(&f, 512, 0); /* max payload 248: records of 256 bytes */
	for (uint32_t i = 0; i < 3; i++) {
		BT_EQ(put(&f, i, 72), BP_STATUS_OK); /* 80 bytes each */
		BT_CHECK(take(&f, i, 72));
	}
	br_consumer_publish(&f.consumer); /* C = 240 */
	for (uint32_t i = 3; i < 6; i++) {
		BT_EQ(put(&f, i, 72), BP_STATUS_OK); /* P = 480, 240 bytes unread */
	}
	void *at = NULL;
	/* free = 272 >= 256, but 32 bytes of padding + 256 = 288 do not fit. */
	BT_EQ(br_producer_reserve(&f.producer, 248, &at), BP_STATUS_FULL);
	BT_EQ(br_producer_reserve(&f.producer, 16, &at), BP_STATUS_OK); /* 24 bytes fit before the end */
	BT_CHECK(take(&f, 3, 72));
	br_consumer_publish(&f.consumer);
	BT_EQ(br_producer_reserve(&f.producer, 248, &at), BP_STATUS_OK);
	BT_CHECK((uint8_t *)at == f.data + 8);
	bt_fill((uint8_t *)at, 6, 248);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 248), BP_STATUS_OK);
	br_producer_publish(&f.producer);
	BT_CHECK(take(&f, 4, 72));
	BT_CHECK(take(&f, 5, 72));
	BT_CHECK(take(&f, 6, 248));
	bt_fixture_close(&f);
}

static void test_consumer_doorbell_flag(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	BT_CHECK(br_consumer_prepare_sleep(&f.consumer));
	BT_EQ(atomic_load(&f.control->consumer_sleeping), 1);
	BT_EQ(put(&f, 0, 1), BP_STATUS_OK); /* put publishes; check the claim directly */
	BT_EQ(atomic_load(&f.control->consumer_sleeping), 0);
	BT_CHECK(br_producer_write(&f.producer, TYPE_A, "x", 1) == BP_STATUS_OK);
	BT_CHECK(!br_producer_publish(&f.producer)); /* already claimed: ring once per sleep */
	br_consumer_end_sleep(&f.consumer);
	BT_CHECK(!br_consumer_prepare_sleep(&f.consumer)); /* records are waiting */
	BT_EQ(atomic_load(&f.control->consumer_sleeping), 0);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_OK);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_OK);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_OK);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_EMPTY);
	BT_CHECK(!br_consumer_prepare_sleep(&f.consumer)); /* progress not published */
	br_consumer_publish(&f.consumer);
	BT_CHECK(br_consumer_prepare_sleep(&f.consumer));
	BT_CHECK(br_producer_write(&f.producer, TYPE_A, "y", 1) == BP_STATUS_OK);
	BT_CHECK(br_producer_publish(&f.producer)); /* the producer claims the wakeup */
	BT_EQ(atomic_load(&f.control->consumer_sleeping), 0);
	bt_fixture_close(&f);
}

static void test_producer_doorbell_flag(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	BT_CHECK(!br_producer_prepare_wait(&f.producer, 24)); /* space available */
	BT_EQ(atomic_load(&f.control->producer_waiting), 0);
	for (uint32_t i = 0; i < 8; i++) {
		BT_EQ(put(&f, i, 24), BP_STATUS_OK);
	}
	BT_CHECK(br_producer_prepare_wait(&f.producer, 24));
	BT_EQ(atomic_load(&f.control->producer_waiting), 1);
	BT_CHECK(take(&f, 0, 24));
	BT_CHECK(br_consumer_publish(&f.consumer)); /* claims the producer's wakeup */
	BT_EQ(atomic_load(&f.control->producer_waiting), 0);
	br_producer_end_wait(&f.producer);
	void *at = NULL;
	BT_EQ(br_producer_reserve(&f.producer, 24, &at), BP_STATUS_OK);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 24), BP_STATUS_OK);
	BT_CHECK(!br_producer_prepare_wait(&f.producer, 24)); /* unpublished records */
	bt_fixture_close(&f);
}

static void test_heartbeat(void) {
	bt_fixture f;
	bt_fixture_open(&f, 64, 0);
	BT_EQ(br_producer_consumer_heartbeat(&f.producer), 0);
	br_consumer_heartbeat(&f.consumer, 123456789ull);
	BT_EQ(br_producer_consumer_heartbeat(&f.producer), 123456789ull);
	bt_fixture_close(&f);
}

static void test_positions_cross_2_pow_64(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, UINT64_MAX - 255u);
	uint32_t seed = 12345;
	uint32_t produced = 0;
	uint32_t consumed = 0;
	uint32_t lengths[512];
	while (consumed < 300) {
		seed = seed * 1103515245u + 12345u;
		uint32_t length = (seed >> 16) % 121u;
		if (produced < 512 && put(&f, produced, length) == BP_STATUS_OK) {
			lengths[produced++] = length;
			continue;
		}
		BT_CHECK(take(&f, consumed, lengths[consumed]));
		consumed++;
		br_consumer_publish(&f.consumer);
	}
	BT_CHECK(control_p(&f) < 1000000u); /* wrapped past zero */
	bt_fixture_close(&f);
}

static void test_corrupt_producer_position_is_sticky(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	br_record record;
	atomic_store(&f.control->producer_position, 4); /* misaligned */
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_POSITION);
	atomic_store(&f.control->producer_position, 0);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_POSITION);
	BT_EQ(br_consumer_advance(&f.consumer), BP_STATUS_CORRUPT_POSITION);
	BT_CHECK(!br_consumer_prepare_sleep(&f.consumer));
	bt_fixture_close(&f);

	bt_fixture_open(&f, 256, 0);
	atomic_store(&f.control->producer_position, 264); /* beyond capacity */
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_POSITION);
	bt_fixture_close(&f);

	bt_fixture_open(&f, 256, 0);
	BT_EQ(put(&f, 0, 8), BP_STATUS_OK);
	BT_CHECK(take(&f, 0, 8));
	atomic_store(&f.control->producer_position, 8); /* went backwards */
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_POSITION);
	bt_fixture_close(&f);
}

static void test_corrupt_consumer_position_is_sticky(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	for (uint32_t i = 0; i < 8; i++) {
		BT_EQ(put(&f, i, 24), BP_STATUS_OK);
	}
	void *at = NULL;
	atomic_store(&f.control->consumer_position, 264); /* ahead of P */
	BT_EQ(br_producer_reserve(&f.producer, 8, &at), BP_STATUS_CORRUPT_POSITION);
	atomic_store(&f.control->consumer_position, 32);
	BT_EQ(br_producer_reserve(&f.producer, 8, &at), BP_STATUS_CORRUPT_POSITION);
	BT_EQ(br_producer_commit(&f.producer, TYPE_A, 0), BP_STATUS_CORRUPT_POSITION);
	bt_fixture_close(&f);
}

static void test_record_beyond_producer_is_truncated(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	uint32_t *words = (uint32_t *)(void *)f.data;
	words[0] = 100;
	words[1] = TYPE_A;
	atomic_store(&f.control->producer_position, 16);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_TRUNCATED_RECORD);
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_TRUNCATED_RECORD);
	bt_fixture_close(&f);
}

static void test_record_longer_than_max_is_corrupt(void) {
	bt_fixture f;
	bt_fixture_open(&f, 4096, 0); /* max payload 2040 */
	uint32_t *words = (uint32_t *)(void *)f.data;
	words[0] = 2041; /* fits the data area and the published bytes, but is above the maximum */
	words[1] = TYPE_A;
	atomic_store(&f.control->producer_position, 2056);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_RECORD);
	bt_fixture_close(&f);
}

static void test_bad_padding_is_corrupt(void) {
	bt_fixture f;
	bt_fixture_open(&f, 256, 0);
	uint32_t *words = (uint32_t *)(void *)f.data;
	words[0] = 100; /* padding must run exactly to the end: 248 */
	words[1] = BP_RECORD_TYPE_PADDING;
	atomic_store(&f.control->producer_position, 256);
	br_record record;
	BT_EQ(br_consumer_peek(&f.consumer, &record), BP_STATUS_CORRUPT_RECORD);
	bt_fixture_close(&f);
}

int main(void) {
	BT_RUN(test_attach_rejects_bad_capacity);
	BT_RUN(test_max_payload_per_capacity);
	BT_RUN(test_empty);
	BT_RUN(test_round_trip_in_order);
	BT_RUN(test_zero_length_payload);
	BT_RUN(test_peek_is_idempotent);
	BT_RUN(test_commit_errors);
	BT_RUN(test_commit_shorter_than_reserved);
	BT_RUN(test_reserve_larger_than_max);
	BT_RUN(test_maximum_record_in_default_ring);
	BT_RUN(test_full_until_consumer_publishes);
	BT_RUN(test_consumer_publishes_once_per_batch);
	BT_RUN(test_wrap_writes_padding_record);
	BT_RUN(test_exact_fit_at_end_needs_no_padding);
	BT_RUN(test_padding_counts_against_free_space);
	BT_RUN(test_consumer_doorbell_flag);
	BT_RUN(test_producer_doorbell_flag);
	BT_RUN(test_heartbeat);
	BT_RUN(test_positions_cross_2_pow_64);
	BT_RUN(test_corrupt_producer_position_is_sticky);
	BT_RUN(test_corrupt_consumer_position_is_sticky);
	BT_RUN(test_record_beyond_producer_is_truncated);
	BT_RUN(test_record_longer_than_max_is_corrupt);
	BT_RUN(test_bad_padding_is_corrupt);
	return bt_finish();
}
