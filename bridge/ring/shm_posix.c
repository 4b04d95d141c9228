/* POSIX implementation of shm.h (macOS; Linux with -DBR_PLATFORM_POSIX): shm_open(3) with an
 * unpredictable name, O_CREAT | O_EXCL (never someone else's object) and mode 0600 (this user
 * only), unlinked right after it is opened, so the object has a name for microseconds and
 * nothing is left behind when the processes end. What is lost against memfd: seals. The
 * worker runs as the same user and is trusted not to shrink the object. */
#define _DARWIN_C_SOURCE
#define _DEFAULT_SOURCE
#include "shm_fd.h"

#if defined(BR_PLATFORM_POSIX)

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* macOS limits shm names to 31 characters (PSHMNAMLEN): "/gwrb-" and 16 hex digits fit. */
#define BR_SHM_NAME_FORMAT "/gwrb-%016llx"

/* 64 unpredictable bits: arc4random on macOS and the BSDs, else /dev/urandom; the clock and
 * the pid only if neither works (O_EXCL still refuses an existing object). */
static unsigned long long br_shm_random(void) {
	unsigned long long value = 0;
#if defined(__APPLE__)
	arc4random_buf(&value, sizeof(value));
#else
	FILE *source = fopen("/dev/urandom", "rb");
	if (source == NULL || fread(&value, sizeof(value), 1, source) != 1) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		value = ((unsigned long long)now.tv_nsec << 20) ^ (unsigned long long)now.tv_sec ^ ((unsigned long long)getpid() << 40);
	}
	if (source != NULL) {
		fclose(source);
	}
#endif
	return value;
}

/* Open a new object under a fresh name and unlink it at once; -1 with errno on failure. */
static int br_shm_open_unlinked(void) {
	for (int attempt = 0; attempt < 8; attempt++) {
		char name[32];
		snprintf(name, sizeof(name), BR_SHM_NAME_FORMAT, br_shm_random());
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
		if (fd >= 0) {
			shm_unlink(name);
			int flags = fcntl(fd, F_GETFD);
			if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) {
				int saved = errno;
				close(fd);
				errno = saved;
				return -1;
			}
			return fd;
		}
		if (errno != EEXIST) {
			return -1;
		}
	}
	return -1;
}

bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm) {
	uint64_t size = 0;
	bp_status status = br_shm_begin(p_commands_size, p_events_size, r_shm, &size);
	if (status != BP_STATUS_OK) {
		return status;
	}
	int fd = br_shm_open_unlinked();
	if (fd < 0) {
		return BP_STATUS_SYSTEM;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return BP_STATUS_SYSTEM;
	}
	return br_shm_adopt_fd(fd, size, p_commands_size, p_events_size, r_shm);
}

#else
typedef int br_shm_posix_not_built; /* another platform's region (platform.h) */
#endif
