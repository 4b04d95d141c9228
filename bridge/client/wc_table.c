#include "wc_table.h"

#include <stdlib.h>
#include <string.h>

#define WC_MAP_DELETED UINT32_MAX

static bool wc_table_grow(wc_table *p_table) {
	uint32_t capacity = p_table->capacity == 0 ? 64u : p_table->capacity * 2u;
	if (capacity > WC_TABLE_MAX_SLOTS) {
		capacity = WC_TABLE_MAX_SLOTS;
	}
	if (capacity <= p_table->capacity) {
		return false;
	}
	void **items = realloc(p_table->items, capacity * sizeof(*items));
	if (items == NULL) {
		return false;
	}
	p_table->items = items;
	uint16_t *generations = realloc(p_table->generations, capacity * sizeof(*generations));
	if (generations == NULL) {
		return false;
	}
	p_table->generations = generations;
	uint32_t *free_slots = realloc(p_table->free_slots, capacity * sizeof(*free_slots));
	if (free_slots == NULL) {
		return false;
	}
	p_table->free_slots = free_slots;
	for (uint32_t i = p_table->capacity; i < capacity; i++) {
		items[i] = NULL;
		generations[i] = 1;
	}
	p_table->capacity = capacity;
	return true;
}

int32_t wc_table_add(wc_table *p_table, void *p_item) {
	uint32_t slot;
	if (p_table->free_count > 0) {
		slot = p_table->free_slots[--p_table->free_count];
	} else {
		if (p_table->used == p_table->capacity && !wc_table_grow(p_table)) {
			return 0;
		}
		slot = p_table->used++;
	}
	p_table->items[slot] = p_item;
	p_table->live++;
	return (int32_t)(p_table->tag | ((uint32_t)p_table->generations[slot] << WC_TABLE_INDEX_BITS) | (slot + 1u));
}

static bool wc_table_slot(const wc_table *p_table, int32_t p_handle, uint32_t *r_slot) {
	if (p_handle <= 0) {
		return false;
	}
	uint32_t value = (uint32_t)p_handle;
	if ((value & WC_TABLE_TAG) != p_table->tag) {
		return false;
	}
	uint32_t index = value & WC_TABLE_MAX_SLOTS;
	uint32_t generation = (value & ~WC_TABLE_TAG) >> WC_TABLE_INDEX_BITS;
	if (index == 0 || index > p_table->used) {
		return false;
	}
	uint32_t slot = index - 1u;
	if (p_table->items[slot] == NULL || p_table->generations[slot] != generation) {
		return false;
	}
	*r_slot = slot;
	return true;
}

void *wc_table_get(const wc_table *p_table, int32_t p_handle) {
	uint32_t slot;
	return wc_table_slot(p_table, p_handle, &slot) ? p_table->items[slot] : NULL;
}

void *wc_table_remove(wc_table *p_table, int32_t p_handle) {
	uint32_t slot;
	if (!wc_table_slot(p_table, p_handle, &slot)) {
		return NULL;
	}
	void *item = p_table->items[slot];
	p_table->items[slot] = NULL;
	uint16_t next = (uint16_t)(p_table->generations[slot] + 1u);
	p_table->generations[slot] = next >= WC_TABLE_GENERATIONS ? 1u : next;
	p_table->free_slots[p_table->free_count++] = slot;
	p_table->live--;
	return item;
}

int32_t wc_table_handle_at(const wc_table *p_table, uint32_t p_slot) {
	if (p_slot >= p_table->used || p_table->items[p_slot] == NULL) {
		return 0;
	}
	return (int32_t)(p_table->tag | ((uint32_t)p_table->generations[p_slot] << WC_TABLE_INDEX_BITS) | (p_slot + 1u));
}

void wc_table_free(wc_table *p_table) {
	uint32_t tag = p_table->tag;
	free(p_table->items);
	free(p_table->generations);
	free(p_table->free_slots);
	memset(p_table, 0, sizeof(*p_table));
	p_table->tag = tag;
}

/* ---- map ---- */

static uint32_t wc_map_hash(uint32_t p_key) {
	uint32_t x = p_key * 0x9E3779B1u;
	return x ^ (x >> 15);
}

static bool wc_map_rehash(wc_map *p_map, uint32_t p_capacity) {
	uint32_t *keys = calloc(p_capacity, sizeof(*keys));
	int32_t *values = calloc(p_capacity, sizeof(*values));
	if (keys == NULL || values == NULL) {
		free(keys);
		free(values);
		return false;
	}
	for (uint32_t i = 0; i < p_map->capacity; i++) {
		uint32_t key = p_map->keys[i];
		if (key == 0 || key == WC_MAP_DELETED) {
			continue;
		}
		uint32_t at = wc_map_hash(key) & (p_capacity - 1u);
		while (keys[at] != 0) {
			at = (at + 1u) & (p_capacity - 1u);
		}
		keys[at] = key;
		values[at] = p_map->values[i];
	}
	free(p_map->keys);
	free(p_map->values);
	p_map->keys = keys;
	p_map->values = values;
	p_map->capacity = p_capacity;
	p_map->deleted = 0;
	return true;
}

bool wc_map_put(wc_map *p_map, uint32_t p_key, int32_t p_value) {
	if (p_key == 0 || p_key == WC_MAP_DELETED) {
		return false;
	}
	if ((p_map->count + p_map->deleted + 1u) * 4u > p_map->capacity * 3u) {
		uint32_t capacity = p_map->capacity == 0 ? 64u : p_map->capacity;
		while ((p_map->count + 1u) * 2u > capacity) {
			capacity *= 2u;
		}
		if (!wc_map_rehash(p_map, capacity)) {
			return false;
		}
	}
	uint32_t mask = p_map->capacity - 1u;
	uint32_t at = wc_map_hash(p_key) & mask;
	int64_t reuse = -1;
	while (p_map->keys[at] != 0) {
		if (p_map->keys[at] == p_key) {
			p_map->values[at] = p_value;
			return true;
		}
		if (p_map->keys[at] == WC_MAP_DELETED && reuse < 0) {
			reuse = at;
		}
		at = (at + 1u) & mask;
	}
	if (reuse >= 0) {
		at = (uint32_t)reuse;
		p_map->deleted--;
	}
	p_map->keys[at] = p_key;
	p_map->values[at] = p_value;
	p_map->count++;
	return true;
}

static int64_t wc_map_find(const wc_map *p_map, uint32_t p_key) {
	if (p_map->capacity == 0 || p_key == 0 || p_key == WC_MAP_DELETED) {
		return -1;
	}
	uint32_t mask = p_map->capacity - 1u;
	uint32_t at = wc_map_hash(p_key) & mask;
	while (p_map->keys[at] != 0) {
		if (p_map->keys[at] == p_key) {
			return at;
		}
		at = (at + 1u) & mask;
	}
	return -1;
}

int32_t wc_map_get(const wc_map *p_map, uint32_t p_key) {
	int64_t at = wc_map_find(p_map, p_key);
	return at < 0 ? 0 : p_map->values[at];
}

void wc_map_remove(wc_map *p_map, uint32_t p_key) {
	int64_t at = wc_map_find(p_map, p_key);
	if (at < 0) {
		return;
	}
	p_map->keys[at] = WC_MAP_DELETED;
	p_map->values[at] = 0;
	p_map->count--;
	p_map->deleted++;
}

void wc_map_free(wc_map *p_map) {
	free(p_map->keys);
	free(p_map->values);
	memset(p_map, 0, sizeof(*p_map));
}
