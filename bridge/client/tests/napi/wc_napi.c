/* Test-only N-API binding over the C client (wc.h), so the behaviour contract's conformance
 * rows (extension/src/api/ *.test.ts) run against what Godot runs: the C client, linked in
 * statically, starting the real worker (build/worker/worker.mjs) on real node-datachannel.
 * c-client.ts beside it presents the rows' PeerConnection / DataChannel shape over this.
 *
 * Every function is one wc_* call with JavaScript arguments and results, and returns
 * statuses as Godot Errors through bp_core_status_to_godot_error(), as the shims do. Nothing
 * here holds WebRTC logic. The log callback and the event tap (wc_private.h's test hooks)
 * may run on the client's watcher thread: they only append to buffers under their own lock,
 * and JavaScript takes them with takeLogs() / takeTaps() after each call.
 *
 * Built by bridge/Makefile (target conformance) like shm.node: Node's own headers, only the
 * N-API entry points exported (bridge/node/shm.map). Never shipped. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <node_api.h>

#include "../../wc.h"
#include "../../wc_private.h"

#define WN_ARGS_MAX 6

/* ---- what the client reports between calls (any thread) ---- */

typedef struct wn_line {
	int level;
	char *text;
} wn_line;

typedef struct wn_tap {
	uint32_t type; /* BP_MSG_* */
	wc_handle peer; /* 0: not a peer event, or a peer unknown here */
	uint32_t state;
} wn_tap;

static pthread_mutex_t wn_lock = PTHREAD_MUTEX_INITIALIZER;
static wn_line *wn_lines;
static size_t wn_line_count;
static size_t wn_line_capacity;
static wn_tap *wn_taps;
static size_t wn_tap_count;
static size_t wn_tap_capacity;
static bool wn_tapping;
static uint32_t wn_peers_created; /* REPLYs to CREATE_PEER: peer objects the worker made */

static bool wn_grow(void **p_items, size_t *p_capacity, size_t p_count, size_t p_size) {
	if (p_count < *p_capacity) {
		return true;
	}
	size_t capacity = *p_capacity == 0 ? 64u : *p_capacity * 2u;
	void *items = realloc(*p_items, capacity * p_size);
	if (items == NULL) {
		return false;
	}
	*p_items = items;
	*p_capacity = capacity;
	return true;
}

static void wn_on_log(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	size_t length = strlen(p_message);
	char *text = malloc(length + 1u);
	if (text != NULL) {
		memcpy(text, p_message, length + 1u);
	}
	pthread_mutex_lock(&wn_lock);
	if (text != NULL && wn_grow((void **)&wn_lines, &wn_line_capacity, wn_line_count, sizeof(*wn_lines))) {
		wn_lines[wn_line_count++] = (wn_line){ p_level, text };
		text = NULL;
	}
	pthread_mutex_unlock(&wn_lock);
	if (text != NULL) {
		free(text);
		fprintf(stderr, "wc_napi: a log line was lost (out of memory): %s\n", p_message);
	}
}

/* Runs inside wc_events_apply, under the client's lock: the peer's handle is looked up here. */
static void wn_on_event(const wc_event *p_event) {
	if (p_event->type == BP_MSG_REPLY && p_event->command == BP_MSG_CREATE_PEER && p_event->status == BP_CORE_STATUS_OK) {
		wn_peers_created++;
	}
	if (!wn_tapping) {
		return;
	}
	wn_tap tap = { .type = p_event->type, .state = p_event->state };
	if (p_event->type == BP_MSG_CONNECTION_STATE || p_event->type == BP_MSG_GATHERING_STATE ||
			p_event->type == BP_MSG_SIGNALING_STATE || p_event->type == BP_MSG_CANDIDATE ||
			p_event->type == BP_MSG_DESCRIPTION) {
		tap.peer = wc_map_get(&wc_g.core_peers, p_event->pc);
	} else {
		return; /* the rows tap peer events only */
	}
	pthread_mutex_lock(&wn_lock);
	if (wn_grow((void **)&wn_taps, &wn_tap_capacity, wn_tap_count, sizeof(*wn_taps))) {
		wn_taps[wn_tap_count++] = tap;
	}
	pthread_mutex_unlock(&wn_lock);
}

