/* Fuzz the C decoder (consumer) and the producer's view of the consumer with corrupted and
 * truncated records: random lengths and types, misaligned lengths, positions beyond the
 * producer or behind the consumer, flipped bytes. The ring under test sits in heap blocks of
 * exactly its size, so ASan reports any access outside them. Deterministic (seeded). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../ring.h"
#include "bt.h"
#include "fixture.h"

#define ITERATIONS 100000u
#define TYPE_A (BP_RECORD_TYPE_MESSAGE_FIRST + 5u)

static uint64_t fz_state = 0x9E3779B97F4A7C15ull;

static uint64_t fz_next(void) {
	/* splitmix64 */
	uint64_t z = (fz_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t fz_below(uint32_t p_bound) {
	return (uint32_t)(fz_next() % p_bound);
}

typedef struct fz_counts {
	uint32_t by_status[BP_STATUS_COUNT];
	uint32_t records;
} fz_counts;

/* Produce and consume a valid random stream so indexes and positions are arbitrary. */
static void fz_warm_up(bt_fixture *p_f) {
	uint32_t rounds = fz_below(12);
	for (uint32_t i = 0; i < rounds; i++) {
		uint32_t length = fz_below(p_f->ring.max_payload + 1u);
		void *at = NULL;
		if (br_producer_reserve(&p_f->producer, length, &at) == BP_STATUS_OK) {
			memset(at, (int)i, length);
			br_producer_commit(&p_f->producer, TYPE_A + fz_below(100), length);
			br_producer_publish(&p_f->producer);
		}
		if (fz_below(2) == 0) {
			br_record record;
			while (br_consumer_peek(&p_f->consumer, &record) == BP_STATUS_OK && fz_below(4) != 0) {
				br_consumer_advance(&p_f->consumer);
			}
			br_consumer_publish(&p_f->consumer);
		}
	}
}

static uint32_t fz_random_length(uint32_t p_max) {
	switch (fz_below(6)) {
		case 0: return (uint32_t)fz_next();
		case 1: return p_max + 1u + fz_below(16);
		case 2: return fz_below(p_max + 1u) | 1u; /* misaligned */
		case 3: return 0;
		default: return fz_below(p_max + 1u);
	}
}

static uint32_t fz_random_type(void) {
	switch (fz_below(5)) {
		case 0: return BP_RECORD_TYPE_INVALID;
		case 1: return BP_RECORD_TYPE_PADDING;
		case 2: return (uint32_t)fz_next();
		default: return TYPE_A;
	}
}

static void fz_corrupt(bt_fixture *p_f) {
	uint32_t capacity = p_f->ring.capacity;
	uint64_t p = atomic_load(&p_f->control->producer_position) & ~7ull; /* may be forged already */
	uint32_t kind = fz_below(6);
	if (kind == 0) { /* flip bytes anywhere in the data area */
		uint32_t n = 1 + fz_below(8);
		for (uint32_t i = 0; i < n; i++) {
			p_f->data[fz_below(capacity)] ^= (uint8_t)(1u << fz_below(8));
		}
	} else if (kind == 1) { /* forge a header at an aligned index */
		uint32_t *words = (uint32_t *)(void *)(p_f->data + fz_below(capacity / 8u) * 8u);
		words[0] = fz_random_length(p_f->ring.max_payload);
		words[1] = fz_random_type();
	} else if (kind == 2) { /* producer position: random, misaligned, far ahead, behind */
		uint64_t forged[4] = { fz_next(), p + 1u + fz_below(7), p + capacity + 8u * (1u + fz_below(4)), p - 8u };
		atomic_store(&p_f->control->producer_position, forged[fz_below(4)]);
	} else if (kind == 3) { /* truncate: publish a position in the middle of a record */
		uint32_t *words = (uint32_t *)(void *)(p_f->data + (uint32_t)(p & (capacity - 1u)));
		uint32_t room = capacity - (uint32_t)(p & (capacity - 1u));
		words[0] = fz_below(room);
		words[1] = TYPE_A;
		atomic_store(&p_f->control->producer_position, p + 8u * fz_below(room / 8u + 1u));
	} else if (kind == 4) { /* forge the header at the consumer's next record */
		uint64_t head = p_f->consumer.head;
		uint32_t *words = (uint32_t *)(void *)(p_f->data + (uint32_t)(head & (capacity - 1u)));
		words[0] = fz_random_length(capacity);
		words[1] = fz_random_type();
	} else { /* consumer position: random, misaligned, ahead of P, behind */
		uint64_t c = atomic_load(&p_f->control->consumer_position);
		uint64_t forged[4] = { fz_next(), c + 4u, p + 8u, c - 8u };
		atomic_store(&p_f->control->consumer_position, forged[fz_below(4)]);
	}
}

static int fz_consumer_status_ok(bp_status p_status) {
	return p_status == BP_STATUS_OK || p_status == BP_STATUS_EMPTY || p_status == BP_STATUS_CORRUPT_POSITION ||
			p_status == BP_STATUS_CORRUPT_RECORD || p_status == BP_STATUS_TRUNCATED_RECORD;
}

static int fz_producer_status_ok(bp_status p_status) {
	return p_status == BP_STATUS_OK || p_status == BP_STATUS_FULL || p_status == BP_STATUS_TOO_LARGE ||
			p_status == BP_STATUS_CORRUPT_POSITION;
}

static void fz_drain(bt_fixture *p_f, fz_counts *p_counts) {
	const uint8_t *begin = p_f->data;
	const uint8_t *end = p_f->data + p_f->ring.capacity;
	for (uint32_t steps = 0; steps < 64; steps++) {
		br_record record;
		bp_status status = br_consumer_peek(&p_f->consumer, &record);
		BT_CHECK(fz_consumer_status_ok(status));
		if (status != BP_STATUS_OK) {
			p_counts->by_status[status]++;
			if (status != BP_STATUS_EMPTY) {
				BT_EQ(br_consumer_peek(&p_f->consumer, &record), status); /* sticky */
				BT_CHECK(!br_consumer_prepare_sleep(&p_f->consumer));
			}
			return;
		}
		BT_CHECK(record.payload >= begin + BP_RECORD_HEADER_SIZE && record.payload <= end);
		BT_CHECK(record.length <= (uint32_t)(end - record.payload));
		volatile uint8_t sink = 0;
		for (uint32_t i = 0; i < record.length; i++) {
			sink ^= record.payload[i]; /* ASan: every returned byte must be readable */
		}
		(void)sink;
		BT_EQ(br_consumer_advance(&p_f->consumer), BP_STATUS_OK);
		/* never past what the producer published */
		BT_CHECK(p_f->consumer.producer_cache - p_f->consumer.head <= p_f->ring.capacity);
		p_counts->records++;
		if (fz_below(3) == 0) {
			br_consumer_publish(&p_f->consumer);
		}
	}
}

static void fz_produce(bt_fixture *p_f, fz_counts *p_counts) {
	for (uint32_t steps = 0; steps < 8; steps++) {
		uint32_t length = fz_below(p_f->ring.max_payload + 2u);
		void *at = NULL;
		bp_status status = br_producer_reserve(&p_f->producer, length, &at);
		BT_CHECK(fz_producer_status_ok(status));
		if (status != BP_STATUS_OK) {
			p_counts->by_status[status]++;
			return;
		}
		memset(at, 0xAB, length); /* ASan: every reserved byte must be writable */
		BT_EQ(br_producer_commit(&p_f->producer, TYPE_A, length), BP_STATUS_OK);
		br_producer_publish(&p_f->producer);
	}
}

static void test_fuzz_consumer_and_producer(void) {
	fz_counts consumer_counts;
	fz_counts producer_counts;
	memset(&consumer_counts, 0, sizeof(consumer_counts));
	memset(&producer_counts, 0, sizeof(producer_counts));
	for (uint32_t iteration = 0; iteration < ITERATIONS; iteration++) {
		uint32_t capacity = 64u << fz_below(7);
		uint64_t start = fz_below(4) == 0 ? UINT64_MAX - 8u * fz_below(64) + 1u : (fz_next() & ~7ull);
		start &= ~7ull;
		bt_fixture f;
		bt_fixture_open(&f, capacity, start);
		fz_warm_up(&f);
		uint32_t corruptions = 1 + fz_below(3);
		for (uint32_t i = 0; i < corruptions; i++) {
			fz_corrupt(&f);
		}
		if (fz_below(2) == 0) {
			fz_drain(&f, &consumer_counts);
			fz_produce(&f, &producer_counts);
		} else {
			fz_produce(&f, &producer_counts);
			fz_drain(&f, &consumer_counts);
		}
		bt_fixture_close(&f);
	}
	fprintf(stderr, "fuzz: %u records read; consumer EMPTY %u CORRUPT_POSITION %u CORRUPT_RECORD %u TRUNCATED_RECORD %u; "
					"producer FULL %u TOO_LARGE %u CORRUPT_POSITION %u\n",
			consumer_counts.records, consumer_counts.by_status[BP_STATUS_EMPTY],
			consumer_counts.by_status[BP_STATUS_CORRUPT_POSITION], consumer_counts.by_status[BP_STATUS_CORRUPT_RECORD],
			consumer_counts.by_status[BP_STATUS_TRUNCATED_RECORD], producer_counts.by_status[BP_STATUS_FULL],
			producer_counts.by_status[BP_STATUS_TOO_LARGE], producer_counts.by_status[BP_STATUS_CORRUPT_POSITION]);
	/* The fuzzer must actually reach every detection path, or it proves nothing. */
	BT_CHECK(consumer_counts.by_status[BP_STATUS_CORRUPT_POSITION] > 100);
	BT_CHECK(consumer_counts.by_status[BP_STATUS_CORRUPT_RECORD] > 100);
	BT_CHECK(consumer_counts.by_status[BP_STATUS_TRUNCATED_RECORD] > 100);
	BT_CHECK(producer_counts.by_status[BP_STATUS_CORRUPT_POSITION] > 100);
	BT_CHECK(consumer_counts.records > 1000);
}

int main(void) {
	BT_RUN(test_fuzz_consumer_and_producer);
	return bt_finish();
}
