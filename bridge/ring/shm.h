/* Creating the shared-memory region (Linux: memfd). The region is an anonymous memory file:
 * no name in any file system, so only processes holding its descriptor (this process and
 * the worker it passes it to) can map it, and the kernel frees it when the last descriptor
 * and mapping are gone, whichever way the processes exit (kill -9 included). */
#ifndef BRIDGE_SHM_H
#define BRIDGE_SHM_H

#include <stdint.h>

#include "../protocol/bridge_protocol.h"

typedef struct br_shm {
	int fd; /* close-on-exec; hand it to the worker with dup2 (which clears the flag) */
	void *base;
	uint64_t size;
} br_shm;

/* Create, size, seal (no shrink or grow: the worker cannot make our mapping fault) and map a
 * region, then format it (br_region_format). BP_STATUS_SYSTEM if an OS call fails (errno is
 * left for the caller's log). On failure *r_shm is { -1, NULL, 0 }. */
bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm);

/* Unmap and close; safe on a zeroed or failed br_shm. */
void br_shm_destroy(br_shm *p_shm);

#endif /* BRIDGE_SHM_H */
