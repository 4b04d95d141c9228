/* The process-wide client: its lock, settings and log, and the worker's life cycle — lazy
 * start with the Node search and the HELLO handshake, the check every call makes for a dead
 * worker, and what a death does to every object (wc_lost). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ring/region.h"
#include "wc_private.h"

#define WC_REQUIRED_FEATURES (BP_HELLO_FEATURE_HEARTBEAT | BP_HELLO_FEATURE_EVENT_BACKLOG)

wc_client wc_g = { .lock = PTHREAD_MUTEX_INITIALIZER, .next_request = 1, .channels = { .tag = WC_TABLE_TAG } };

void wc_lock(void) {
	pthread_mutex_lock(&wc_g.lock);
}

void wc_unlock(void) {
	pthread_mutex_unlock(&wc_g.lock);
}

/* ---- log ---- */

static void wc_log_stderr(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	const char *prefix = p_level == BP_LOG_LEVEL_ERROR ? "ERROR" : p_level == BP_LOG_LEVEL_WARNING ? "WARNING" : "INFO";
	fprintf(stderr, "%s: %s\n", prefix, p_message);
}

void wc_log(int p_level, const char *p_format, ...) {
	char line[1024];
	va_list args;
	va_start(args, p_format);
	int length = vsnprintf(line, sizeof(line), p_format, args);
	va_end(args);
	char *text = line;
	char *heap = NULL;
	if (length >= (int)sizeof(line)) {
		heap = malloc((size_t)length + 1u);
		if (heap != NULL) {
			va_start(args, p_format);
			vsnprintf(heap, (size_t)length + 1u, p_format, args);
			va_end(args);
			text = heap;
		}
	}
	(wc_g.log != NULL ? wc_g.log : wc_log_stderr)(wc_g.log_user, p_level, text);
	free(heap);
}

void wc_set_log(wc_log_fn p_log, void *p_user) {
	wc_lock();
	wc_g.log = p_log;
	wc_g.log_user = p_user;
	wc_unlock();
}

/* A copy, absolute when the file exists (the worker runs with Godot's working directory, and
 * Node resolves a relative addon path as a module name). */
static char *wc_path_or_null(const char *p_text) {
	if (p_text == NULL || p_text[0] == '\0') {
		return NULL;
	}
	char *absolute = wc_os_absolute_path(p_text);
	return absolute != NULL ? absolute : strdup(p_text);
}

void wc_configure(const wc_config *p_config) {
	wc_lock();
	free(wc_g.library_path);
	free(wc_g.spawn_script);
	wc_g.spawn_script = NULL;
	free(wc_g.worker_script);
	free(wc_g.bundled_node);
	free(wc_g.shm_addon);
	/* As given, not resolved: a project may reach the addon through a link. */
	wc_g.library_path = p_config->library_path != NULL ? strdup(p_config->library_path) : NULL;
	wc_g.worker_script = wc_path_or_null(p_config->worker_script);
	wc_g.bundled_node = wc_path_or_null(p_config->bundled_node);
	wc_g.shm_addon = wc_path_or_null(p_config->shm_addon);
	wc_g.call_timeout_ms = p_config->call_timeout_ms;
	wc_g.start_timeout_ms = p_config->start_timeout_ms;
	wc_g.read_log_level = p_config->read_log_level;
	wc_g.read_log_level_user = p_config->read_log_level_user;
	wc_unlock();
}

/* ---- the worker's log level ---- */

/* The worker's names, least to most detailed (extension/src/core/log-level.ts). */
static const char *const wc_log_levels[] = { "error", "warning", "info", "debug", "verbose" };

/* What the worker is told for the start under way (README.md, "Logs and diagnostics"): NULL
 * when Godot's environment names a level (the worker reads it, and warns about a bad one)
 * or nothing is configured; else the configured level's name. An unknown one: one warning
 * naming WC_SETTING_LOG_LEVEL, and NULL (the default). */