/* ---- argument and result helpers ---- */

typedef struct wn_call {
	napi_env env;
	size_t argc;
	napi_value argv[WN_ARGS_MAX];
} wn_call;

static bool wn_get_args(napi_env p_env, napi_callback_info p_info, wn_call *r_call, size_t p_needed) {
	r_call->env = p_env;
	r_call->argc = WN_ARGS_MAX;
	if (napi_get_cb_info(p_env, p_info, &r_call->argc, r_call->argv, NULL, NULL) != napi_ok) {
		return false;
	}
	if (r_call->argc < p_needed) {
		napi_throw_type_error(p_env, NULL, "wc_napi: too few arguments");
		return false;
	}
	return true;
}

static int32_t wn_int(const wn_call *p_call, size_t p_at) {
	int32_t value = 0;
	if (napi_get_value_int32(p_call->env, p_call->argv[p_at], &value) != napi_ok) {
		napi_throw_type_error(p_call->env, NULL, "wc_napi: expected a number");
	}
	return value;
}

static int64_t wn_int64(const wn_call *p_call, size_t p_at) {
	int64_t value = 0;
	if (napi_get_value_int64(p_call->env, p_call->argv[p_at], &value) != napi_ok) {
		napi_throw_type_error(p_call->env, NULL, "wc_napi: expected a number");
	}
	return value;
}

/* A UTF-8 copy of a string argument (free it), or NULL after throwing. */
static char *wn_string(const wn_call *p_call, size_t p_at, size_t *r_length) {
	size_t length = 0;
	if (napi_get_value_string_utf8(p_call->env, p_call->argv[p_at], NULL, 0, &length) != napi_ok) {
		napi_throw_type_error(p_call->env, NULL, "wc_napi: expected a string");
		return NULL;
	}
	char *text = malloc(length + 1u);
	if (text == NULL) {
		napi_throw_error(p_call->env, NULL, "wc_napi: out of memory");
		return NULL;
	}
	napi_get_value_string_utf8(p_call->env, p_call->argv[p_at], text, length + 1u, &length);
	*r_length = length;
	return text;
}

static napi_value wn_number(napi_env p_env, double p_value) {
	napi_value value;
	napi_create_double(p_env, p_value, &value);
	return value;
}

static napi_value wn_error(napi_env p_env, wc_status p_status) {
	return wn_number(p_env, bp_core_status_to_godot_error(p_status));
}

static napi_value wn_bool(napi_env p_env, bool p_value) {
	napi_value value;
	napi_get_boolean(p_env, p_value, &value);
	return value;
}

static napi_value wn_text(napi_env p_env, wc_text p_text) {
	napi_value value;
	napi_create_string_utf8(p_env, p_text.data != NULL ? p_text.data : "", p_text.data != NULL ? p_text.length : 0u, &value);
	return value;
}

static void wn_set(napi_env p_env, napi_value p_object, const char *p_name, napi_value p_value) {
	napi_set_named_property(p_env, p_object, p_name, p_value);
}

/* [error, value] */
static napi_value wn_pair(napi_env p_env, wc_status p_status, napi_value p_value) {
	napi_value pair;
	napi_create_array_with_length(p_env, 2, &pair);
	napi_set_element(p_env, pair, 0, wn_error(p_env, p_status));
	napi_set_element(p_env, pair, 1, p_value);
	return pair;
}

/* ---- the client ---- */

