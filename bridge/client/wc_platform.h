/* Everything about the worker process that differs by operating system, behind one small
 * interface. One file per platform implements it:
 *
 *   wc_platform_posix.c     Linux and macOS: socketpair doorbell, posix_spawn with the region
 *                           and the doorbell on BP_REGION_FD / BP_DOORBELL_FD, poll() and
 *                           waitpid() for death, SIGKILL
 *   wc_platform_windows.c   Windows: a per-user named pipe doorbell, CreateProcessW inheriting
 *                           exactly the region's mapping handle (PROC_THREAD_ATTRIBUTE_HANDLE_LIST),
 *                           the handle and the pipe named in the worker's environment
 *                           (BP_ENV_REGION_HANDLE, BP_ENV_DOORBELL_PIPE), a kill-on-close job
 *                           object so the worker dies with Godot, TerminateProcess
 *
 * The region itself (create, map, "private to the user, gone with both processes") is the
 * ring layer's bridge/ring/shm.h, one file per platform as well: shm_memfd.c (Linux),
 * shm_posix.c (shm_open: macOS, and Linux built with -DBR_PLATFORM_POSIX), shm_windows.c.
 * bridge/ring/platform.h says which one a build uses.
 *
 * Threads and locks stay pthreads on every platform (mingw-w64's winpthreads on Windows).
 * None of these functions takes the client lock; wc_worker.c serializes kill and reap. */
#ifndef BRIDGE_WC_PLATFORM_H
#define BRIDGE_WC_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ring/platform.h"
#include "../ring/shm.h"

typedef struct wc_os_worker {
#if defined(BR_PLATFORM_WINDOWS)
	void *process; /* HANDLE; NULL: none */
	void *job; /* HANDLE of the kill-on-close job holding the worker */
	struct wc_os_pipe *pipe; /* the doorbell: our end of the named pipe and its pending I/O */
	uint32_t exit_code;
	bool killed;
#else
	int pid; /* -1: none (or reaped) */
	int doorbell; /* our end of the socketpair, close-on-exec */
	int wait_status; /* from waitpid, valid once reaped */
#endif
	int32_t id; /* the process id, for logs; 0: none */
	bool reaped; /* its end was observed and its exit status read */
} wc_os_worker;

/* A wc_os_worker that holds nothing (safe to pass to every function below). */
void wc_os_init(wc_os_worker *r_os);

/* Create the doorbell and start p_node p_script --bridge with exactly the region and the
 * doorbell (and the standard streams), stdin from the null device, p_shm_addon and
 * p_log_level (each when not NULL, replacing an inherited one) in its environment as
 * BP_ENV_SHM_ADDON and BP_ENV_LOG_LEVEL. p_search_path: look p_node up on PATH.
 * 0, or -1 with a reason in r_reason (then nothing is left open). */
int wc_os_spawn(wc_os_worker *r_os, const br_shm *p_shm, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size);

/* Send one doorbell byte (never blocks; a full doorbell means the worker wakes anyway). */
void wc_os_ring(wc_os_worker *p_os);

/* Wait for doorbell bytes and drain them: 1 rung, 0 timeout, -1 the worker's end closed.
 * Called by one thread at a time (the API thread, under the client lock). */
int wc_os_doorbell_wait(wc_os_worker *p_os, int p_timeout_ms);

/* The watcher's sleep: true once the worker is gone (its doorbell end closed or the process
 * ended), false after p_timeout_ms. Never reads doorbell bytes. */
bool wc_os_watch(wc_os_worker *p_os, int p_timeout_ms);

/* Kill the worker at once (no-op once reaped). The caller makes sure kill and reap never
 * run at the same time (the id could be recycled after a reap). */
void wc_os_kill(wc_os_worker *p_os);

/* Read its exit status if it has ended: true (then reaped is set, and the id may no longer
 * be used), false while it runs. Never blocks. */
bool wc_os_reap(wc_os_worker *p_os);

/* Close our end of the doorbell for writing and reading: the worker reads EOF and exits. */
void wc_os_hang_up(wc_os_worker *p_os);

/* Close every handle (after the reap). */
void wc_os_close(wc_os_worker *p_os);

/* "exited with code 1" / "was killed by signal 9" (once reaped). */
void wc_os_describe_exit(const wc_os_worker *p_os, char *r_text, size_t p_size);

/* The absolute path of an existing file (malloc'd, '/' separators), NULL when there is none. */
char *wc_os_absolute_path(const char *p_path);

/* The path of the shared library holding p_address (malloc'd UTF-8, '/' separators), NULL
 * when the system cannot tell. */
char *wc_os_module_path(const void *p_address);

/* The bundled runtime's file name: "node", "node.exe". */
#if defined(BR_PLATFORM_WINDOWS)
#define WC_OS_RUNTIME_FILE "node.exe"
#else
#define WC_OS_RUNTIME_FILE "node"
#endif

/* This build's platform as Godot's feature tags name it ("linux.x86_64", "windows.x86_64",
 * "macos.arm64"): the addon keeps each platform's runtime and native modules in a folder of
 * that name (<addon>/runtime/<folder>/, <addon>/worker/<folder>/), so one addon folder can hold
 * several platforms. Taken from the compiler's target, not BR_PLATFORM_* (the POSIX build on
 * Linux is still Linux). */
#if defined(_WIN32)
#define WC_OS_NAME "windows"
#elif defined(__APPLE__)
#define WC_OS_NAME "macos"
#else
#define WC_OS_NAME "linux"
#endif
#if defined(__x86_64__) || defined(_M_X64)
#define WC_OS_ARCH "x86_64"
#elif defined(__aarch64__) || defined(_M_ARM64)
#define WC_OS_ARCH "arm64"
#elif defined(__i386__) || defined(_M_IX86)
#define WC_OS_ARCH "x86_32"
#else
#define WC_OS_ARCH "unknown"
#endif
#define WC_OS_PLATFORM_FOLDER WC_OS_NAME "." WC_OS_ARCH

/* Monotonic clock in nanoseconds; sleep p_ms milliseconds. */
uint64_t wc_now_ns(void);
void wc_sleep_ms(int p_ms);

#endif /* BRIDGE_WC_PLATFORM_H */
