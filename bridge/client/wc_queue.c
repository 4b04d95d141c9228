/* The two FIFOs of the client: received packets per channel (with their byte total, for the
 * receive limit) and pending signals per peer. Both are growable circular arrays: push and
 * shift are O(1) amortised and never move the bytes of a packet. Capacities are powers of two. */
#include <stdlib.h>
#include <string.h>

#include "wc_private.h"

#define WC_QUEUE_MIN 16u

/* Grow a circular array of p_size-byte items, unrolling it so head becomes 0. */
static bool wc_ring_grow(void **p_items, uint32_t *p_head, uint32_t p_count, uint32_t *p_capacity, size_t p_size) {
	uint32_t capacity = *p_capacity == 0 ? WC_QUEUE_MIN : *p_capacity * 2u;
	if (capacity <= *p_capacity) {
		return false;
	}
	uint8_t *items = malloc((size_t)capacity * p_size);
	if (items == NULL) {
		return false;
	}
	uint8_t *old = *p_items;
	for (uint32_t i = 0; i < p_count; i++) {
		memcpy(items + (size_t)i * p_size, old + (size_t)((*p_head + i) & (*p_capacity - 1u)) * p_size, p_size);
	}
	free(old);
	*p_items = items;
	*p_head = 0;
	*p_capacity = capacity;
	return true;
}

bool wc_packets_push(wc_packets *p_queue, wc_packet p_packet) {
	if (p_queue->count == p_queue->capacity &&
			!wc_ring_grow((void **)&p_queue->items, &p_queue->head, p_queue->count, &p_queue->capacity, sizeof(wc_packet))) {
		return false;
	}
	p_queue->items[(p_queue->head + p_queue->count) & (p_queue->capacity - 1u)] = p_packet;
	p_queue->count++;
	p_queue->bytes += p_packet.length;
	return true;
}

bool wc_packets_shift(wc_packets *p_queue, wc_packet *r_packet) {
	if (p_queue->count == 0) {
		return false;
	}
	*r_packet = p_queue->items[p_queue->head];
	p_queue->head = (p_queue->head + 1u) & (p_queue->capacity - 1u);
	p_queue->count--;
	p_queue->bytes -= r_packet->length;
	return true;
}

void wc_packets_clear(wc_packets *p_queue) {
	wc_packet packet;
	while (wc_packets_shift(p_queue, &packet)) {
		free(packet.data);
	}
	free(p_queue->items);
	memset(p_queue, 0, sizeof(*p_queue));
}

bool wc_signals_push(wc_signals *p_queue, wc_signal_item p_item) {
	if (p_queue->count == p_queue->capacity &&
			!wc_ring_grow((void **)&p_queue->items, &p_queue->head, p_queue->count, &p_queue->capacity, sizeof(wc_signal_item))) {
		return false;
	}
	p_queue->items[(p_queue->head + p_queue->count) & (p_queue->capacity - 1u)] = p_item;
	p_queue->count++;
	return true;
}

bool wc_signals_shift(wc_signals *p_queue, wc_signal_item *r_item) {
	if (p_queue->count == 0) {
		return false;
	}
	*r_item = p_queue->items[p_queue->head];
	p_queue->head = (p_queue->head + 1u) & (p_queue->capacity - 1u);
	p_queue->count--;
	return true;
}

void wc_signal_item_free(wc_signal_item *p_item) {
	wc_str_free(&p_item->first);
	wc_str_free(&p_item->second);
	memset(p_item, 0, sizeof(*p_item));
}
