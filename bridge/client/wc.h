/* The bridge client: the C library both Godot shims (GDExtension for Godot 4, GDNative for
 * Godot 3) sit on. It owns the worker process, the two rings, integer handles, mirrored
 * state, signal queues and packet queues; it holds no WebRTC logic. What it does mirrors
 * extension/src/api/ (the TypeScript facade) call for call, with the same numbers.
 *
 * CONTRACT
 * - One process-wide client. Nothing starts until a call needs the worker (initialize,
 *   create_data_channel, create_offer, set_*_description, add_ice_candidate). The worker
 *   script is wc_config.worker_script, else $GODOT_WEBRTC_WORKER, else the addon's own,
 *   found from wc_config.library_path (wc_locate.c: <addon>/lib/<shim> has
 *   <addon>/worker/worker.mjs; an exported game has worker.mjs beside the shim). Node is
 *   $GODOT_WEBRTC_NODE, else wc_config.bundled_node, else the runtime shipped beside the
 *   worker (<addon>/runtime/<platform>/node or node.exe, or beside the shim in an export), else `node` on
 *   PATH. If none works: one error line saying what is missing, and
 *   BP_CORE_STATUS_NO_WORKER.
 * - Every call returns a core status (bp_core_status, bridge_protocol.h); a shim turns it
 *   into a Godot Error with bp_core_status_to_godot_error(). Handles are positive integers;
 *   a handle that names nothing (never created, freed, or of the other kind) is
 *   BP_CORE_STATUS_STALE_HANDLE, never a crash.
 * - Synchronous request/reply, with a timeout, for initialize, create_data_channel,
 *   create_offer, set_local/remote_description, add_ice_candidate and get_stats (of a peer
 *   that lives in the worker, and of a channel). Everything else is a
 *   record written into the ring (no system call unless the worker sleeps) or state read
 *   locally.
 * - Every call drains the worker's events into per-peer signal queues and per-channel packet
 *   queues first (on the caller's thread; the client starts no thread that touches Godot).
 *   Signals are handed out only after wc_peer_poll(), one at a time, in the order the worker
 *   produced them.
 * - Linked statically into a shim and built with -fvisibility=hidden: nothing here is
 *   exported from the shim's library (its version script exports only the entry symbol).
 * - Thread-safe: one mutex serializes every call. The log callback runs under it and must
 *   not call back into wc_*.
 * - Memory handed out stays owned by the client: a signal's strings until the next
 *   wc_peer_next_signal / wc_peer_poll / close / free of that peer; a channel's label and
 *   protocol until wc_channel_free; a packet from wc_channel_get_packet until the next
 *   wc_channel_get_packet or wc_channel_free of that channel. Strings are UTF-8 with an
 *   explicit length and a terminating NUL.
 * - Worker death (doorbell EOF, heartbeat stale for > BP_HEARTBEAT_STALE_MS, corrupt ring):
 *   one log line; every live peer reports BP_CONNECTION_STATE_FAILED, every channel
 *   BP_CHANNEL_STATE_CLOSED, a call waiting for a reply returns NO_WORKER, and the next
 *   wc_peer_initialize starts a fresh worker. No shared memory or descriptor is left behind.
 */
#ifndef BRIDGE_WC_H
#define BRIDGE_WC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../protocol/bridge_protocol.h"

typedef int32_t wc_handle; /* > 0; 0 names nothing */
typedef int32_t wc_status; /* a bp_core_status value */

/* Defaults, overridable through wc_config. */
#define WC_CALL_TIMEOUT_MS_DEFAULT 5000
#define WC_START_TIMEOUT_MS_DEFAULT 15000

typedef struct wc_config {
	const char *library_path; /* the shim library's own file: where the addon's worker is found */
	const char *worker_script; /* the worker bundle (worker.mjs); NULL: $GODOT_WEBRTC_WORKER, else found */
	const char *bundled_node; /* a runtime to try before the one found beside the worker; NULL: none */
	const char *shm_addon; /* shm.node for the worker ($GODOT_WEBRTC_SHM_ADDON); NULL: beside worker.mjs */
	int32_t call_timeout_ms; /* synchronous calls; 0: WC_CALL_TIMEOUT_MS_DEFAULT */
	int32_t start_timeout_ms; /* worker start up to its HELLO; 0: WC_START_TIMEOUT_MS_DEFAULT */
	/* The worker's log level, asked for as each worker starts (the shims: the project setting
	 * WC_SETTING_LOG_LEVEL); NULL: the default. Not asked when Godot's environment has a
	 * non-empty BP_ENV_LOG_LEVEL: that wins. Called on the API thread under the client's lock
	 * (it must not call wc_*): write the text, NUL-terminated, into r_text (p_size bytes);
	 * return false when the setting is absent. The client hands a known level (any case,
	 * blanks around it ignored) to the worker as BP_ENV_LOG_LEVEL; an unknown one is one
	 * warning naming the setting, and the default. */
	bool (*read_log_level)(void *p_user, char *r_text, size_t p_size);
	void *read_log_level_user;
} wc_config;

