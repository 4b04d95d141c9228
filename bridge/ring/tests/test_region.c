/* Region layout: canonical format, header validation against every kind of bad header,
 * and the region creator (close-on-exec, nameless, zero-filled, attachable; sealed on the
 * Linux memfd path, mode 0600 on the shm_open path). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../region.h"
#include "../shm.h"
#include "bt.h"

#define MIB (1024u * 1024u)

typedef struct rg_buffer {
	uint8_t *base;
	uint64_t size;
} rg_buffer;

static rg_buffer rg_format(uint64_t p_commands, uint64_t p_events) {
	rg_buffer b;
	b.size = br_region_size(p_commands, p_events);
	b.base = (uint8_t *)aligned_alloc(BP_PAGE_SIZE, b.size);
	if (b.base == NULL) {
		abort();
	}
	memset(b.base, 0, b.size);
	if (br_region_format(b.base, b.size, p_commands, p_events, BP_FEATURES_KNOWN) != BP_STATUS_OK) {
		abort();
	}
	return b;
}

static bp_region_header *rg_header(rg_buffer *p_b) {
	return (bp_region_header *)(void *)p_b->base;
}

static void test_region_size(void) {
	BT_EQ(br_region_size(BP_RING_DATA_SIZE_DEFAULT, BP_RING_DATA_SIZE_DEFAULT),
			BP_REGION_DATA_OFFSET + 2ull * BP_RING_DATA_SIZE_DEFAULT);
	BT_EQ(br_region_size(MIB, 2 * MIB), BP_REGION_DATA_OFFSET + 3ull * MIB);
	BT_EQ(br_region_size(MIB / 2, MIB), 0);
	BT_EQ(br_region_size(3 * MIB, MIB), 0);
	BT_EQ(br_region_size(MIB, 2ull * BP_RING_DATA_SIZE_MAX), 0);
}

static void test_format_then_validate(void) {
	rg_buffer b = rg_format(MIB, 2 * MIB);
	bp_region_header *h = rg_header(&b);
	BT_EQ(h->magic, BP_MAGIC);
	BT_EQ(h->version, BP_VERSION);
	BT_EQ(h->rings[BP_RING_COMMANDS].data_offset, BP_REGION_DATA_OFFSET);
	BT_EQ(h->rings[BP_RING_EVENTS].data_offset, BP_REGION_DATA_OFFSET + MIB);
	BT_EQ(h->rings[BP_RING_EVENTS].control_offset, BP_REGION_CONTROL_OFFSET + BP_RING_CONTROL_SIZE);
	BT_EQ(br_region_validate(b.base, b.size), BP_STATUS_OK);
	br_ring ring;
	BT_EQ(br_region_ring(b.base, b.size, BP_RING_EVENTS, &ring), BP_STATUS_OK);
	BT_EQ(ring.capacity, 2 * MIB);
	BT_EQ(ring.max_payload, BP_RECORD_MAX_PAYLOAD);
	BT_CHECK(ring.data == b.base + BP_REGION_DATA_OFFSET + MIB);
	BT_EQ(br_region_ring(b.base, b.size, (bp_ring_index)2, &ring), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_region_format(b.base, b.size - 1, MIB, 2 * MIB, BP_FEATURES_KNOWN), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(br_region_format(b.base, b.size, MIB, 2 * MIB, 0), BP_STATUS_INVALID_ARGUMENT);
	free(b.base);
}

/* Each case breaks one thing in a fresh canonical header. */
static void test_validate_rejects_bad_headers(void) {
	struct {
		const char *what;
		bp_status expected;
	} cases[] = {
		{ "magic", BP_STATUS_BAD_MAGIC },
		{ "version", BP_STATUS_BAD_VERSION },
		{ "unknown feature", BP_STATUS_BAD_FEATURES },
		{ "missing required feature", BP_STATUS_BAD_FEATURES },
		{ "header size", BP_STATUS_BAD_LAYOUT },
		{ "ring count", BP_STATUS_BAD_LAYOUT },
		{ "region larger than mapping", BP_STATUS_BAD_LAYOUT },
		{ "data size not a power of two", BP_STATUS_BAD_LAYOUT },
		{ "data size below minimum", BP_STATUS_BAD_LAYOUT },
		{ "overlapping data areas", BP_STATUS_BAD_LAYOUT },
		{ "control inside header", BP_STATUS_BAD_LAYOUT },
		{ "misaligned control", BP_STATUS_BAD_LAYOUT },
		{ "data beyond region", BP_STATUS_BAD_LAYOUT },
		{ "offset overflow", BP_STATUS_BAD_LAYOUT },
		{ "control overlaps data", BP_STATUS_BAD_LAYOUT },
	};
	for (uint32_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rg_buffer b = rg_format(MIB, MIB);
		bp_region_header *h = rg_header(&b);
		bp_ring_descriptor *cmd = &h->rings[BP_RING_COMMANDS];
		bp_ring_descriptor *evt = &h->rings[BP_RING_EVENTS];
		switch (i) {
			case 0: h->magic ^= 1u; break;
			case 1: h->version += 1u; break;
			case 2: h->features |= UINT64_C(1) << 40; break;
			case 3: h->features &= ~BP_FEATURES_REQUIRED; break;
			case 4: h->header_size = 2048; break;
			case 5: h->ring_count = 3; break;
			case 6: h->region_size = b.size + BP_PAGE_SIZE; break;
			case 7: evt->data_size = MIB + BP_PAGE_SIZE; break;
			case 8: evt->data_size = MIB / 2; break;
			case 9: evt->data_offset = cmd->data_offset; break;
			case 10: cmd->control_offset = 1024; break;
			case 11: cmd->control_offset += 8; break;
			case 12: evt->data_offset += BP_PAGE_SIZE; break;
			case 13: evt->data_offset = UINT64_MAX - BP_PAGE_SIZE + 1u; break;
			default: evt->control_offset = cmd->data_offset; break;
		}
		bp_status status = br_region_validate(b.base, b.size);
		if (status != cases[i].expected) {
			fprintf(stderr, "case '%s': got %s\n", cases[i].what, bp_status_name(status));
		}
		BT_EQ(status, cases[i].expected);
		free(b.base);
	}
	rg_buffer b = rg_format(MIB, MIB);
	BT_EQ(br_region_validate(b.base, BP_REGION_HEADER_SIZE - 8), BP_STATUS_BAD_LAYOUT);
	BT_EQ(br_region_validate(b.base, 2), BP_STATUS_BAD_LAYOUT);
	BT_EQ(br_region_validate(b.base, b.size - 1), BP_STATUS_BAD_LAYOUT);
	free(b.base);
}

