/* N-API addon: map an inherited shared-memory file descriptor into an ArrayBuffer.
 *
 *   map(fd: number): ArrayBuffer
 *
 * Maps the whole file (its size from fstat) read-write and shared, and wraps the mapping in
 * an external ArrayBuffer; the mapping is released (munmap) when the ArrayBuffer is garbage
 * collected, or by the kernel at exit. The descriptor is not closed and may be closed right
 * after (the mapping keeps the memory alive). Errors throw an Error whose `code` is
 * "ERR_BRIDGE_SHM" and whose message names the failed call and errno (for the log only).
 *
 * Built by bridge/Makefile against Node's own headers; only the two N-API entry symbols
 * are exported (shm.map). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <node_api.h>

static napi_value sh_throw(napi_env p_env, const char *p_what, int p_errno) {
	char message[160];
	snprintf(message, sizeof(message), "bridge shm: %s failed: %s (errno %d)", p_what, strerror(p_errno), p_errno);
	napi_throw_error(p_env, "ERR_BRIDGE_SHM", message);
	return NULL;
}

static void sh_finalize(napi_env p_env, void *p_data, void *p_hint) {
	(void)p_env;
	munmap(p_data, (size_t)(uintptr_t)p_hint);
}

static napi_value sh_map(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 1;
	napi_value argv[1];
	int32_t fd = -1;
	if (napi_get_cb_info(p_env, p_info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
			napi_get_value_int32(p_env, argv[0], &fd) != napi_ok || fd < 0) {
		napi_throw_type_error(p_env, "ERR_BRIDGE_SHM", "bridge shm: map(fd) needs a file descriptor number");
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		return sh_throw(p_env, "fstat", errno);
	}
	if (st.st_size <= 0 || (uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
		napi_throw_range_error(p_env, "ERR_BRIDGE_SHM", "bridge shm: the descriptor's size is zero or too large");
		return NULL;
	}
	size_t size = (size_t)st.st_size;
	void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		return sh_throw(p_env, "mmap", errno);
	}
	napi_value buffer;
	if (napi_create_external_arraybuffer(p_env, base, size, sh_finalize, (void *)(uintptr_t)size, &buffer) != napi_ok) {
		munmap(base, size);
		napi_throw_error(p_env, "ERR_BRIDGE_SHM", "bridge shm: external ArrayBuffers are not allowed in this runtime");
		return NULL;
	}
	return buffer;
}

NAPI_MODULE_INIT() {
	napi_value map;
	if (napi_create_function(env, "map", NAPI_AUTO_LENGTH, sh_map, NULL, &map) != napi_ok ||
			napi_set_named_property(env, exports, "map", map) != napi_ok) {
		return NULL;
	}
	return exports;
}
