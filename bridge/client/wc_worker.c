/* The worker process: spawn it with the region and the doorbell, watch it, stop it. Every
 * system call is the platform layer's (wc_platform.h: wc_platform_posix.c,
 * wc_platform_windows.c); this file holds the policy.
 *
 * Watching: one thread per worker, which never touches Godot or the client's state. It
 * sleeps in wc_os_watch (the doorbell's end closing, or the process ending; it never reads
 * the API thread's bytes), so a death is seen at once. It wakes every
 * WC_WATCH_INTERVAL_MS to compare the heartbeat: unchanged for more than
 * BP_HEARTBEAT_STALE_MS (30 s, why in protocol.json) means hung, and it kills the worker.
 * Time the watcher itself did not run (Godot stopped, the whole machine paused) counts for
 * nothing: after such a gap the window starts over. Either way it reaps the process and sets
 * `dead`; the API thread notices the flag
 * (one atomic load per call) and cleans up. Kill and reap happen under proc_lock, so a
 * signal can never reach a recycled pid.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wc_private.h"

int wc_worker_spawn(wc_worker *r_worker, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size) {
	memset(r_worker, 0, sizeof(*r_worker));
	wc_os_init(&r_worker->os);
	pthread_mutex_init(&r_worker->proc_lock, NULL);
	bp_status status = br_shm_create(BP_RING_DATA_SIZE_DEFAULT, BP_RING_DATA_SIZE_DEFAULT, &r_worker->shm);
	if (status != BP_STATUS_OK) {
		snprintf(r_reason, p_reason_size, "shared memory: %s (%s)", bp_status_name(status), strerror(errno));
		pthread_mutex_destroy(&r_worker->proc_lock);
		return -1;
	}
	if (wc_os_spawn(&r_worker->os, &r_worker->shm, p_node, p_search_path, p_script, p_shm_addon, p_log_level, r_reason,
				p_reason_size) != 0) {
		br_shm_destroy(&r_worker->shm);
		pthread_mutex_destroy(&r_worker->proc_lock);
		return -1;
	}
	return 0;
}

/* kill, under proc_lock so the pid cannot have been reaped and recycled meanwhile. */
static void wc_worker_kill(wc_worker *p_worker) {
	pthread_mutex_lock(&p_worker->proc_lock);
	wc_os_kill(&p_worker->os);
	pthread_mutex_unlock(&p_worker->proc_lock);
}

/* Reap, giving it p_grace_ms to exit by itself first (then SIGKILL). */
static void wc_worker_reap(wc_worker *p_worker, int p_grace_ms) {
	uint64_t deadline = wc_now_ns() + (uint64_t)p_grace_ms * 1000000ull;
	bool killed = false;
	for (;;) {
		pthread_mutex_lock(&p_worker->proc_lock);
		if (wc_os_reap(&p_worker->os)) {
			pthread_mutex_unlock(&p_worker->proc_lock);
			return;
		}
		if (!killed && wc_now_ns() >= deadline) {
			wc_os_kill(&p_worker->os);
			killed = true;
		}
		pthread_mutex_unlock(&p_worker->proc_lock);
		wc_sleep_ms(2);
	}
}

uint32_t wc_test_hang_ms;

static void *wc_watch(void *p_arg) {
	wc_worker *w = p_arg;
	const uint64_t window = (uint64_t)w->hang_ms * 1000000ull;
	const uint64_t gap = (uint64_t)WC_WATCH_GAP_MS * 1000000ull;
	uint64_t last = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
	uint64_t changed = wc_now_ns();
	uint64_t awake = changed;
	while (!atomic_load(&w->stopping)) {
		if (wc_os_watch(&w->os, WC_WATCH_INTERVAL_MS)) {
			break;
		}
		uint64_t beat = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
		uint64_t now = wc_now_ns();
		if (now - awake > gap) {
			changed = now; /* we did not run either: no judgement over that time */
		}
		awake = now;
		if (beat != last) {
			last = beat;
			changed = now;
		} else if (now - changed > window) {
			atomic_store(&w->hung, 1);
			wc_worker_kill(w);
			break;
		}
	}
	wc_worker_reap(w, atomic_load(&w->stopping) ? WC_EXIT_GRACE_MS : 200);
	atomic_store(&w->dead, 1);
	return NULL;
}

int wc_worker_watch(wc_worker *p_worker) {
	p_worker->hang_ms = wc_test_hang_ms != 0 ? wc_test_hang_ms : BP_HEARTBEAT_STALE_MS;
	if (pthread_create(&p_worker->watcher, NULL, wc_watch, p_worker) != 0) {
		return -1;
	}
	p_worker->watching = true;
	return 0;
}

void wc_worker_stop(wc_worker *p_worker, bool p_kill) {
	if (p_kill) {
		wc_worker_kill(p_worker);
	}
	atomic_store(&p_worker->stopping, 1);
	/* The worker reads EOF and exits; the watcher's wc_os_watch wakes. */
	wc_os_hang_up(&p_worker->os);
	if (p_worker->watching) {
		pthread_join(p_worker->watcher, NULL);
		p_worker->watching = false;
	} else {
		wc_worker_reap(p_worker, p_kill ? 0 : WC_EXIT_GRACE_MS);
	}
	wc_os_close(&p_worker->os);
	br_shm_destroy(&p_worker->shm);
	pthread_mutex_destroy(&p_worker->proc_lock);
	atomic_store(&p_worker->dead, 1);
}

void wc_worker_describe_exit(const wc_worker *p_worker, char *r_text, size_t p_size) {
	if (atomic_load(&p_worker->hung)) {
		snprintf(r_text, p_size, "stopped answering (no heartbeat for %u ms) and was killed", (unsigned)p_worker->hang_ms);
	} else {
		wc_os_describe_exit(&p_worker->os, r_text, p_size);
	}
}
