#include "region.h"

#include <string.h>

static int br_region_data_size_ok(uint64_t p_size) {
	return p_size >= BP_RING_DATA_SIZE_MIN && p_size <= BP_RING_DATA_SIZE_MAX && (p_size & (p_size - 1u)) == 0;
}

uint64_t br_region_size(uint64_t p_commands_size, uint64_t p_events_size) {
	if (!br_region_data_size_ok(p_commands_size) || !br_region_data_size_ok(p_events_size)) {
		return 0;
	}
	return BP_REGION_DATA_OFFSET + p_commands_size + p_events_size;
}

bp_status br_region_format(void *p_base, uint64_t p_mapped_size, uint64_t p_commands_size,
		uint64_t p_events_size, uint64_t p_features) {
	uint64_t size = br_region_size(p_commands_size, p_events_size);
	if (p_base == NULL || ((uintptr_t)p_base % 8u) != 0 || size == 0 || size > p_mapped_size ||
			(p_features & ~BP_FEATURES_KNOWN) != 0 || (p_features & BP_FEATURES_REQUIRED) != BP_FEATURES_REQUIRED) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	bp_region_header *header = (bp_region_header *)p_base;
	memset(header, 0, sizeof(*header));
	header->version = BP_VERSION;
	header->features = p_features;
	header->region_size = size;
	header->header_size = BP_REGION_HEADER_SIZE;
	header->ring_count = BP_RING_COUNT;
	const uint64_t data_sizes[BP_RING_COUNT] = { p_commands_size, p_events_size };
	uint64_t data_offset = BP_REGION_DATA_OFFSET;
	for (uint32_t i = 0; i < BP_RING_COUNT; i++) {
		bp_ring_descriptor *ring = &header->rings[i];
		ring->control_offset = BP_REGION_CONTROL_OFFSET + (uint64_t)i * BP_RING_CONTROL_SIZE;
		ring->data_offset = data_offset;
		ring->data_size = data_sizes[i];
		data_offset += data_sizes[i];
		bp_ring_control *control = (bp_ring_control *)(void *)((uint8_t *)p_base + ring->control_offset);
		memset(control, 0, sizeof(*control));
		br_ring_format(control, 0);
	}
	header->magic = BP_MAGIC;
	return BP_STATUS_OK;
}

typedef struct br_area {
	uint64_t offset;
	uint64_t size;
} br_area;

/* [offset, offset + size) inside [0, p_limit), without overflow. */
static int br_area_inside(br_area p_area, uint64_t p_limit) {
	return p_area.offset <= p_limit && p_area.size <= p_limit - p_area.offset;
}

static int br_areas_overlap(br_area p_a, br_area p_b) {
	return p_a.offset < p_b.offset + p_b.size && p_b.offset < p_a.offset + p_a.size;
}

bp_status br_region_validate(const void *p_base, uint64_t p_mapped_size) {
	if (p_base == NULL || ((uintptr_t)p_base % 8u) != 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	if (p_mapped_size < sizeof(uint32_t)) {
		return BP_STATUS_BAD_LAYOUT;
	}
	const bp_region_header *header = (const bp_region_header *)p_base;
	if (header->magic != BP_MAGIC) {
		return BP_STATUS_BAD_MAGIC;
	}
	if (p_mapped_size < BP_REGION_HEADER_SIZE) {
		return BP_STATUS_BAD_LAYOUT;
	}
	if (header->version != BP_VERSION) {
		return BP_STATUS_BAD_VERSION;
	}
	if ((header->features & ~BP_FEATURES_KNOWN) != 0 ||
			(header->features & BP_FEATURES_REQUIRED) != BP_FEATURES_REQUIRED) {
		return BP_STATUS_BAD_FEATURES;
	}
	uint64_t size = header->region_size;
	if (header->header_size != BP_REGION_HEADER_SIZE || header->ring_count != BP_RING_COUNT ||
			size > p_mapped_size || size < BP_REGION_HEADER_SIZE) {
		return BP_STATUS_BAD_LAYOUT;
	}
	br_area areas[1 + 2 * BP_RING_COUNT];
	areas[0] = (br_area){ 0, BP_REGION_HEADER_SIZE };
	for (uint32_t i = 0; i < BP_RING_COUNT; i++) {
		const bp_ring_descriptor *ring = &header->rings[i];
		br_area control = { ring->control_offset, BP_RING_CONTROL_SIZE };
		br_area data = { ring->data_offset, ring->data_size };
		if (control.offset % BP_CONTROL_BLOCK_SIZE != 0 || data.offset % BP_PAGE_SIZE != 0 ||
				!br_region_data_size_ok(data.size) || !br_area_inside(control, size) || !br_area_inside(data, size)) {
			return BP_STATUS_BAD_LAYOUT;
		}
		areas[1 + 2 * i] = control;
		areas[2 + 2 * i] = data;
	}
	for (uint32_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		for (uint32_t j = i + 1; j < sizeof(areas) / sizeof(areas[0]); j++) {
			if (br_areas_overlap(areas[i], areas[j])) {
				return BP_STATUS_BAD_LAYOUT;
			}
		}
	}
	return BP_STATUS_OK;
}

bp_status br_region_ring(void *p_base, uint64_t p_mapped_size, bp_ring_index p_index, br_ring *r_ring) {
	if ((uint32_t)p_index >= BP_RING_COUNT || r_ring == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	bp_status status = br_region_validate(p_base, p_mapped_size);
	if (status != BP_STATUS_OK) {
		return status;
	}
	const bp_ring_descriptor *ring = &((const bp_region_header *)p_base)->rings[p_index];
	uint8_t *base = (uint8_t *)p_base;
	return br_ring_attach(r_ring, base + ring->control_offset, base + ring->data_offset, ring->data_size);
}