/* Entries in /dev/shm (where POSIX shm_open names live), or -1 if there is no such directory. */
static int rg_dev_shm_entries(void) {
	DIR *dir = opendir("/dev/shm");
	if (dir == NULL) {
		return -1;
	}
	int count = 0;
	while (readdir(dir) != NULL) {
		count++;
	}
	closedir(dir);
	return count;
}

static void test_shm_create(void) {
	int named_before = rg_dev_shm_entries();
	br_shm shm;
	BT_EQ(br_shm_create(BP_RING_DATA_SIZE_DEFAULT, BP_RING_DATA_SIZE_DEFAULT, &shm), BP_STATUS_OK);
	BT_EQ(rg_dev_shm_entries(), named_before); /* anonymous: nothing to leave behind */
	BT_CHECK(shm.fd >= 0);
	BT_CHECK((fcntl(shm.fd, F_GETFD) & FD_CLOEXEC) != 0);
#if defined(BR_PLATFORM_LINUX)
	BT_EQ(fcntl(shm.fd, F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
			F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	BT_CHECK(ftruncate(shm.fd, 4096) != 0 && errno == EPERM);
#else
	struct stat info;
	BT_EQ(fstat(shm.fd, &info), 0);
	BT_EQ((int)(info.st_mode & 0777), 0600); /* this user only */
	BT_EQ((uint64_t)info.st_size, shm.size);
#endif
	BT_EQ(lseek(shm.fd, 0, SEEK_END), (off_t)shm.size);
	BT_EQ(br_region_validate(shm.base, shm.size), BP_STATUS_OK);
	br_ring ring;
	BT_EQ(br_region_ring(shm.base, shm.size, BP_RING_COMMANDS, &ring), BP_STATUS_OK);
	BT_EQ(ring.capacity, BP_RING_DATA_SIZE_DEFAULT);
	br_shm_destroy(&shm);
	BT_EQ(shm.fd, -1);
	br_shm_destroy(&shm);
	BT_EQ(br_shm_create(3 * MIB, MIB, &shm), BP_STATUS_INVALID_ARGUMENT);
	BT_EQ(shm.fd, -1);
}

int main(void) {
	BT_RUN(test_region_size);
	BT_RUN(test_format_then_validate);
	BT_RUN(test_validate_rejects_bad_headers);
	BT_RUN(test_shm_create);
	return bt_finish();
}
