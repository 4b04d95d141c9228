/* Windows implementation of shm.h: CreateFileMappingW on the paging file with no name and a
 * default (this user's) security descriptor, not inheritable: the client passes the handle
 * to the worker in an explicit handle list (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), so no other
 * child of Godot gets it. The section is freed when the last handle and view close,
 * TerminateProcess included. A section cannot change size, so there is nothing to seal. */
#include "shm.h"

#if defined(BR_PLATFORM_WINDOWS)

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "region.h"

bp_status br_shm_create(uint64_t p_commands_size, uint64_t p_events_size, br_shm *r_shm) {
	if (r_shm == NULL) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	r_shm->handle = NULL;
	r_shm->base = NULL;
	r_shm->size = 0;
	uint64_t size = br_region_size(p_commands_size, p_events_size);
	if (size == 0) {
		return BP_STATUS_INVALID_ARGUMENT;
	}
	HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, (DWORD)(size >> 32),
			(DWORD)(size & 0xffffffffu), NULL);
	if (mapping == NULL) {
		return BP_STATUS_SYSTEM;
	}
	void *base = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, (SIZE_T)size);
	if (base == NULL) {
		DWORD saved = GetLastError();
		CloseHandle(mapping);
		SetLastError(saved);
		return BP_STATUS_SYSTEM;
	}
	bp_status status = br_region_format(base, size, p_commands_size, p_events_size, BP_FEATURES_KNOWN);
	if (status != BP_STATUS_OK) {
		UnmapViewOfFile(base);
		CloseHandle(mapping);
		return status;
	}
	r_shm->handle = mapping;
	r_shm->base = base;
	r_shm->size = size;
	return BP_STATUS_OK;
}

void br_shm_destroy(br_shm *p_shm) {
	if (p_shm == NULL) {
		return;
	}
	if (p_shm->base != NULL) {
		UnmapViewOfFile(p_shm->base);
	}
	if (p_shm->handle != NULL) {
		CloseHandle(p_shm->handle);
	}
	p_shm->handle = NULL;
	p_shm->base = NULL;
	p_shm->size = 0;
}

#else
typedef int br_shm_windows_not_built; /* another platform's region (platform.h) */
#endif
