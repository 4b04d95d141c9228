/* Linux implementation of shm.h with memfd_create(2) and file seals (fcntl(2)). */
#define _GNU_SOURCE
#include "shm_fd.h"

#if defined(BR_PLATFORM_LINUX)

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>


static const char br_shm_name[] = "godot-webrtc-bridge";

bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm) {
	uint64_t size = 0;
	bp_status status = br_shm_begin(p_commands_size, p_events_size, r_shm, &size);
	if (status != BP_STATUS_OK) {
		return status;
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
	return br_shm_adopt_fd(fd, size, p_commands_size, p_events_size, r_shm);
}

#else
typedef int br_shm_memfd_not_built; /* another platform's region (platform.h) */
#endif