/* configure(worker, node, shmAddon): strings, copied by the client. */
static napi_value wn_configure(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 3)) {
		return NULL;
	}
	size_t length;
	char *worker = wn_string(&call, 0, &length);
	char *node = worker != NULL ? wn_string(&call, 1, &length) : NULL;
	char *addon = node != NULL ? wn_string(&call, 2, &length) : NULL;
	if (addon != NULL) {
		wc_config config = { .worker_script = worker, .bundled_node = node, .shm_addon = addon };
		wc_configure(&config);
		wc_set_log(wn_on_log, NULL);
		wc_test_event_tap = wn_on_event;
	}
	free(worker);
	free(node);
	free(addon);
	return NULL;
}

/* setTestLimits(send, receive): 0 restores the protocol's. */
static napi_value wn_set_test_limits(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 2)) {
		return NULL;
	}
	wc_lock();
	wc_test_send_limit = (uint32_t)wn_int(&call, 0);
	wc_test_receive_limit = (uint32_t)wn_int(&call, 1);
	wc_unlock();
	return NULL;
}

/* holdEvents(on): wc_test_hold_events (no call drains the worker's events meanwhile). */
static napi_value wn_hold_events(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	wc_lock();
	wc_test_hold_events = wn_int(&call, 0) != 0;
	wc_unlock();
	return NULL;
}

/* setTapping(on): record peer events for takeTaps(). */
static napi_value wn_set_tapping(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	bool on = false;
	napi_get_value_bool(p_env, call.argv[0], &on);
	wc_lock();
	wn_tapping = on;
	wc_unlock();
	return NULL;
}

/* takeLogs(): [[level, text], ...] since the last call. */
static napi_value wn_take_logs(napi_env p_env, napi_callback_info p_info) {
	(void)p_info;
	pthread_mutex_lock(&wn_lock);
	wn_line *lines = wn_lines;
	size_t count = wn_line_count;
	wn_lines = NULL;
	wn_line_count = 0;
	wn_line_capacity = 0;
	pthread_mutex_unlock(&wn_lock);
	napi_value result;
	napi_create_array_with_length(p_env, count, &result);
	for (size_t i = 0; i < count; i++) {
		napi_value line, text;
		napi_create_array_with_length(p_env, 2, &line);
		napi_create_string_utf8(p_env, lines[i].text, NAPI_AUTO_LENGTH, &text);
		napi_set_element(p_env, line, 0, wn_number(p_env, lines[i].level));
		napi_set_element(p_env, line, 1, text);
		napi_set_element(p_env, result, (uint32_t)i, line);
		free(lines[i].text);
	}
	free(lines);
	return result;
}

/* takeTaps(): [[type, peer, state], ...] since the last call. */
static napi_value wn_take_taps(napi_env p_env, napi_callback_info p_info) {
	(void)p_info;
	pthread_mutex_lock(&wn_lock);
	wn_tap *taps = wn_taps;
	size_t count = wn_tap_count;
	wn_taps = NULL;
	wn_tap_count = 0;
	wn_tap_capacity = 0;
	pthread_mutex_unlock(&wn_lock);
	napi_value result;
	napi_create_array_with_length(p_env, count, &result);
	for (size_t i = 0; i < count; i++) {
		napi_value tap;
		napi_create_array_with_length(p_env, 3, &tap);
		napi_set_element(p_env, tap, 0, wn_number(p_env, taps[i].type));
		napi_set_element(p_env, tap, 1, wn_number(p_env, taps[i].peer));
		napi_set_element(p_env, tap, 2, wn_number(p_env, taps[i].state));
		napi_set_element(p_env, result, (uint32_t)i, tap);
	}
	free(taps);
	return result;
}

static napi_value wn_shutdown(napi_env p_env, napi_callback_info p_info) {
	(void)p_env;
	(void)p_info;
	wc_shutdown();
	return NULL;
}