static const char *wc_log_level_for_worker(void) {
	const char *from_env = getenv(BP_ENV_LOG_LEVEL);
	if ((from_env != NULL && from_env[0] != '\0') || wc_g.read_log_level == NULL) {
		return NULL;
	}
	char text[64] = "";
	if (!wc_g.read_log_level(wc_g.read_log_level_user, text, sizeof(text))) {
		return NULL;
	}
	text[sizeof(text) - 1u] = '\0';
	/* Any case, blanks around it ignored; empty is the default, as the worker reads it. */
	const char *start = text;
	while (*start == ' ' || *start == '\t') {
		start++;
	}
	size_t length = strlen(start);
	while (length > 0 && (start[length - 1u] == ' ' || start[length - 1u] == '\t')) {
		length--;
	}
	if (length == 0) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(wc_log_levels) / sizeof(wc_log_levels[0]); i++) {
		const char *name = wc_log_levels[i];
		bool same = strlen(name) == length;
		for (size_t c = 0; same && c < length; c++) {
			char letter = start[c] >= 'A' && start[c] <= 'Z' ? (char)(start[c] - 'A' + 'a') : start[c];
			same = letter == name[c];
		}
		if (same) {
			return name;
		}
	}
	wc_log(BP_LOG_LEVEL_WARNING,
			"godot-webrtc: the project setting %s is \"%s\", not one of error, warning, info, debug, verbose; using warning",
			WC_SETTING_LOG_LEVEL, text);
	return NULL;
}

/* ---- start ---- */

/* Wait for HELLO and check it. 0, or -1 with a reason. */
static int wc_handshake(char *r_reason, size_t p_size) {
	int32_t timeout = wc_g.start_timeout_ms > 0 ? wc_g.start_timeout_ms : WC_START_TIMEOUT_MS_DEFAULT;
	uint64_t deadline = wc_now_ns() + (uint64_t)timeout * 1000000ull;
	for (;;) {
		br_record record;
		bp_status status = br_consumer_peek(&wc_g.events, &record);
		if (status == BP_STATUS_OK) {
			wc_event event;
			const char *why = NULL;
			if (record.type != BP_MSG_HELLO ||
					wc_wire_decode_event(record.type, record.payload, record.length, &event, &why) != BP_CORE_STATUS_OK) {
				snprintf(r_reason, p_size, "sent a first record that is not a HELLO (kind %u)", record.type);
				return -1;
			}
			br_consumer_advance(&wc_g.events);
			br_consumer_publish(&wc_g.events);
			if (event.version != BP_VERSION) {
				snprintf(r_reason, p_size,
						"speaks bridge protocol version %u and this library %u: the worker bundle and the shim come from different builds",
						event.version, BP_VERSION);
				return -1;
			}
			if ((event.features & WC_REQUIRED_FEATURES) != WC_REQUIRED_FEATURES) {
				snprintf(r_reason, p_size, "lacks required features (has 0x%x, needs 0x%x)", event.features, WC_REQUIRED_FEATURES);
				return -1;
			}
			return 0;
		}
		if (status != BP_STATUS_EMPTY) {
			snprintf(r_reason, p_size, "left its events ring corrupt (%s)", bp_status_name(status));
			return -1;
		}
		uint64_t now = wc_now_ns();
		if (now >= deadline) {
			snprintf(r_reason, p_size, "sent no HELLO within %d ms", timeout);
			return -1;
		}
		if (br_consumer_prepare_sleep(&wc_g.events)) {
			int wait_ms = (int)((deadline - now) / 1000000ull) + 1;
			int rung = wc_os_doorbell_wait(&wc_g.worker.os, wait_ms);
			br_consumer_end_sleep(&wc_g.events);
			if (rung < 0) {
				wc_worker_stop(&wc_g.worker, false);
				char how[128];
				wc_worker_describe_exit(&wc_g.worker, how, sizeof(how));
				snprintf(r_reason, p_size, "%s before its HELLO (see the lines above)", how);
				return 1; /* already stopped */
			}
		}
	}
}

/* Spawn one candidate and shake hands. 0: running. */
static int wc_try_start(const char *p_node, bool p_search_path, char *r_reason, size_t p_size) {
	char why[256] = "";
	if (wc_worker_spawn(&wc_g.worker, p_node, p_search_path, wc_g.spawn_script, wc_g.shm_addon, wc_g.spawn_log_level, why,
				sizeof(why)) != 0) {
		snprintf(r_reason, p_size, "%s", why);
		return -1;
	}
	bp_status attached = wc_link_attach(&wc_g.worker);
	if (attached != BP_STATUS_OK) {
		wc_worker_stop(&wc_g.worker, true);
		snprintf(r_reason, p_size, "%s: cannot use the shared-memory region (%s)", p_node, bp_status_name(attached));
		return -1;
	}
	int rc = wc_handshake(why, sizeof(why));
	if (rc != 0) {
		if (rc < 0) {
			wc_worker_stop(&wc_g.worker, true);
		}
		snprintf(r_reason, p_size, "%s: the worker %s", p_node, why);
		return -1;
	}
	if (wc_worker_watch(&wc_g.worker) != 0) {
		wc_worker_stop(&wc_g.worker, true);
		snprintf(r_reason, p_size, "cannot start the watcher thread: %s", strerror(errno));
		return -1;
	}
	return 0;
}

