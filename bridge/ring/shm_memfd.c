/* Linux implementation of shm.h with memfd_create(2) and file seals (fcntl(2)). */
#define _GNU_SOURCE
#include "shm.h"

#if defined(BR_PLATFORM_LINUX)

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "region.h"

static const char br_shm_name[] = "godot-webrtc-bridge";

bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm) {
	if (r_shm == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	r_shm->fd = -1;
	r_shm->base = NULL;
	r_shm->size = 0;
	uint64_t size = br_region_size(p_commands_size, p_events_size);
	if (size == 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	int fd = memfd_create(br_shm_name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		return BP_STATUS_SYSTEM;
	}
	if (ftruncate(fd, (off_t)size) != 0 ||
			fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return BP_STATUS_SYSTEM;
	}
	void *base = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		int saved = errno;
		close(fd);
		errno = saved;
		return BP_STATUS_SYSTEM;
	}
	bp_status status = br_region_format(base, size, p_commands_size, p_events_size, BP_FEATURES_KNOWN);
	if (status != BP_STATUS_OK) {
		munmap(base, (size_t)size);
		close(fd);
		return status;
	}
	r_shm->fd = fd;
	r_shm->base = base;
	r_shm->size = size;
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
typedef int br_shm_memfd_not_built; /* another platform's region (platform.h) */
#endif
