/* Single-producer single-consumer ring over shared memory (C side): the API.
 *
 * The memory-ordering contract (ownership, invariant, wrap rule, acquire/release pairs,
 * doorbell and the lost-wakeup argument) heads ring.c, before the code, and the same text
 * heads ring.ts (contract.test.ts checks the two copies are equal). Summary: one producer,
 * one consumer; P and C are monotonic u64 byte positions, each stored by its owner only
 * (release) and acquired by the other; records are [u32 length | u32 type | payload],
 * 8-byte aligned, padded at the wrap; the consumer publishes C once per batch; a side rings
 * the doorbell only when the other said it sleeps. Nothing here makes a system call.
 */
#ifndef BRIDGE_RING_H
#define BRIDGE_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "../protocol/bridge_protocol.h"

/* One ring as seen by one process: where its control words and data area are mapped. */
typedef struct br_ring {
	bp_ring_control *control;
	uint8_t *data;
	uint32_t capacity; /* data area bytes, a power of two */
	uint32_t max_payload; /* min(BP_RECORD_MAX_PAYLOAD, capacity / 2 - BP_RECORD_HEADER_SIZE) */
} br_ring;

/* A record the consumer may read in place until it advances past it. */
typedef struct br_record {
	const uint8_t *payload; /* 8-byte aligned, inside the data area */
	uint32_t length;
	uint32_t type;
} br_record;

typedef struct br_producer {
	br_ring ring;
	uint64_t published; /* P as last stored */
	uint64_t tail; /* P including committed but unpublished records */
	uint64_t consumer_cache; /* C as last acquired */
	uint32_t reserved_index; /* index of the open reservation's header */
	uint32_t reserved_padding; /* padding bytes before it (0 if none) */
	uint32_t reserved_length; /* payload bytes reserved */
	bool reserving;
	bp_status error; /* sticky CORRUPT_POSITION */
} br_producer;

typedef struct br_consumer {
	br_ring ring;
	uint64_t published; /* C as last stored */
	uint64_t head; /* C including records consumed but not yet published */
	uint64_t producer_cache; /* P as last acquired */
	br_record peeked; /* valid while peeked_size != 0 */
	uint32_t peeked_size;
	bp_status error; /* sticky CORRUPT_POSITION / CORRUPT_RECORD / TRUNCATED_RECORD */
} br_consumer;

/* Largest payload a ring of p_capacity bytes accepts. */
uint32_t br_ring_max_payload(uint32_t p_capacity);

/* Describe a ring: p_capacity must be a power of two in
 * [BP_RING_MIN_CAPACITY, BP_RING_DATA_SIZE_MAX]; p_control and p_data 8-byte aligned. */
bp_status br_ring_attach(br_ring *r_ring, void *p_control, void *p_data, uint64_t p_capacity);

/* Set both positions to p_position (a multiple of 8) and clear flags and heartbeat. Only
 * before either side is attached (region creation, tests). */
void br_ring_format(bp_ring_control *p_control, uint64_t p_position);

/* ---- producer ---- */
bp_status br_producer_init(br_producer *r_producer, const br_ring *p_ring);
/* Reserve room for a p_length-byte payload; *r_payload points into the ring (8-byte
 * aligned) where the caller writes it. OK, FULL (retry after the consumer progresses),
 * TOO_LARGE, or the sticky error. A new reserve replaces an uncommitted one. */
bp_status br_producer_reserve(br_producer *p_producer, uint32_t p_length, void **r_payload);
/* Finish the open reservation as a record of p_type with p_length <= reserved bytes.
 * Not visible to the consumer until br_producer_publish. */
bp_status br_producer_commit(br_producer *p_producer, uint32_t p_type, uint32_t p_length);
/* reserve + memcpy + commit. */
bp_status br_producer_write(br_producer *p_producer, uint32_t p_type, const void *p_payload, uint32_t p_length);
/* Make every committed record visible. Returns true if the consumer was asleep and the
 * caller must ring the doorbell (this call claimed the wakeup). */
bool br_producer_publish(br_producer *p_producer);
/* Before waiting for space for a p_length payload: returns true if the caller may sleep
 * until the doorbell rings (the flag is set), false if space is available now, records
 * are unpublished, or the ring is corrupt (retry the reserve). */
bool br_producer_prepare_wait(br_producer *p_producer, uint32_t p_length);
/* After waking: clear producer_waiting (it may already be clear). */
void br_producer_end_wait(br_producer *p_producer);
/* The consumer's last heartbeat value (0 = none yet). */
uint64_t br_producer_consumer_heartbeat(const br_producer *p_producer);

/* ---- consumer ---- */
bp_status br_consumer_init(br_consumer *r_consumer, const br_ring *p_ring);
/* The next record, skipping padding: OK (and *r_record), EMPTY, or a sticky error.
 * Peeking again without advancing returns the same record. */
bp_status br_consumer_peek(br_consumer *p_consumer, br_record *r_record);
/* Step past the peeked record (its bytes stay valid until br_consumer_publish). */
bp_status br_consumer_advance(br_consumer *p_consumer);
/* Store C once per batch. Returns true if the producer was waiting for space and the
 * caller must ring the doorbell (this call claimed the wakeup). */
bool br_consumer_publish(br_consumer *p_consumer);
/* Before sleeping: returns true if the caller may sleep until the doorbell rings (the flag
 * is set and the ring is still empty), false if records are waiting, progress is
 * unpublished, or the ring is corrupt (peek again). */
bool br_consumer_prepare_sleep(br_consumer *p_consumer);
/* After waking: clear consumer_sleeping (it may already be clear). */
void br_consumer_end_sleep(br_consumer *p_consumer);
/* Store a liveness value (FEATURE_HEARTBEAT: monotonic ms). */
void br_consumer_heartbeat(br_consumer *p_consumer, uint64_t p_now_ms);

#endif /* BRIDGE_RING_H */
