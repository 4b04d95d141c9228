/* The part of shm.h that Linux (memfd) and macOS (shm_open) share: see shm_fd.h. */
#define _DEFAULT_SOURCE
#include "shm_fd.h"

#if !defined(BR_PLATFORM_WINDOWS)

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "region.h"

bp_status br_shm_begin(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm, uint64_t *r_size) {
	if (r_shm == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	r_shm->fd = -1;
	r_shm->base = NULL;
	r_shm->size = 0;
	*r_size = br_region_size(p_commands_size, p_events_size);
	return *r_size == 0 ? BP_STATUS_INVALID_ARGUMENT : BP_STATUS_OK;
}

bp_status br_shm_adopt_fd(int p_fd, uint64_t p_size, uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm) {
	void *base = mmap(NULL, (size_t)p_size, PROT_READ | PROT_WRITE, MAP_SHARED, p_fd, 0);
	if (base == MAP_FAILED) {
		int saved = errno;
		close(p_fd);
		errno = saved;
		return BP_STATUS_SYSTEM;
	}
	bp_status status = br_region_format(base, p_size, p_commands_size, p_events_size, BP_FEATURES_KNOWN);
	if (status != BP_STATUS_OK) {
		munmap(base, (size_t)p_size);
		close(p_fd);
		return status;
	}
	r_shm->fd = p_fd;
	r_shm->base = base;
	r_shm->size = p_size;
	return BP_STATUS_OK;
}

void br_shm_destroy(br_shm *p_shm) {
	if (p_shm == NULL) {
		return;
	}
	if (p_shm->base != NULL) {
		munmap(p_shm->base, (size_t)p_shm->size);
	}
	if (p_shm->fd >= 0) {
		close(p_shm->fd);
	}
	p_shm->fd = -1;
	p_shm->base = NULL;
	p_shm->size = 0;
}

#else
typedef int br_shm_fd_not_built; /* Windows has its own region (shm_windows.c) */
#endif