/* stats(): wc_get_stats as an object (numbers). */
static napi_value wn_stats(napi_env p_env, napi_callback_info p_info) {
	(void)p_info;
	wc_stats stats;
	wc_get_stats(&stats);
	napi_value result;
	napi_create_object(p_env, &result);
	wn_set(p_env, result, "workerPid", wn_number(p_env, stats.worker_pid));
	wn_set(p_env, result, "workersStarted", wn_number(p_env, stats.workers_started));
	wn_set(p_env, result, "commands", wn_number(p_env, (double)stats.commands));
	wn_set(p_env, result, "events", wn_number(p_env, (double)stats.events));
	wc_lock();
	wn_set(p_env, result, "peersCreated", wn_number(p_env, wn_peers_created));
	wc_unlock();
	return result;
}

/* ---- peers ---- */

/* peerCreate(): [error, handle] */
static napi_value wn_peer_create(napi_env p_env, napi_callback_info p_info) {
	(void)p_info;
	wc_handle peer = 0;
	wc_status status = wc_peer_create(&peer);
	return wn_pair(p_env, status, wn_number(p_env, peer));
}

/* One handle argument, one status result. */
#define WN_HANDLE_CALL(p_name, p_function)                                   \
	static napi_value p_name(napi_env p_env, napi_callback_info p_info) {    \
		wn_call call;                                                        \
		if (!wn_get_args(p_env, p_info, &call, 1)) {                         \
			return NULL;                                                     \
		}                                                                    \
		return wn_error(p_env, p_function(wn_int(&call, 0)));                \
	}

WN_HANDLE_CALL(wn_peer_free, wc_peer_free)
WN_HANDLE_CALL(wn_peer_create_offer, wc_peer_create_offer)
WN_HANDLE_CALL(wn_peer_close, wc_peer_close)
WN_HANDLE_CALL(wn_channel_poll, wc_channel_poll)
WN_HANDLE_CALL(wn_channel_close, wc_channel_close)
WN_HANDLE_CALL(wn_channel_free, wc_channel_free)

/* One handle argument, one int32 state result: [error, value]. */
#define WN_STATE_CALL(p_name, p_function)                                    \
	static napi_value p_name(napi_env p_env, napi_callback_info p_info) {    \
		wn_call call;                                                        \
		if (!wn_get_args(p_env, p_info, &call, 1)) {                         \
			return NULL;                                                     \
		}                                                                    \
		int32_t value = 0;                                                   \
		wc_status status = p_function(wn_int(&call, 0), &value);             \
		return wn_pair(p_env, status, wn_number(p_env, value));              \
	}

WN_STATE_CALL(wn_peer_get_connection_state, wc_peer_get_connection_state)
WN_STATE_CALL(wn_peer_get_gathering_state, wc_peer_get_gathering_state)
WN_STATE_CALL(wn_peer_get_signaling_state, wc_peer_get_signaling_state)
WN_STATE_CALL(wn_channel_get_available_packet_count, wc_channel_get_available_packet_count)
WN_STATE_CALL(wn_channel_get_write_mode, wc_channel_get_write_mode)
WN_STATE_CALL(wn_channel_get_ready_state, wc_channel_get_ready_state)

/* peerInitialize(peer, configJson) */
static napi_value wn_peer_initialize(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	size_t length;
	char *config;
	if (!wn_get_args(p_env, p_info, &call, 2) || (config = wn_string(&call, 1, &length)) == NULL) {
		return NULL;
	}
	wc_status status = wc_peer_initialize(wn_int(&call, 0), config, length);
	free(config);
	return wn_error(p_env, status);
}

/* peerCreateDataChannel(peer, label, optionsJson): [error, channel] */
static napi_value wn_peer_create_data_channel(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	size_t label_length, options_length;
	char *label, *options = NULL;
	if (!wn_get_args(p_env, p_info, &call, 3) || (label = wn_string(&call, 1, &label_length)) == NULL) {
		return NULL;
	}
	if ((options = wn_string(&call, 2, &options_length)) == NULL) {
		free(label);
		return NULL;
	}
	wc_handle channel = 0;
	wc_status status = wc_peer_create_data_channel(wn_int(&call, 0), label, label_length, options, options_length, &channel);
	free(label);
	free(options);
	return wn_pair(p_env, status, wn_number(p_env, channel));
}

