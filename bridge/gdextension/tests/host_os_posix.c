/* The host's operating-system pieces on Linux (host_os_windows.c is the Windows twin): the
 * clock, loading the library, the worker as a child process (/proc), and the mark the
 * runtime wrapper leaves (bridge/gdextension/Makefile writes <addon>/runtime/<platform>/node
 * as a script that touches "used" beside itself, then runs the real runtime). */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

uint64_t host_now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void host_sleep_ms(int p_ms) {
	struct timespec pause = { p_ms / 1000, (long)(p_ms % 1000) * 1000000L };
	nanosleep(&pause, NULL);
}

/* ---- child processes (the worker) ---- */

int host_children(pid_t *r_pids, int p_max) {
	int count = 0;
	DIR *tasks = opendir("/proc/self/task");
	if (tasks == NULL) {
		return 0;
	}
	struct dirent *entry;
	while ((entry = readdir(tasks)) != NULL) {
		if (entry->d_name[0] == '.') {
			continue;
		}
		char path[320];
		snprintf(path, sizeof(path), "/proc/self/task/%s/children", entry->d_name);
		FILE *file = fopen(path, "r");
		if (file == NULL) {
			continue;
		}
		int pid;
		while (fscanf(file, "%d", &pid) == 1) {
			if (count < p_max) {
				r_pids[count] = pid;
			}
			count++;
		}
		fclose(file);
	}
	closedir(tasks);
	return count;
}

/* argv of a process, NUL-separated, as one string with spaces. */
int host_os_process_env(pid_t p_pid, const char *p_name, char *r_value, size_t p_size) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)p_pid);
	FILE *file = fopen(path, "r");
	if (file == NULL) {
		return -1;
	}
	static char block[65536];
	size_t length = fread(block, 1, sizeof(block) - 1u, file);
	fclose(file);
	block[length] = '\0';
	size_t name = strlen(p_name);
	for (size_t at = 0; at < length; at += strlen(block + at) + 1u) {
		if (strncmp(block + at, p_name, name) == 0 && block[at + name] == '=') {
			snprintf(r_value, p_size, "%s", block + at + name + 1u);
			return 1;
		}
	}
	return 0;
}

void host_cmdline(pid_t p_pid, char *r_text, size_t p_size) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)p_pid);
	r_text[0] = '\0';
	FILE *file = fopen(path, "r");
	if (file == NULL) {
		return;
	}
	size_t length = fread(r_text, 1, p_size - 1u, file);
	fclose(file);
	for (size_t i = 0; i < length; i++) {
		if (r_text[i] == '\0') {
			r_text[i] = ' ';
		}
	}
	r_text[length] = '\0';
}

/* ---- the library ---- */

void *host_os_load(const char *p_path, char *r_error, size_t p_size) {
	void *library = dlopen(p_path, RTLD_NOW | RTLD_LOCAL);
	if (library == NULL) {
		snprintf(r_error, p_size, "dlopen: %s", dlerror());
	}
	return library;
}

void *host_os_symbol(void *p_library, const char *p_name) {
	return dlsym(p_library, p_name);
}

void host_os_unload(void *p_library) {
	dlclose(p_library);
}

void host_os_unsetenv(const char *p_name) {
	unsetenv(p_name);
}

/* ---- the bundled runtime ---- */

static void host_os_mark_path(char *r_path, size_t p_size) {
	snprintf(r_path, p_size, "%s/" HOST_RUNTIME_FOLDER "/used", host_addon_directory);
}

void host_os_forget_runtime(void) {
	char mark[4200];
	host_os_mark_path(mark, sizeof(mark));
	unlink(mark);
}

bool host_os_started_by_runtime(pid_t p_worker) {
	(void)p_worker; /* the wrapper replaced itself with the runtime: the mark tells */
	char mark[4200];
	host_os_mark_path(mark, sizeof(mark));
	return access(mark, F_OK) == 0;
}