/* The project setting both shims read for wc_config.read_log_level (README.md, "Logs and
 * diagnostics"): error, warning (the default), info, debug or verbose. */
#define WC_SETTING_LOG_LEVEL "webrtc_ts/log_level"

/* (level: bp_log_level, message: one line without a newline) */
typedef void (*wc_log_fn)(void *p_user, int p_level, const char *p_message);

/* Settings for the next worker start (strings are copied). */
void wc_configure(const wc_config *p_config);
/* NULL restores the default (stderr, "ERROR: ..." like Godot's console). */
void wc_set_log(wc_log_fn p_log, void *p_user);
/* Stop the worker and forget every object (Godot exit; tests). The client may be used again. */
void wc_shutdown(void);

/* ---- peer connections ---------------------------------------------------------------- */

typedef struct wc_text {
	const char *data; /* NUL-terminated */
	size_t length;
} wc_text;

typedef enum wc_signal_kind {
	WC_SIGNAL_SESSION_DESCRIPTION_CREATED = 1, /* type, sdp */
	WC_SIGNAL_ICE_CANDIDATE_CREATED = 2, /* mid, index, candidate */
	WC_SIGNAL_DATA_CHANNEL_RECEIVED = 3, /* channel: now the shim's, to wrap and wc_channel_free */
} wc_signal_kind;

typedef struct wc_signal {
	int32_t kind; /* wc_signal_kind */
	wc_text type;
	wc_text sdp;
	wc_text mid;
	int32_t index;
	wc_text candidate;
	wc_handle channel;
} wc_signal;

/* new(): cheap, no worker and no WebRTC object yet. */
wc_status wc_peer_create(wc_handle *r_peer);
/* The script dropped its last reference: close, forget. Its channels stay valid (CLOSED). */
wc_status wc_peer_free(wc_handle p_peer);
/* p_config: JSON text of the configuration Dictionary (NULL or empty: {}). */
wc_status wc_peer_initialize(wc_handle p_peer, const char *p_config_json, size_t p_length);
/* p_options: JSON text of the options Dictionary (NULL or empty: {}). *r_channel = 0 on error. */
wc_status wc_peer_create_data_channel(wc_handle p_peer, const char *p_label, size_t p_label_length,
		const char *p_options_json, size_t p_options_length, wc_handle *r_channel);
wc_status wc_peer_create_offer(wc_handle p_peer);
wc_status wc_peer_set_local_description(wc_handle p_peer, const char *p_type, size_t p_type_length,
		const char *p_sdp, size_t p_sdp_length);
wc_status wc_peer_set_remote_description(wc_handle p_peer, const char *p_type, size_t p_type_length,
		const char *p_sdp, size_t p_sdp_length);
wc_status wc_peer_add_ice_candidate(wc_handle p_peer, const char *p_mid, size_t p_mid_length, int64_t p_index,
		const char *p_candidate, size_t p_candidate_length);
/* poll(): drain, then make the signals queued so far available to wc_peer_next_signal
 * (*r_count of them; signals arriving meanwhile wait for the next poll). */
wc_status wc_peer_poll(wc_handle p_peer, uint32_t *r_count);
/* The next signal of the current poll: OK, or UNAVAILABLE when none is left. */
wc_status wc_peer_next_signal(wc_handle p_peer, wc_signal *r_signal);
/* close(): synchronously CLOSED (connection and signaling), channels CLOSED, no more signals. */
wc_status wc_peer_close(wc_handle p_peer);
wc_status wc_peer_get_connection_state(wc_handle p_peer, int32_t *r_state);
wc_status wc_peer_get_gathering_state(wc_handle p_peer, int32_t *r_state);
wc_status wc_peer_get_signaling_state(wc_handle p_peer, int32_t *r_state);

/* ---- data channels ------------------------------------------------------------------- */

typedef struct wc_channel_info {
	wc_text label;
	wc_text protocol;
	int32_t id; /* 65535 until assigned */
	int32_t max_packet_life_time; /* 65535 when not set */
	int32_t max_retransmits; /* 65535 when not set */
	int32_t max_packet_size;
	bool ordered;
	bool negotiated;
} wc_channel_info;

wc_status wc_channel_get_info(wc_handle p_channel, wc_channel_info *r_info);
/* OPEN only (else WRONG_STATE); > max packet size or invalid UTF-8 in text mode:
 * INVALID_PARAMETER; more than BP_SEND_LIMIT_BYTES waiting: BUSY (nothing sent). */
wc_status wc_channel_put_packet(wc_handle p_channel, const uint8_t *p_data, size_t p_length);
/* Next packet in arrival order, or UNAVAILABLE. */
wc_status wc_channel_get_packet(wc_handle p_channel, const uint8_t **r_data, size_t *r_length);
wc_status wc_channel_get_available_packet_count(wc_handle p_channel, int32_t *r_count);
wc_status wc_channel_was_string_packet(wc_handle p_channel, bool *r_was_string);
/* BP_CHANNEL_WRITE_MODE_TEXT or _BINARY (default); anything else: INVALID_PARAMETER. */
wc_status wc_channel_set_write_mode(wc_handle p_channel, int32_t p_mode);
wc_status wc_channel_get_write_mode(wc_handle p_channel, int32_t *r_mode);
wc_status wc_channel_get_ready_state(wc_handle p_channel, int32_t *r_state);
wc_status wc_channel_get_buffered_amount(wc_handle p_channel, int64_t *r_bytes);
/* Packets an unreliable channel dropped (oldest first) past BP_RECEIVE_LIMIT_BYTES. */
wc_status wc_channel_get_dropped_count(wc_handle p_channel, uint64_t *r_count);
wc_status wc_channel_poll(wc_handle p_channel);

