/* Creating the shared-memory region, one file per platform (platform.h picks):
 *
 *   shm_memfd.c    Linux: an anonymous memory file (memfd) with seals. No name in any file
 *                  system, so only processes holding its descriptor (this process and the
 *                  worker it passes it to) can map it.
 *   shm_posix.c    macOS (and Linux with -DBR_PLATFORM_POSIX): shm_open with an unpredictable
 *                  name, O_CREAT | O_EXCL, mode 0600, unlinked at once: from then on it is
 *                  as nameless as a memfd. Nothing seals it.
 *   shm_windows.c  Windows: an unnamed file mapping backed by the paging file, its handle not
 *                  inheritable (the client names it in the one handle list the worker gets).
 *
 * Everywhere the system frees it when the last handle and mapping are gone, whichever way
 * the processes exit (kill -9 and TerminateProcess included). */
#ifndef BRIDGE_SHM_H
#define BRIDGE_SHM_H

#include <stdint.h>

#include "../protocol/bridge_protocol.h"
#include "platform.h"

typedef struct br_shm {
#if defined(BR_PLATFORM_WINDOWS)
	void *handle; /* HANDLE of the mapping, not inheritable; NULL: none */
#else
	int fd; /* close-on-exec; hand it to the worker with dup2 (which clears the flag) */
#endif
	void *base;
	uint64_t size;
} br_shm;

/* Create, size, seal where the system can (memfd: no shrink or grow, so the worker cannot
 * make our mapping fault) and map a region, then format it (br_region_format).
 * BP_STATUS_SYSTEM if an OS call fails (errno, or GetLastError on Windows, is left for the
 * caller's log). On failure *r_shm holds nothing ({ -1 or NULL, NULL, 0 }). */
bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm);

/* Unmap and close; safe on a zeroed or failed br_shm. */
void br_shm_destroy(br_shm *p_shm);

#endif /* BRIDGE_SHM_H */
