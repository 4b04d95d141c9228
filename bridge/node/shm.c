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
 * Windows: the number is the value of an inherited file-mapping handle (the worker reads it
 * from ENV_REGION_HANDLE); MapViewOfFile maps the whole section and VirtualQuery gives its
 * size; the view is released by UnmapViewOfFile. The handle is not closed either.
 *
 * Built by bridge/Makefile against Node's own headers; only the two N-API entry symbols
 * are exported (shm.map). For Windows (bridge/windows.mk) it links against an import
 * library of node.exe's napi_* exports made from node.def. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <sys/mman.h>
#include <sys/stat.h>
#endif

#include <node_api.h>

static napi_value sh_throw(napi_env p_env, const char *p_what, int p_errno) {
	char message[160];
	snprintf(message, sizeof(message), "bridge shm: %s failed: %s (errno %d)", p_what, strerror(p_errno), p_errno);
	napi_throw_error(p_env, "ERR_BRIDGE_SHM", message);
	return NULL;
}

static void sh_finalize(napi_env p_env, void *p_data, void *p_hint) {
	(void)p_env;
#if defined(_WIN32)
	(void)p_hint;
	UnmapViewOfFile(p_data);
#else
	munmap(p_data, (size_t)(uintptr_t)p_hint);
#endif
}

#if defined(_WIN32)
/* Map the section behind p_handle: its base and size, or NULL after throwing. */
static void *sh_map_os(napi_env p_env, int32_t p_handle, size_t *r_size) {
	HANDLE handle = (HANDLE)(intptr_t)p_handle;
	void *base = MapViewOfFile(handle, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	if (base == NULL) {
		sh_throw(p_env, "MapViewOfFile", (int)GetLastError());
		return NULL;
	}
	MEMORY_BASIC_INFORMATION info;
	if (VirtualQuery(base, &info, sizeof(info)) == 0 || info.RegionSize == 0) {
		UnmapViewOfFile(base);
		sh_throw(p_env, "VirtualQuery", (int)GetLastError());
		return NULL;
	}
	*r_size = info.RegionSize;
	return base;
}
#else
/* Map the file behind p_fd: its base and size, or NULL after throwing. */
static void *sh_map_os(napi_env p_env, int32_t p_fd, size_t *r_size) {
	struct stat st;
	if (fstat(p_fd, &st) != 0) {
		sh_throw(p_env, "fstat", errno);
		return NULL;
	}
	if (st.st_size <= 0 || (uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
		napi_throw_range_error(p_env, "ERR_BRIDGE_SHM", "bridge shm: the descriptor's size is zero or too large");
		return NULL;
	}
	size_t size = (size_t)st.st_size;
	void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, p_fd, 0);
	if (base == MAP_FAILED) {
		sh_throw(p_env, "mmap", errno);
		return NULL;
	}
	*r_size = size;
	return base;
}
#endif

static napi_value sh_map(napi_env p_env, napi_callback_info p_info) {
	size_t argc = 1;
	napi_value argv[1];
	int32_t fd = -1;
	if (napi_get_cb_info(p_env, p_info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
			napi_get_value_int32(p_env, argv[0], &fd) != napi_ok || fd < 0) {
		napi_throw_type_error(p_env, "ERR_BRIDGE_SHM", "bridge shm: map(fd) needs a file descriptor number");
		return NULL;
	}
	size_t size = 0;
	void *base = sh_map_os(p_env, fd, &size);
	if (base == NULL) {
		return NULL;
	}
	napi_value buffer;
	if (napi_create_external_arraybuffer(p_env, base, size, sh_finalize, (void *)(uintptr_t)size, &buffer) != napi_ok) {
		sh_finalize(p_env, base, (void *)(uintptr_t)size);
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
