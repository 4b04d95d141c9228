/* Single-producer single-consumer ring over shared memory (C side): the implementation.
 *
 * MEMORY-ORDERING CONTRACT (the same text heads ring.c and ring.ts: bridge/ring/contract.test.ts
 * checks that the two copies are equal, so change both or neither)
 *
 * Parties. Exactly one producer and one consumer per ring, in two processes (or threads).
 * The layout (bp_ring_control, record framing) is bridge/protocol/protocol.json.
 *
 * Ownership. producer_position P is stored only by the producer; consumer_position C only
 * by the consumer; consumer_heartbeat only by the consumer. consumer_sleeping is set only
 * by the consumer and producer_waiting only by the producer. The other side clears a flag
 * with an atomic exchange (whoever gets 1 back owns that wakeup and rings); the owner clears
 * its own flag with a store when it wakes or decides not to sleep. Each side keeps its own
 * position in private memory and never re-reads it from the region; it only reads the
 * other side's.
 *
 * Positions. P and C are monotonic byte counters modulo 2^64, always multiples of 8;
 * index = position & (capacity - 1), capacity a power of two.
 *
 * Invariant. 0 <= P - C <= capacity (unsigned 64-bit arithmetic). Bytes [C, P) (mod
 * capacity) belong to the consumer, who only reads them; all other bytes belong to the
 * producer, who only writes them. A consumer that sees P break this (behind the P it saw
 * before, or more than capacity ahead of its published C, or misaligned) reports
 * CORRUPT_POSITION; a producer that sees C outside [its last C, its published P] does the
 * same. Errors are sticky: the ring is dead and the client restarts the bridge.
 *
 * Records. [u32 length | u32 type | payload], 8-byte aligned, occupying
 * 8 + align8(length) bytes; length <= max payload = min(RECORD_MAX_PAYLOAD, capacity/2 - 8).
 * The producer writes the payload in place (reserve), then the type, then the length
 * (length last), then publishes P. The consumer reads each header ONCE into locals and
 * validates it against capacity and its acquired P before touching the payload, so a
 * corrupt or hostile peer can make it fail but never read outside the data area.
 *
 * Wrap rule. A record never straddles the end of the data area. If the contiguous space
 * from the producer's index to the end is smaller than the record, the producer fills it
 * with one PADDING record (length = contiguous - 8) and puts the record at index 0; the
 * padding and the record become visible with the same store of P. Space needed is
 * padding + record, which is why max payload <= capacity/2 - 8: a maximum record always
 * fits into an empty ring, whatever the index.
 *
 * Acquire/release pairs.
 *  (1) Producer: store(P, release) after writing the records  ->  consumer: load(P, acquire)
 *      before reading them. Why: the records' bytes must be visible before the position
 *      that announces them.
 *  (2) Consumer: store(C, release) after reading the records  ->  producer: load(C, acquire)
 *      before overwriting that space. Why: the consumer's reads must be complete before the
 *      producer reuses the bytes (release also orders earlier loads).
 *  The consumer publishes C once per batch (br_consumer_publish in C, RingConsumer.publish in
 *  TypeScript), not once per record, so the producer's cache line is disturbed once per
 *  batch. The producer caches C and only re-acquires it when its cached free space is too
 *  small; the consumer caches P and only re-acquires it when it has consumed everything it
 *  knew about.
 *
 * Doorbell (io_uring's NEED_WAKEUP). A side rings the other (one byte on the doorbell
 * socket: a system call) only when the other said it sleeps.
 *  Consumer going to sleep:  store(consumer_sleeping, 1); fence(seq_cst); load(P);
 *                            if P shows unread records: clear the flag, keep reading;
 *                            else sleep on the doorbell.
 *  Producer after publishing: store(P, release); fence(seq_cst); load(consumer_sleeping);
 *                            if 1 and exchange(consumer_sleeping, 0) returns 1: ring.
 *  Lost-wakeup argument: the two seq_cst fences are totally ordered. If the producer's
 *  fence comes first, the consumer's load of P after its own fence sees the new P (C11
 *  7.17.4: a load sequenced after a seq_cst fence that follows, in the single total order,
 *  the fence sequenced after a store, reads that store or a later one), so the consumer
 *  does not sleep. If the consumer's fence comes first, the producer's load of the flag
 *  sees 1, so it rings. Either way no record is left unseen by a sleeping consumer. The
 *  exchange makes exactly one side own each wakeup, so at most one byte is sent per sleep;
 *  a stale byte only causes one spurious wakeup, which re-checks and sleeps again.
 *  The same argument, with roles swapped, covers a producer waiting for space:
 *  store(producer_waiting, 1); fence; load(C)  versus  store(C, release); fence;
 *  load(producer_waiting) in the consumer's publish.
 *  A consumer must publish its progress before it sleeps and a producer must publish its
 *  records before it waits (the prepare calls refuse otherwise), or each could wait for
 *  the other.
 *
 * Heartbeat. consumer_heartbeat is a standalone liveness value (relaxed): no data depends
 * on it.
 *
 * END OF THE CONTRACT. What follows is this file's own.
 *
 * TypeScript interoperability. ring.ts accesses the control words only with Atomics, which
 * are sequentially consistent and compile to the same instructions as C11's seq_cst
 * accesses (x86-64: mov / xchg; arm64: ldar / stlr), so the pairs above hold across the
 * two languages.
 */