/* ---- get_stats() (README.md, "Connection stats") ------------------------------------- */

/* Names are static lower-case strings, exactly the Dictionary's values. */
typedef struct wc_candidate_stats {
	const char *type; /* "host", "srflx", "prflx", "relay" or "unknown" */
	const char *transport; /* "udp", "tcp" or "unknown" */
	char address[256]; /* NUL-terminated */
	int32_t port;
} wc_candidate_stats;

typedef struct wc_peer_stats {
	const char *connection_state; /* what get_connection_state() returns, by name */
	const char *ice_state;
	const char *dtls_state;
	const char *gathering_state;
	const char *signaling_state;
	int64_t connected_msec; /* since the connection became CONNECTED; 0 when it is not */
	double rtt_msec; /* SCTP's smoothed RTT, whole ms (the stack has no separate current sample) */
	double rtt_smoothed_msec; /* the same number */
	int64_t bytes_sent; /* the stack's counters: data-channel message payload bytes */
	int64_t bytes_received;
	int64_t packets_sent; /* messages, all channels, counted by the worker */
	int64_t packets_received;
	bool has_selected_pair;
	wc_candidate_stats local;
	wc_candidate_stats remote;
} wc_peer_stats;

typedef struct wc_channel_stats {
	wc_text label; /* owned by the channel, valid until wc_channel_free */
	int32_t id;
	const char *ready_state;
	int64_t messages_sent; /* counted by the worker */
	int64_t bytes_sent;
	int64_t messages_received;
	int64_t bytes_received;
	int64_t buffered_amount; /* what get_buffered_amount() returns */
	int64_t dropped_packets; /* wc_channel_get_dropped_count */
} wc_channel_stats;

/* A synchronous request to the worker when the peer lives there; a new peer (no worker yet) or
 * one whose worker died is answered locally (no stack: ICE/DTLS "new" or "closed", zeros). */
wc_status wc_peer_get_stats(wc_handle p_peer, wc_peer_stats *r_stats);
/* The worker's message counters (zeros when its worker died) and the channel's own numbers. */
wc_status wc_channel_get_stats(wc_handle p_channel, wc_channel_stats *r_stats);

/* Writing the stats as get_stats()'s Dictionary: the client names the keys and picks each
 * value's type (wc_stats_dictionary.c); a sink makes one engine's values. p_dictionary is
 * the sink's own object. put_dictionary makes an empty Dictionary, lets p_fill write into
 * it through the same sink, then stores it under p_key. */
typedef struct wc_dictionary_sink wc_dictionary_sink;
typedef void (*wc_dictionary_fill)(const wc_dictionary_sink *p_sink, void *p_dictionary, const void *p_context);
struct wc_dictionary_sink {
	void *user;
	void (*put_int)(void *p_user, void *p_dictionary, const char *p_key, int64_t p_value);
	void (*put_float)(void *p_user, void *p_dictionary, const char *p_key, double p_value);
	/* UTF-8, p_length bytes (not NUL-terminated necessarily) */
	void (*put_text)(void *p_user, void *p_dictionary, const char *p_key, const char *p_text, size_t p_length);
	void (*put_dictionary)(const wc_dictionary_sink *p_sink, void *p_dictionary, const char *p_key,
			wc_dictionary_fill p_fill, const void *p_context);
};
void wc_peer_stats_write(const wc_peer_stats *p_stats, const wc_dictionary_sink *p_sink, void *p_dictionary);
void wc_channel_stats_write(const wc_channel_stats *p_stats, const wc_dictionary_sink *p_sink, void *p_dictionary);

/* close(): CLOSING now, CLOSED once the stack confirms. Received packets stay readable. */
wc_status wc_channel_close(wc_handle p_channel);
wc_status wc_channel_free(wc_handle p_channel);

/* ---- tools and tests (a Godot shim never needs these) ------------------------------- */

/* Sleep on the doorbell until the worker publishes events, at most p_timeout_ms; then drain.
 * OK, TIMEOUT, or NO_WORKER when there is no worker (or it died). */
wc_status wc_wait(int32_t p_timeout_ms);

typedef struct wc_stats {
	int32_t worker_pid; /* 0: no worker */
	uint32_t workers_started;
	uint64_t doorbell_rings; /* bytes sent to wake the worker: each one a system call */
	uint64_t doorbell_waits; /* times this side slept on the doorbell */
	uint64_t commands; /* records written */
	uint64_t overflowed; /* records that waited in local memory because the ring was full */
	uint64_t events; /* records read */
} wc_stats;

void wc_get_stats(wc_stats *r_stats);

#endif /* BRIDGE_WC_H */