/* peerSetDescription(peer, remote, type, sdp) */
static napi_value wn_peer_set_description(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	size_t type_length, sdp_length;
	char *type, *sdp;
	if (!wn_get_args(p_env, p_info, &call, 4) || (type = wn_string(&call, 2, &type_length)) == NULL) {
		return NULL;
	}
	if ((sdp = wn_string(&call, 3, &sdp_length)) == NULL) {
		free(type);
		return NULL;
	}
	bool remote = false;
	napi_get_value_bool(p_env, call.argv[1], &remote);
	wc_handle peer = wn_int(&call, 0);
	wc_status status = remote ? wc_peer_set_remote_description(peer, type, type_length, sdp, sdp_length)
							  : wc_peer_set_local_description(peer, type, type_length, sdp, sdp_length);
	free(type);
	free(sdp);
	return wn_error(p_env, status);
}

/* peerAddIceCandidate(peer, mid, index, candidate) */
static napi_value wn_peer_add_ice_candidate(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	size_t mid_length, candidate_length;
	char *mid, *candidate;
	if (!wn_get_args(p_env, p_info, &call, 4) || (mid = wn_string(&call, 1, &mid_length)) == NULL) {
		return NULL;
	}
	if ((candidate = wn_string(&call, 3, &candidate_length)) == NULL) {
		free(mid);
		return NULL;
	}
	wc_status status =
			wc_peer_add_ice_candidate(wn_int(&call, 0), mid, mid_length, wn_int64(&call, 2), candidate, candidate_length);
	free(mid);
	free(candidate);
	return wn_error(p_env, status);
}

/* peerPoll(peer): [error, count] */
static napi_value wn_peer_poll(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	uint32_t count = 0;
	wc_status status = wc_peer_poll(wn_int(&call, 0), &count);
	return wn_pair(p_env, status, wn_number(p_env, count));
}

/* peerNextSignal(peer): null when none is left, else {kind, type, sdp, mid, index, candidate, channel} */
static napi_value wn_peer_next_signal(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	wc_signal signal;
	napi_value result;
	if (wc_peer_next_signal(wn_int(&call, 0), &signal) != BP_CORE_STATUS_OK) {
		napi_get_null(p_env, &result);
		return result;
	}
	napi_create_object(p_env, &result);
	wn_set(p_env, result, "kind", wn_number(p_env, signal.kind));
	wn_set(p_env, result, "type", wn_text(p_env, signal.type));
	wn_set(p_env, result, "sdp", wn_text(p_env, signal.sdp));
	wn_set(p_env, result, "mid", wn_text(p_env, signal.mid));
	wn_set(p_env, result, "index", wn_number(p_env, signal.index));
	wn_set(p_env, result, "candidate", wn_text(p_env, signal.candidate));
	wn_set(p_env, result, "channel", wn_number(p_env, signal.channel));
	return result;
}

/* ---- channels ---- */

/* channelGetInfo(channel): [error, {label, protocol, id, maxPacketLifeTime, ...}] */
static napi_value wn_channel_get_info(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	wc_channel_info info;
	wc_status status = wc_channel_get_info(wn_int(&call, 0), &info);
	napi_value result;
	napi_create_object(p_env, &result);
	wn_set(p_env, result, "label", wn_text(p_env, info.label));
	wn_set(p_env, result, "protocol", wn_text(p_env, info.protocol));
	wn_set(p_env, result, "id", wn_number(p_env, info.id));
	wn_set(p_env, result, "maxPacketLifeTime", wn_number(p_env, info.max_packet_life_time));
	wn_set(p_env, result, "maxRetransmits", wn_number(p_env, info.max_retransmits));
	wn_set(p_env, result, "maxPacketSize", wn_number(p_env, info.max_packet_size));
	wn_set(p_env, result, "ordered", wn_bool(p_env, info.ordered));
	wn_set(p_env, result, "negotiated", wn_bool(p_env, info.negotiated));
	return wn_pair(p_env, status, result);
}

