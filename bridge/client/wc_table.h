/* Integer handles for the client's objects, and the core-handle index.
 *
 * wc_table: a slot array; a handle is tag | (generation << WC_TABLE_INDEX_BITS) | (slot + 1),
 * so it is positive, never 0, a freed slot's old handles stop matching once the slot is
 * reused (its generation moves on), and the tag bit keeps two tables' handles apart (a peer
 * handle is never a channel handle). A stale handle reads as NULL, never as another object.
 * wc_map: open addressing from a core handle (u32, never 0) to a client handle. */
#ifndef BRIDGE_WC_TABLE_H
#define BRIDGE_WC_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define WC_TABLE_INDEX_BITS 20u
#define WC_TABLE_MAX_SLOTS ((1u << WC_TABLE_INDEX_BITS) - 1u)
#define WC_TABLE_GENERATIONS (1u << (30u - WC_TABLE_INDEX_BITS))
#define WC_TABLE_TAG (1u << 30) /* the second kind of handle */

typedef struct wc_table {
	uint32_t tag; /* 0 or WC_TABLE_TAG, set before the first add */
	void **items;
	uint16_t *generations;
	uint32_t *free_slots;
	uint32_t capacity;
	uint32_t used; /* slots ever handed out: items[0 .. used) */
	uint32_t free_count;
	uint32_t live;
} wc_table;

/* 0 if full or out of memory. */
int32_t wc_table_add(wc_table *p_table, void *p_item);
void *wc_table_get(const wc_table *p_table, int32_t p_handle);
/* The item, now removed, or NULL if the handle was stale. */
void *wc_table_remove(wc_table *p_table, int32_t p_handle);
/* Handle of slot p_slot (< used) if it holds an item, else 0: for iterating. */
int32_t wc_table_handle_at(const wc_table *p_table, uint32_t p_slot);
void wc_table_free(wc_table *p_table);

typedef struct wc_map {
	uint32_t *keys; /* 0: empty, UINT32_MAX: deleted */
	int32_t *values;
	uint32_t capacity; /* a power of two, or 0 */
	uint32_t count;
	uint32_t deleted;
} wc_map;

bool wc_map_put(wc_map *p_map, uint32_t p_key, int32_t p_value);
/* 0 when absent. */
int32_t wc_map_get(const wc_map *p_map, uint32_t p_key);
void wc_map_remove(wc_map *p_map, uint32_t p_key);
void wc_map_free(wc_map *p_map);

#endif /* BRIDGE_WC_TABLE_H */