typedef struct wc_node_candidate {
	const char *node;
	bool search_path;
} wc_node_candidate;

/* Which worker script and which runtimes to try (wc.h, the contract's search order). */
static wc_status wc_start(void) {
	wc_location found;
	wc_locate(wc_g.library_path, &found);
	const char *from_env = getenv(BP_ENV_WORKER);
	const char *script = wc_g.worker_script;
	if (script == NULL) {
		script = from_env != NULL && from_env[0] != '\0' ? from_env : found.worker_script;
	}
	if (script == NULL || access(script, R_OK) != 0) {
		wc_log(BP_LOG_LEVEL_ERROR,
				"godot-webrtc: the worker bundle %s is missing; reinstall the addon (it ships worker/worker.mjs) or set %s",
				script != NULL ? script : "(not configured)", BP_ENV_WORKER);
		wc_location_free(&found);
		return BP_CORE_STATUS_NO_WORKER;
	}
	char *chosen = wc_path_or_null(script);
	free(wc_g.spawn_script);
	wc_g.spawn_script = chosen;
	/* The Node search order: $GODOT_WEBRTC_NODE, a configured runtime, the runtime shipped
	 * beside the worker, PATH. */
	const char *node_env = getenv(BP_ENV_NODE);
	wc_node_candidate candidates[4];
	int count = 0;
	if (node_env != NULL && node_env[0] != '\0') {
		candidates[count++] = (wc_node_candidate){ node_env, false };
	}
	if (wc_g.bundled_node != NULL) {
		candidates[count++] = (wc_node_candidate){ wc_g.bundled_node, false };
	}
	if (found.runtime != NULL) {
		candidates[count++] = (wc_node_candidate){ found.runtime, false };
	}
	candidates[count++] = (wc_node_candidate){ "node", true };
	wc_g.spawn_log_level = wc_log_level_for_worker(); /* asked once per start: one warning at most */
	char tried[1024] = "";
	wc_status result = BP_CORE_STATUS_NO_WORKER;
	for (int i = 0; i < count && chosen != NULL; i++) {
		char reason[384] = "";
		if (wc_try_start(candidates[i].node, candidates[i].search_path, reason, sizeof(reason)) == 0) {
			wc_g.running = true;
			wc_g.epoch++;
			wc_g.stats.workers_started++;
			wc_g.stats.worker_pid = wc_g.worker.os.id;
			result = BP_CORE_STATUS_OK;
			break;
		}
		size_t used = strlen(tried);
		snprintf(tried + used, sizeof(tried) - used, "%s%s", used != 0 ? "; " : "", reason);
	}
	if (result != BP_CORE_STATUS_OK) {
		wc_log(BP_LOG_LEVEL_ERROR,
				"godot-webrtc: cannot start the WebRTC worker (%s). The addon ships its own Node.js runtime beside its worker "
				"(addons/webrtc_ts/runtime/" WC_OS_PLATFORM_FOLDER "/" WC_OS_RUNTIME_FILE "; in an exported game, "
				WC_OS_RUNTIME_FILE " beside the executable): reinstall the addon to "
				"restore it, or install Node.js 20 or newer so that `node` is on PATH, or set %s to a node binary",
				tried, BP_ENV_NODE);
	}
	wc_location_free(&found);
	return result;
}

wc_status wc_ensure_worker(void) {
	if (wc_g.running) {
		return BP_CORE_STATUS_OK;
	}
	return wc_start();
}

/* ---- every call ---- */

void wc_touch(void) {
	if (!wc_g.running) {
		return;
	}
	if (atomic_load_explicit(&wc_g.worker.dead, memory_order_acquire)) {
		wc_lost(NULL);
		return;
	}
	if (wc_g.overflow_head != NULL) {
		wc_link_flush();
	}
	wc_link_drain();
}

