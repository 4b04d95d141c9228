/* The shared-memory region: one header page, two ring control areas, two data areas
 * (layout in bridge/protocol/protocol.json). Pure memory work, no system calls: creating
 * and mapping the memory is shm.h's job. */
#ifndef BRIDGE_REGION_H
#define BRIDGE_REGION_H

#include <stdint.h>

#include "../protocol/bridge_protocol.h"
#include "ring.h"

/* Bytes of a canonical region with these data sizes, or 0 if a size is not a power of two
 * in [BP_RING_DATA_SIZE_MIN, BP_RING_DATA_SIZE_MAX]. */
uint64_t br_region_size(uint64_t p_commands_size, uint64_t p_events_size);

/* Write a canonical header and zeroed control areas into p_base (p_mapped_size bytes,
 * already zero-filled, 8-byte aligned). The magic is stored last. Call before the worker
 * is started. */
bp_status br_region_format(void *p_base, uint64_t p_mapped_size, uint64_t p_commands_size,
		uint64_t p_events_size, uint64_t p_features);

/* Check a mapped region's header: magic, version, features, and that every area is
 * aligned, inside the region, inside the mapping and disjoint from the others. Never
 * reads outside [p_base, p_base + p_mapped_size). */
bp_status br_region_validate(const void *p_base, uint64_t p_mapped_size);

/* Describe ring p_index of a validated region. */
bp_status br_region_ring(void *p_base, uint64_t p_mapped_size, bp_ring_index p_index, br_ring *r_ring);

#endif /* BRIDGE_REGION_H */
