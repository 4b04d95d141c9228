/* Test support for the client's programs: options, a log collector, a poll loop that plays a
 * game's signalling relay between two peers of one client, and /proc checks for leftovers.
 * Header-only (static inline functions); test programs add bridge/ring/tests/bt.h. */
#ifndef BRIDGE_TC_H
#define BRIDGE_TC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../wc.h"

/* Every test pins ICE to loopback and uses no ICE server, written as Godot's JSON.stringify
 * writes the Dictionary. */
#define TC_LOOPBACK "{\"iceServers\":[],\"libdatachannel\":{\"bindAddress\":\"127.0.0.1\"}}"

typedef struct tc_options {
	const char *node;
	const char *worker;
	const char *shm_addon;
} tc_options;

static tc_options tc_opt;

static inline void tc_parse(int p_argc, char **p_argv) {
	tc_opt.node = "node";
	tc_opt.worker = NULL;
	tc_opt.shm_addon = NULL;
	for (int i = 1; i + 1 < p_argc; i++) {
		if (strcmp(p_argv[i], "--node") == 0) {
			tc_opt.node = p_argv[++i];
		} else if (strcmp(p_argv[i], "--worker") == 0) {
			tc_opt.worker = p_argv[++i];
		} else if (strcmp(p_argv[i], "--shm-addon") == 0) {
			tc_opt.shm_addon = p_argv[++i];
		}
	}
	if (tc_opt.worker == NULL) {
		fprintf(stderr, "usage: %s --worker build/worker/worker.mjs [--node node] [--shm-addon shm.node]\n", p_argv[0]);
		exit(2);
	}
}

/* ---- log collector ---- */

#define TC_LOG_LINES 256

static char tc_log_text[TC_LOG_LINES][1024];
static int tc_log_level[TC_LOG_LINES];
static int tc_log_count;
static int tc_log_echo = 1;

static inline void tc_log(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	if (tc_log_echo) {
		fprintf(stderr, "  [log %s] %.300s\n", p_level == BP_LOG_LEVEL_ERROR ? "error" : p_level == BP_LOG_LEVEL_WARNING ? "warning" : "info", p_message);
	}
	if (tc_log_count < TC_LOG_LINES) {
		snprintf(tc_log_text[tc_log_count], sizeof(tc_log_text[0]), "%s", p_message);
		tc_log_level[tc_log_count] = p_level;
		tc_log_count++;
	}
}

static inline void tc_logs_clear(void) {
	tc_log_count = 0;
}

/* Lines at p_level containing p_text (NULL: any). */
static inline int tc_logs_count(int p_level, const char *p_text) {
	int count = 0;
	for (int i = 0; i < tc_log_count; i++) {
		if (tc_log_level[i] == p_level && (p_text == NULL || strstr(tc_log_text[i], p_text) != NULL)) {
			count++;
		}
	}
	return count;
}

static inline void tc_configure(void) {
	setenv(BP_ENV_NODE, tc_opt.node, 1);
	wc_config config = { .worker_script = tc_opt.worker, .shm_addon = tc_opt.shm_addon, .call_timeout_ms = 10000 };
	wc_configure(&config);
	wc_set_log(tc_log, NULL);
}

static inline uint64_t tc_now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- two peers of one client, wired as a signalling relay would wire them ---- */

#define TC_TRACE 64

typedef struct tc_pair {
	wc_handle a;
	wc_handle b;
	wc_handle ch_a; /* created on a */
	wc_handle ch_b; /* received on b */
	int failures; /* relay calls that did not return OK */
	/* signal kinds in the order each peer saw them; 'o'/'a' offer/answer, 'c' candidate,
	 * 'd' data channel; and each peer's signaling state when its first candidate came */
	char trace_a[TC_TRACE];
	char trace_b[TC_TRACE];
	int signaling_at_first_candidate_a;
	int signaling_at_first_candidate_b;
	int candidate_index_max;
} tc_pair;

static inline void tc_trace(char *p_trace, char p_mark) {
	size_t length = strlen(p_trace);
	if (length + 1 < TC_TRACE) {
		p_trace[length] = p_mark;
		p_trace[length + 1] = '\0';
	}
}

