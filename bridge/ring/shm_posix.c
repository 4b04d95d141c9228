/* POSIX implementation of shm.h (macOS; Linux with -DBR_PLATFORM_POSIX): shm_open(3) with an
 * unpredictable name, O_CREAT | O_EXCL (never someone else's object) and mode 0600 (this user
 * only), unlinked right after it is opened, so the object has a name for microseconds and
 * nothing is left behind when the processes end. What is lost against memfd: seals. The
 * worker runs as the same user and is trusted not to shrink the object. */
#define _DARWIN_C_SOURCE
#define _DEFAULT_SOURCE
#include "shm.h"

#if defined(BR_PLATFORM_POSIX)

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "region.h"

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
typedef int br_shm_posix_not_built; /* another platform's region (platform.h) */
#endif