/* ---- get_stats(): the client writes the Dictionary (wc_stats_dictionary.c) into JS objects,
 * as the shims do into Godot's; ints as numbers ---- */

static void wn_put_int(void *p_env, void *p_object, const char *p_key, int64_t p_value) {
	wn_set(p_env, p_object, p_key, wn_number(p_env, (double)p_value));
}

static void wn_put_float(void *p_env, void *p_object, const char *p_key, double p_value) {
	wn_set(p_env, p_object, p_key, wn_number(p_env, p_value));
}

static void wn_put_text(void *p_env, void *p_object, const char *p_key, const char *p_text, size_t p_length) {
	wc_text text = { p_text, p_length };
	wn_set(p_env, p_object, p_key, wn_text(p_env, text));
}

static void wn_put_object(const wc_dictionary_sink *p_sink, void *p_object, const char *p_key, wc_dictionary_fill p_fill,
		const void *p_context) {
	napi_value inner;
	napi_create_object(p_sink->user, &inner);
	p_fill(p_sink, inner, p_context);
	wn_set(p_sink->user, p_object, p_key, inner);
}

typedef wc_status (*wn_stats_writer)(wc_handle p_handle, const wc_dictionary_sink *p_sink, napi_value p_object);

static wc_status wn_write_peer_stats(wc_handle p_peer, const wc_dictionary_sink *p_sink, napi_value p_object) {
	wc_peer_stats stats;
	wc_status status = wc_peer_get_stats(p_peer, &stats);
	if (status == BP_CORE_STATUS_OK) {
		wc_peer_stats_write(&stats, p_sink, p_object);
	}
	return status;
}

static wc_status wn_write_channel_stats(wc_handle p_channel, const wc_dictionary_sink *p_sink, napi_value p_object) {
	wc_channel_stats stats;
	wc_status status = wc_channel_get_stats(p_channel, &stats);
	if (status == BP_CORE_STATUS_OK) {
		wc_channel_stats_write(&stats, p_sink, p_object);
	}
	return status;
}

/* (handle): [error, object] */
static napi_value wn_get_stats(napi_env p_env, napi_callback_info p_info, wn_stats_writer p_write) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	const wc_dictionary_sink sink = { p_env, wn_put_int, wn_put_float, wn_put_text, wn_put_object };
	napi_value result;
	napi_create_object(p_env, &result);
	wc_status status = p_write(wn_int(&call, 0), &sink, result);
	return wn_pair(p_env, status, result);
}

static napi_value wn_peer_get_stats(napi_env p_env, napi_callback_info p_info) {
	return wn_get_stats(p_env, p_info, wn_write_peer_stats);
}

static napi_value wn_channel_get_stats(napi_env p_env, napi_callback_info p_info) {
	return wn_get_stats(p_env, p_info, wn_write_channel_stats);
}

/* channelPutPacket(channel, Uint8Array) */
static napi_value wn_channel_put_packet(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 2)) {
		return NULL;
	}
	napi_typedarray_type type;
	size_t length = 0;
	void *data = NULL;
	if (napi_get_typedarray_info(p_env, call.argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
			type != napi_uint8_array) {
		napi_throw_type_error(p_env, NULL, "wc_napi: expected a Uint8Array");
		return NULL;
	}
	return wn_error(p_env, wc_channel_put_packet(wn_int(&call, 0), data, length));
}

/* channelGetPacket(channel): [error, Uint8Array (a copy; empty on error)] */
static napi_value wn_channel_get_packet(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	const uint8_t *data = NULL;
	size_t length = 0;
	wc_status status = wc_channel_get_packet(wn_int(&call, 0), &data, &length);
	static const uint8_t empty[1] = { 0 };
	void *copy = NULL;
	napi_value buffer;
	napi_create_buffer_copy(p_env, length, length != 0 ? data : empty, &copy, &buffer);
	return wn_pair(p_env, status, buffer);
}