#include "ring.h"

#include <string.h>

#define BR_HEADER BP_RECORD_HEADER_SIZE

static inline uint32_t br_align8(uint32_t p_length) {
	return (p_length + (BP_RECORD_ALIGN - 1u)) & ~(BP_RECORD_ALIGN - 1u);
}

/* Record size for a payload; p_length <= max payload < 2^31, so no overflow. */
static inline uint32_t br_record_size(uint32_t p_length) {
	return BR_HEADER + br_align8(p_length);
}

static inline uint32_t br_index(const br_ring *p_ring, uint64_t p_position) {
	return (uint32_t)(p_position & (uint64_t)(p_ring->capacity - 1u));
}

/* Header words are read once through volatile so the compiler cannot re-load them after
 * validation (the peer could change them in between). Indexes are 8-byte aligned. */
static inline uint32_t br_load_word(const uint8_t *p_at) {
	return *(const volatile uint32_t *)(const void *)p_at;
}

static inline void br_store_header(uint8_t *p_at, uint32_t p_type, uint32_t p_length) {
	uint32_t *words = (uint32_t *)(void *)p_at;
	words[1] = p_type;
	words[0] = p_length; /* length last */
}

uint32_t br_ring_max_payload(uint32_t p_capacity) {
	uint32_t half = p_capacity / 2u - BR_HEADER;
	return half < BP_RECORD_MAX_PAYLOAD ? half : BP_RECORD_MAX_PAYLOAD;
}