/* poll() one peer and relay its signals to the other. */
static inline void tc_relay(tc_pair *p_pair, wc_handle p_self, wc_handle p_other) {
	uint32_t count = 0;
	if (wc_peer_poll(p_self, &count) != BP_CORE_STATUS_OK) {
		return;
	}
	bool is_a = p_self == p_pair->a;
	char *trace = is_a ? p_pair->trace_a : p_pair->trace_b;
	wc_signal signal;
	while (wc_peer_next_signal(p_self, &signal) == BP_CORE_STATUS_OK) {
		if (signal.kind == WC_SIGNAL_SESSION_DESCRIPTION_CREATED) {
			tc_trace(trace, signal.type.data[0]);
			if (wc_peer_set_local_description(p_self, signal.type.data, signal.type.length, signal.sdp.data, signal.sdp.length) != 0 ||
					wc_peer_set_remote_description(p_other, signal.type.data, signal.type.length, signal.sdp.data, signal.sdp.length) != 0) {
				p_pair->failures++;
			}
		} else if (signal.kind == WC_SIGNAL_ICE_CANDIDATE_CREATED) {
			if (strchr(trace, 'c') == NULL) {
				int32_t state = -1;
				wc_peer_get_signaling_state(p_self, &state);
				*(is_a ? &p_pair->signaling_at_first_candidate_a : &p_pair->signaling_at_first_candidate_b) = state;
			}
			tc_trace(trace, 'c');
			if (signal.index > p_pair->candidate_index_max) {
				p_pair->candidate_index_max = signal.index;
			}
			if (wc_peer_add_ice_candidate(p_other, signal.mid.data, signal.mid.length, signal.index, signal.candidate.data,
						signal.candidate.length) != 0) {
				p_pair->failures++;
			}
		} else if (signal.kind == WC_SIGNAL_DATA_CHANNEL_RECEIVED) {
			tc_trace(trace, 'd');
			if (!is_a && p_pair->ch_b == 0) {
				p_pair->ch_b = signal.channel;
			} else {
				wc_channel_free(signal.channel);
			}
		}
	}
}

static inline int32_t tc_ready(wc_handle p_channel) {
	int32_t state = -1;
	if (p_channel == 0 || wc_channel_get_ready_state(p_channel, &state) != BP_CORE_STATUS_OK) {
		return -1;
	}
	return state;
}

/* Initialize both, create "chat" on a (options JSON; negotiated: on b too), offer, relay
 * until both ends are OPEN.
 * Returns 0, or -1 after p_timeout_ms. */
static inline int tc_connect(tc_pair *r_pair, const char *p_options, int p_timeout_ms) {
	memset(r_pair, 0, sizeof(*r_pair));
	r_pair->signaling_at_first_candidate_a = r_pair->signaling_at_first_candidate_b = -1;
	if (wc_peer_create(&r_pair->a) != 0 || wc_peer_create(&r_pair->b) != 0) {
		return -1;
	}
	if (wc_peer_initialize(r_pair->a, TC_LOOPBACK, strlen(TC_LOOPBACK)) != 0 ||
			wc_peer_initialize(r_pair->b, TC_LOOPBACK, strlen(TC_LOOPBACK)) != 0) {
		return -1;
	}
	if (wc_peer_create_data_channel(r_pair->a, "chat", 4, p_options, strlen(p_options), &r_pair->ch_a) != 0) {
		return -1;
	}
	/* A negotiated channel is created on both ends (and never announced). */
	if (strstr(p_options, "\"negotiated\":true") != NULL &&
			wc_peer_create_data_channel(r_pair->b, "chat", 4, p_options, strlen(p_options), &r_pair->ch_b) != 0) {
		return -1;
	}
	if (wc_peer_create_offer(r_pair->a) != 0) {
		return -1;
	}
	uint64_t deadline = tc_now_ms() + (uint64_t)p_timeout_ms;
	while (tc_now_ms() < deadline) {
		tc_relay(r_pair, r_pair->a, r_pair->b);
		tc_relay(r_pair, r_pair->b, r_pair->a);
		if (tc_ready(r_pair->ch_a) == BP_CHANNEL_STATE_OPEN && tc_ready(r_pair->ch_b) == BP_CHANNEL_STATE_OPEN) {
			return 0;
		}
		wc_wait(5);
	}
	return -1;
}

static inline void tc_pair_free(tc_pair *p_pair) {
	wc_handle handles[2] = { p_pair->ch_a, p_pair->ch_b };
	for (int i = 0; i < 2; i++) {
		if (handles[i] != 0) {
			wc_channel_free(handles[i]);
		}
	}
	wc_peer_free(p_pair->a);
	wc_peer_free(p_pair->b);
}

/* ---- leftovers ---- */

static inline int tc_count_dir(const char *p_path) {
	DIR *dir = opendir(p_path);
	if (dir == NULL) {
		return -1;
	}
	int count = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		count += entry->d_name[0] != '.';
	}
	closedir(dir);
	return count;
}

/* Descriptors or mappings of a bridge region in this process. */
static inline int tc_bridge_memory_left(void) {
	int found = 0;
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	while (dir != NULL && (entry = readdir(dir)) != NULL) {
		char path[300];
		char target[300];
		snprintf(path, sizeof(path), "/proc/self/fd/%s", entry->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			found += strstr(target, "godot-webrtc-bridge") != NULL;
		}
	}
	if (dir != NULL) {
		closedir(dir);
	}
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	while (maps != NULL && fgets(line, sizeof(line), maps) != NULL) {
		found += strstr(line, "godot-webrtc-bridge") != NULL;
	}
	if (maps != NULL) {
		fclose(maps);
	}
	return found;
}

/* Whether a process exists and is not a zombie. */
static inline int tc_process_alive(int p_pid) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", p_pid);
	FILE *stat = fopen(path, "r");
	if (stat == NULL) {
		return 0;
	}
	char line[512] = "";
	char *ok = fgets(line, sizeof(line), stat);
	fclose(stat);
	const char *close_paren = ok != NULL ? strrchr(line, ')') : NULL;
	return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] != 'Z';
}

#endif /* BRIDGE_TC_H */