/* ---- death ---- */

static void wc_fail_objects(void) {
	for (uint32_t slot = 0; slot < wc_g.peers.used; slot++) {
		wc_peer *peer = wc_table_get(&wc_g.peers, wc_table_handle_at(&wc_g.peers, slot));
		if (peer == NULL || peer->core == 0) {
			continue;
		}
		peer->core = 0;
		if (!peer->closed) {
			peer->orphaned = true;
			peer->connection = BP_CONNECTION_STATE_FAILED;
		}
	}
	for (uint32_t slot = 0; slot < wc_g.channels.used; slot++) {
		wc_channel *channel = wc_table_get(&wc_g.channels, wc_table_handle_at(&wc_g.channels, slot));
		if (channel != NULL && channel->core != 0) {
			channel->core = 0;
			channel->state = BP_CHANNEL_STATE_CLOSED;
		}
	}
	wc_map_free(&wc_g.core_peers);
	wc_map_free(&wc_g.core_channels);
}

static uint32_t wc_live_peers(void) {
	uint32_t live = 0;
	for (uint32_t slot = 0; slot < wc_g.peers.used; slot++) {
		wc_peer *peer = wc_table_get(&wc_g.peers, wc_table_handle_at(&wc_g.peers, slot));
		live += peer != NULL && peer->core != 0 && !peer->closed;
	}
	return live;
}

static void wc_drop_overflow(void) {
	while (wc_g.overflow_head != NULL) {
		wc_pending *next = wc_g.overflow_head->next;
		free(wc_g.overflow_head);
		wc_g.overflow_head = next;
	}
	wc_g.overflow_tail = NULL;
}

void wc_lost(const char *p_reason) {
	if (!wc_g.running) {
		return;
	}
	wc_g.running = false;
	int32_t pid = wc_g.stats.worker_pid;
	uint32_t live = wc_live_peers();
	wc_worker_stop(&wc_g.worker, true);
	char how[160];
	if (p_reason != NULL) {
		snprintf(how, sizeof(how), "%s", p_reason);
	} else {
		wc_worker_describe_exit(&wc_g.worker, how, sizeof(how));
	}
	wc_fail_objects();
	wc_drop_overflow();
	wc_g.stats.worker_pid = 0;
	wc_log(BP_LOG_LEVEL_ERROR,
			"godot-webrtc: the WebRTC worker process (pid %d) %s; %u peer connection%s now FAILED and %s channels CLOSED. "
			"The next initialize() starts a new worker.",
			(int)pid, how, live, live == 1 ? " is" : "s are", live == 1 ? "its" : "their");
}

void wc_shutdown(void) {
	wc_lock();
	if (wc_g.running) {
		wc_link_flush();
		wc_g.running = false;
		wc_worker_stop(&wc_g.worker, false);
		wc_g.stats.worker_pid = 0;
	}
	wc_drop_overflow();
	wc_objects_clear();
	wc_str_free(&wc_g.reply.label);
	wc_str_free(&wc_g.reply.protocol);
	wc_unlock();
}

/* ---- tools ---- */

wc_status wc_wait(int32_t p_timeout_ms) {
	wc_lock();
	uint64_t seen = wc_g.stats.events;
	wc_touch();
	wc_status status = wc_g.running ? BP_CORE_STATUS_OK : BP_CORE_STATUS_NO_WORKER;
	/* Events already here: done. Else re-check for WC_SPIN_NS (a burst usually continues,
	 * and each sleep costs the worker a doorbell write), then sleep. */
	uint64_t start = wc_now_ns();
	while (wc_g.running && wc_g.stats.events == seen && wc_now_ns() - start < WC_SPIN_NS) {
		wc_link_drain();
	}
	if (wc_g.running && wc_g.stats.events == seen) {
		int rc = wc_link_sleep(p_timeout_ms, wc_g.overflow_head != NULL);
		status = rc < 0 ? BP_CORE_STATUS_NO_WORKER : rc == 0 ? BP_CORE_STATUS_TIMEOUT : BP_CORE_STATUS_OK;
		if (rc < 0) {
			wc_lost(NULL);
		}
		wc_touch();
	}
	wc_unlock();
	return status;
}

void wc_get_stats(wc_stats *r_stats) {
	wc_lock();
	*r_stats = wc_g.stats;
	wc_unlock();
}