bp_status br_ring_attach(br_ring *r_ring, void *p_control, void *p_data, uint64_t p_capacity) {
	if (r_ring == NULL || p_control == NULL || p_data == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (((uintptr_t)p_control % 8u) != 0 || ((uintptr_t)p_data % BP_RECORD_ALIGN) != 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_capacity < BP_RING_MIN_CAPACITY || p_capacity > BP_RING_DATA_SIZE_MAX ||
			(p_capacity & (p_capacity - 1u)) != 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	r_ring->control = (bp_ring_control *)p_control;
	r_ring->data = (uint8_t *)p_data;
	r_ring->capacity = (uint32_t)p_capacity;
	r_ring->max_payload = br_ring_max_payload((uint32_t)p_capacity);
	return BP_STATUS_OK;
}

void br_ring_format(bp_ring_control *p_control, uint64_t p_position) {
	atomic_store_explicit(&p_control->producer_position, p_position, memory_order_relaxed);
	atomic_store_explicit(&p_control->consumer_position, p_position, memory_order_relaxed);
	atomic_store_explicit(&p_control->consumer_heartbeat, 0, memory_order_relaxed);
	atomic_store_explicit(&p_control->consumer_sleeping, 0, memory_order_relaxed);
	atomic_store_explicit(&p_control->producer_waiting, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
}

/* ---- producer ---------------------------------------------------------------------- */

bp_status br_producer_init(br_producer *r_producer, const br_ring *p_ring) {
	if (r_producer == NULL || p_ring == NULL || p_ring->control == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	memset(r_producer, 0, sizeof(*r_producer));
	r_producer->ring = *p_ring;
	bp_ring_control *control = p_ring->control;
	uint64_t position = atomic_load_explicit(&control->producer_position, memory_order_relaxed);
	uint64_t consumer = atomic_load_explicit(&control->consumer_position, memory_order_acquire);
	r_producer->published = position;
	r_producer->tail = position;
	r_producer->consumer_cache = consumer;
	r_producer->error = BP_STATUS_OK;
	if ((position % BP_RECORD_ALIGN) != 0 || (consumer % BP_RECORD_ALIGN) != 0 ||
			position - consumer > p_ring->capacity) {
		r_producer->error = BP_STATUS_CORRUPT_POSITION;
	}
	return r_producer->error;
}

/* Re-acquire C (pair 2). C must lie in [last C, published P]: the consumer can only consume
 * what was published, and C never goes back. */
static bp_status br_producer_refresh(br_producer *p_producer) {
	uint64_t consumer = atomic_load_explicit(&p_producer->ring.control->consumer_position, memory_order_acquire);
	if ((consumer % BP_RECORD_ALIGN) != 0 ||
			consumer - p_producer->consumer_cache > p_producer->published - p_producer->consumer_cache) {
		p_producer->error = BP_STATUS_CORRUPT_POSITION;
		return p_producer->error;
	}
	p_producer->consumer_cache = consumer;
	return BP_STATUS_OK;
}

/* Bytes needed for a record of p_length at the tail: its size, plus padding at the wrap. */
static uint32_t br_producer_need(const br_producer *p_producer, uint32_t p_length, uint32_t *r_padding) {
	uint32_t size = br_record_size(p_length);
	uint32_t contiguous = p_producer->ring.capacity - br_index(&p_producer->ring, p_producer->tail);
	uint32_t padding = size > contiguous ? contiguous : 0u;
	if (r_padding != NULL) {
		*r_padding = padding;
	}
	return padding + size;
}

static uint64_t br_producer_free(const br_producer *p_producer) {
	return p_producer->ring.capacity - (p_producer->tail - p_producer->consumer_cache);
}

bp_status br_producer_reserve(br_producer *p_producer, uint32_t p_length, void **r_payload) {
	if (p_producer == NULL || r_payload == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_producer->error != BP_STATUS_OK) {
		return p_producer->error;
	}
	p_producer->reserving = false;
	if (p_length > p_producer->ring.max_payload) {
		return BP_STATUS_TOO_LARGE;
	}
	uint32_t padding = 0;
	uint32_t need = br_producer_need(p_producer, p_length, &padding);
	if (need > br_producer_free(p_producer)) {
		bp_status status = br_producer_refresh(p_producer);
		if (status != BP_STATUS_OK) {
			return status;
		}
		if (need > br_producer_free(p_producer)) {
			return BP_STATUS_FULL;
		}
	}
	p_producer->reserved_padding = padding;
	p_producer->reserved_index = padding != 0 ? 0u : br_index(&p_producer->ring, p_producer->tail);
	p_producer->reserved_length = p_length;
	p_producer->reserving = true;
	*r_payload = p_producer->ring.data + p_producer->reserved_index + BR_HEADER;
	return BP_STATUS_OK;
}

bp_status br_producer_commit(br_producer *p_producer, uint32_t p_type, uint32_t p_length) {
	if (p_producer == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_producer->error != BP_STATUS_OK) {
		return p_producer->error;
	}
	if (!p_producer->reserving) {
		return BP_STATUS_INVALID_STATE;
	}
	if (p_length > p_producer->reserved_length || p_type == BP_RECORD_TYPE_INVALID ||
			p_type == BP_RECORD_TYPE_PADDING || p_type > BP_RECORD_TYPE_MAX) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	br_ring *ring = &p_producer->ring;
	if (p_producer->reserved_padding != 0) {
		uint32_t index = br_index(ring, p_producer->tail);
		br_store_header(ring->data + index, BP_RECORD_TYPE_PADDING, p_producer->reserved_padding - BR_HEADER);
	}
	br_store_header(ring->data + p_producer->reserved_index, p_type, p_length);
	p_producer->tail += p_producer->reserved_padding + br_record_size(p_length);
	p_producer->reserving = false;
	return BP_STATUS_OK;
}

bp_status br_producer_write(br_producer *p_producer, uint32_t p_type, const void *p_payload, uint32_t p_length) {
	if (p_payload == NULL && p_length != 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	void *at = NULL;
	bp_status status = br_producer_reserve(p_producer, p_length, &at);
	if (status != BP_STATUS_OK) {
		return status;
	}
	if (p_length != 0) {
		memcpy(at, p_payload, p_length);
	}
	return br_producer_commit(p_producer, p_type, p_length);
}

bool br_producer_publish(br_producer *p_producer) {
	if (p_producer->tail == p_producer->published) {
		return false;
	}
	bp_ring_control *control = p_producer->ring.control;
	/* Pair (1): the records' bytes happen-before a consumer that acquires this P. */
	atomic_store_explicit(&control->producer_position, p_producer->tail, memory_order_release);
	p_producer->published = p_producer->tail;
	/* Dekker with br_consumer_prepare_sleep: store P; fence; load the flag. */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&control->consumer_sleeping, memory_order_relaxed) == 0) {
		return false;
	}
	return atomic_exchange_explicit(&control->consumer_sleeping, 0, memory_order_acq_rel) != 0;
}

bool br_producer_prepare_wait(br_producer *p_producer, uint32_t p_length) {
	if (p_producer->error != BP_STATUS_OK || p_producer->tail != p_producer->published) {
		return false;
	}
	bp_ring_control *control = p_producer->ring.control;
	atomic_store_explicit(&control->producer_waiting, 1, memory_order_relaxed);
	/* Dekker with br_consumer_publish: store the flag; fence; load C. */
	atomic_thread_fence(memory_order_seq_cst);
	bool can_wait = br_producer_refresh(p_producer) == BP_STATUS_OK &&
			(p_length > p_producer->ring.max_payload ||
					br_producer_need(p_producer, p_length, NULL) > br_producer_free(p_producer));
	if (!can_wait) {
		atomic_store_explicit(&control->producer_waiting, 0, memory_order_relaxed);
	}
	return can_wait;
}

void br_producer_end_wait(br_producer *p_producer) {
	atomic_store_explicit(&p_producer->ring.control->producer_waiting, 0, memory_order_relaxed);
}

uint64_t br_producer_consumer_heartbeat(const br_producer *p_producer) {
	return atomic_load_explicit(&p_producer->ring.control->consumer_heartbeat, memory_order_relaxed);
}

/* ---- consumer ---------------------------------------------------------------------- */

bp_status br_consumer_init(br_consumer *r_consumer, const br_ring *p_ring) {
	if (r_consumer == NULL || p_ring == NULL || p_ring->control == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	memset(r_consumer, 0, sizeof(*r_consumer));
	r_consumer->ring = *p_ring;
	uint64_t position = atomic_load_explicit(&p_ring->control->consumer_position, memory_order_relaxed);
	r_consumer->published = position;
	r_consumer->head = position;
	r_consumer->producer_cache = position;
	r_consumer->error = (position % BP_RECORD_ALIGN) != 0 ? BP_STATUS_CORRUPT_POSITION : BP_STATUS_OK;
	return r_consumer->error;
}

static bp_status br_consumer_fail(br_consumer *p_consumer, bp_status p_status) {
	p_consumer->error = p_status;
	p_consumer->peeked_size = 0;
	return p_status;
}

/* Re-acquire P (pair 1). P must lie in [last P, published C + capacity]: it never goes back
 * and the producer can never have more than capacity bytes outstanding. */
static bp_status br_consumer_refresh(br_consumer *p_consumer) {
	uint64_t producer = atomic_load_explicit(&p_consumer->ring.control->producer_position, memory_order_acquire);
	uint64_t known = p_consumer->producer_cache;
	uint64_t limit = p_consumer->ring.capacity - (known - p_consumer->published);
	if ((producer % BP_RECORD_ALIGN) != 0 || producer - known > limit) {
		return br_consumer_fail(p_consumer, BP_STATUS_CORRUPT_POSITION);
	}
	p_consumer->producer_cache = producer;
	return BP_STATUS_OK;
}

bp_status br_consumer_peek(br_consumer *p_consumer, br_record *r_record) {
	if (p_consumer == NULL || r_record == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_consumer->error != BP_STATUS_OK) {
		return p_consumer->error;
	}
	if (p_consumer->peeked_size != 0) {
		*r_record = p_consumer->peeked;
		return BP_STATUS_OK;
	}
	const br_ring *ring = &p_consumer->ring;
	for (;;) {
		if (p_consumer->head == p_consumer->producer_cache) {
			bp_status status = br_consumer_refresh(p_consumer);
			if (status != BP_STATUS_OK) {
				return status;
			}
			if (p_consumer->head == p_consumer->producer_cache) {
				return BP_STATUS_EMPTY;
			}
		}
		/* available <= capacity and a multiple of 8 (both positions are), so >= 8 here. */
		uint64_t available = p_consumer->producer_cache - p_consumer->head;
		uint32_t index = br_index(ring, p_consumer->head);
		uint32_t contiguous = ring->capacity - index;
		const uint8_t *at = ring->data + index;
		uint32_t length = br_load_word(at);
		uint32_t type = br_load_word(at + 4);
		if (type == BP_RECORD_TYPE_PADDING) {
			if (length != contiguous - BR_HEADER) {
				return br_consumer_fail(p_consumer, BP_STATUS_CORRUPT_RECORD);
			}
			if (contiguous > available) {
				return br_consumer_fail(p_consumer, BP_STATUS_TRUNCATED_RECORD);
			}
			p_consumer->head += contiguous;
			continue;
		}
		if (type == BP_RECORD_TYPE_INVALID || type > BP_RECORD_TYPE_MAX || length > ring->max_payload) {
			return br_consumer_fail(p_consumer, BP_STATUS_CORRUPT_RECORD);
		}
		uint32_t size = br_record_size(length);
		if (size > contiguous) {
			return br_consumer_fail(p_consumer, BP_STATUS_CORRUPT_RECORD);
		}
		if (size > available) {
			return br_consumer_fail(p_consumer, BP_STATUS_TRUNCATED_RECORD);
		}
		p_consumer->peeked.payload = at + BR_HEADER;
		p_consumer->peeked.length = length;
		p_consumer->peeked.type = type;
		p_consumer->peeked_size = size;
		*r_record = p_consumer->peeked;
		return BP_STATUS_OK;
	}
}

bp_status br_consumer_advance(br_consumer *p_consumer) {
	if (p_consumer == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_consumer->error != BP_STATUS_OK) {
		return p_consumer->error;
	}
	if (p_consumer->peeked_size == 0) {
		return BP_STATUS_INVALID_STATE;
	}
	p_consumer->head += p_consumer->peeked_size;
	p_consumer->peeked_size = 0;
	return BP_STATUS_OK;
}

bool br_consumer_publish(br_consumer *p_consumer) {
	if (p_consumer->head == p_consumer->published) {
		return false;
	}
	bp_ring_control *control = p_consumer->ring.control;
	/* Pair (2): our reads of [old C, new C) happen-before a producer that acquires this C. */
	atomic_store_explicit(&control->consumer_position, p_consumer->head, memory_order_release);
	p_consumer->published = p_consumer->head;
	/* Dekker with br_producer_prepare_wait: store C; fence; load the flag. */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&control->producer_waiting, memory_order_relaxed) == 0) {
		return false;
	}
	return atomic_exchange_explicit(&control->producer_waiting, 0, memory_order_acq_rel) != 0;
}

bool br_consumer_prepare_sleep(br_consumer *p_consumer) {
	if (p_consumer->error != BP_STATUS_OK || p_consumer->head != p_consumer->published ||
			p_consumer->head != p_consumer->producer_cache) {
		return false;
	}
	bp_ring_control *control = p_consumer->ring.control;
	atomic_store_explicit(&control->consumer_sleeping, 1, memory_order_relaxed);
	/* Dekker with br_producer_publish: store the flag; fence; load P. */
	atomic_thread_fence(memory_order_seq_cst);
	bool can_sleep = br_consumer_refresh(p_consumer) == BP_STATUS_OK &&
			p_consumer->head == p_consumer->producer_cache;
	if (!can_sleep) {
		atomic_store_explicit(&control->consumer_sleeping, 0, memory_order_relaxed);
	}
	return can_sleep;
}

void br_consumer_end_sleep(br_consumer *p_consumer) {
	atomic_store_explicit(&p_consumer->ring.control->consumer_sleeping, 0, memory_order_relaxed);
}

void br_consumer_heartbeat(br_consumer *p_consumer, uint64_t p_now_ms) {
	atomic_store_explicit(&p_consumer->ring.control->consumer_heartbeat, p_now_ms, memory_order_relaxed);
}
