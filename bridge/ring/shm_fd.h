/* What the two descriptor-backed regions (shm_memfd.c on Linux, shm_posix.c on macOS) share:
 * sizing the request, then mapping and formatting a descriptor each of them created. */
#ifndef BRIDGE_SHM_FD_H
#define BRIDGE_SHM_FD_H

#include "shm.h"

/* Resets *r_shm and gives the region's byte size; INVALID_ARGUMENT for a NULL r_shm or sizes
 * br_region_size refuses. */
bp_status br_shm_begin(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm, uint64_t *r_size);
/* Maps p_fd (already p_size bytes long) shared, formats the region and fills *r_shm. On
 * failure p_fd is closed, errno kept, and *r_shm left empty. */
bp_status br_shm_adopt_fd(int p_fd, uint64_t p_size, uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm);

#endif /* BRIDGE_SHM_FD_H */