static napi_value wn_channel_was_string_packet(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	bool was_string = false;
	wc_status status = wc_channel_was_string_packet(wn_int(&call, 0), &was_string);
	return wn_pair(p_env, status, wn_bool(p_env, was_string));
}

static napi_value wn_channel_set_write_mode(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 2)) {
		return NULL;
	}
	return wn_error(p_env, wc_channel_set_write_mode(wn_int(&call, 0), wn_int(&call, 1)));
}

static napi_value wn_channel_get_buffered_amount(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	int64_t bytes = 0;
	wc_status status = wc_channel_get_buffered_amount(wn_int(&call, 0), &bytes);
	return wn_pair(p_env, status, wn_number(p_env, (double)bytes));
}

static napi_value wn_channel_get_dropped_count(napi_env p_env, napi_callback_info p_info) {
	wn_call call;
	if (!wn_get_args(p_env, p_info, &call, 1)) {
		return NULL;
	}
	uint64_t count = 0;
	wc_status status = wc_channel_get_dropped_count(wn_int(&call, 0), &count);
	return wn_pair(p_env, status, wn_number(p_env, (double)count));
}

/* ---- registration ---- */

static void wn_cleanup(void *p_data) {
	(void)p_data;
	wc_shutdown();
	wc_test_event_tap = NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
	static const struct {
		const char *name;
		napi_callback function;
	} functions[] = {
		{ "configure", wn_configure },
		{ "setTestLimits", wn_set_test_limits },
		{ "holdEvents", wn_hold_events },
		{ "setTapping", wn_set_tapping },
		{ "takeLogs", wn_take_logs },
		{ "takeTaps", wn_take_taps },
		{ "shutdown", wn_shutdown },
		{ "stats", wn_stats },
		{ "peerCreate", wn_peer_create },
		{ "peerFree", wn_peer_free },
		{ "peerInitialize", wn_peer_initialize },
		{ "peerCreateDataChannel", wn_peer_create_data_channel },
		{ "peerCreateOffer", wn_peer_create_offer },
		{ "peerSetDescription", wn_peer_set_description },
		{ "peerAddIceCandidate", wn_peer_add_ice_candidate },
		{ "peerPoll", wn_peer_poll },
		{ "peerNextSignal", wn_peer_next_signal },
		{ "peerClose", wn_peer_close },
		{ "peerGetConnectionState", wn_peer_get_connection_state },
		{ "peerGetGatheringState", wn_peer_get_gathering_state },
		{ "peerGetSignalingState", wn_peer_get_signaling_state },
		{ "peerGetStats", wn_peer_get_stats },
		{ "channelGetStats", wn_channel_get_stats },
		{ "channelGetInfo", wn_channel_get_info },
		{ "channelPutPacket", wn_channel_put_packet },
		{ "channelGetPacket", wn_channel_get_packet },
		{ "channelGetAvailablePacketCount", wn_channel_get_available_packet_count },
		{ "channelWasStringPacket", wn_channel_was_string_packet },
		{ "channelSetWriteMode", wn_channel_set_write_mode },
		{ "channelGetWriteMode", wn_channel_get_write_mode },
		{ "channelGetReadyState", wn_channel_get_ready_state },
		{ "channelGetBufferedAmount", wn_channel_get_buffered_amount },
		{ "channelGetDroppedCount", wn_channel_get_dropped_count },
		{ "channelPoll", wn_channel_poll },
		{ "channelClose", wn_channel_close },
		{ "channelFree", wn_channel_free },
	};
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		napi_value function;
		if (napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].function, NULL, &function) != napi_ok ||
				napi_set_named_property(env, exports, functions[i].name, function) != napi_ok) {
			return NULL;
		}
	}
	napi_add_env_cleanup_hook(env, wn_cleanup, NULL);
	return exports;
}
