/* Internals shared by the client's files: the objects, the process-wide client and the
 * functions one file offers another. Every function here expects the client lock held
 * (wc_lock) unless it says otherwise. */
#ifndef BRIDGE_WC_PRIVATE_H
#define BRIDGE_WC_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../ring/ring.h"
#include "../ring/shm.h"
#include "wc.h"
#include "wc_platform.h"
#include "wc_table.h"
#include "wc_text.h"
#include "wc_wire.h"

/* How long a synchronous wait re-checks the rings before it sleeps on the doorbell. */
#define WC_SPIN_NS 30000u
/* How often the watcher thread wakes to look at the heartbeat. */
#define WC_WATCH_INTERVAL_MS 100
/* More than this between two wakes of the watcher (it asks for WC_WATCH_INTERVAL_MS) means it
 * was not running itself (Godot stopped, the machine paused): the heartbeat window starts over. */
#define WC_WATCH_GAP_MS 2000
/* A stopping worker gets this long to exit by itself before SIGKILL. */
#define WC_EXIT_GRACE_MS 2000

/* ---- queues (wc_queue.c) ---- */

typedef struct wc_packet {
	uint8_t *data;
	uint32_t length;
	bool is_string;
} wc_packet;

/* FIFO of received packets with their byte total. */
typedef struct wc_packets {
	wc_packet *items;
	uint32_t head;
	uint32_t count;
	uint32_t capacity;
	uint64_t bytes;
} wc_packets;

bool wc_packets_push(wc_packets *p_queue, wc_packet p_packet);
bool wc_packets_shift(wc_packets *p_queue, wc_packet *r_packet);
void wc_packets_clear(wc_packets *p_queue);

typedef struct wc_signal_item {
	int32_t kind; /* wc_signal_kind */
	wc_str first; /* type | mid */
	wc_str second; /* sdp | candidate */
	int32_t index;
	wc_handle channel;
} wc_signal_item;

typedef struct wc_signals {
	wc_signal_item *items;
	uint32_t head;
	uint32_t count;
	uint32_t capacity;
} wc_signals;

bool wc_signals_push(wc_signals *p_queue, wc_signal_item p_item);
bool wc_signals_shift(wc_signals *p_queue, wc_signal_item *r_item);
void wc_signal_item_free(wc_signal_item *p_item);

/* ---- objects ---- */

typedef struct wc_peer {
	uint32_t core; /* core handle in worker `epoch`; 0: none yet */
	uint64_t epoch;
	bool orphaned; /* its worker died: only initialize() revives it */
	bool closed;
	int32_t connection;
	int32_t gathering;
	int32_t signaling;
	wc_signals signals;
	uint32_t batch; /* signals the current poll may still hand out */
	wc_signal_item current; /* the last one handed out (owns its strings) */
	wc_handle *channels; /* channels adopted by this peer (stale entries allowed) */
	uint32_t channel_count;
	uint32_t channel_capacity;
} wc_peer;

typedef struct wc_channel {
	uint32_t core;
	uint64_t epoch;
	wc_str label;
	wc_str protocol;
	int32_t id;
	int32_t max_packet_life_time;
	int32_t max_retransmits;
	int32_t max_message_size;
	bool ordered;
	bool negotiated;
	bool unannounced; /* received, its data_channel_received not yet handed to the shim */
	int32_t state;
	int32_t write_mode;
	wc_packets queue;
	wc_packet last; /* handed out by get_packet, owned until the next one */
	bool last_was_string;
	uint64_t put; /* bytes accepted by put_packet */
	uint64_t core_sent; /* bytes the core has taken (CHANNEL_BUFFERED) */
	uint64_t core_buffered;
	uint64_t dropped;
	uint64_t dropped_logged;
} wc_channel;

/* ---- the worker process (wc_worker.c) ---- */

typedef struct wc_worker {
	wc_os_worker os; /* the process and our end of the doorbell (wc_platform.h); kill and reap under proc_lock */
	pthread_mutex_t proc_lock; /* kill and reap never race (no signal to a recycled pid) */
	br_shm shm;
	pthread_t watcher;
	bool watching;
	atomic_int stopping; /* asked to stop: the watcher lets it exit, then reaps */
	atomic_int dead; /* set by the watcher once the process is gone (reaped) */
	atomic_int hung; /* the watcher killed it for a stale heartbeat */
	const _Atomic uint64_t *heartbeat; /* COMMANDS ring consumer_heartbeat */
	uint32_t hang_ms; /* the heartbeat window of this worker (wc_worker_watch) */
} wc_worker;

/* Tests only: when non-zero, the heartbeat window of workers started from now on instead of
 * BP_HEARTBEAT_STALE_MS (so a hang test need not wait 30 s). */
extern uint32_t wc_test_hang_ms;
/* Tests only (the conformance binding, bridge/client/tests/napi/): when non-zero, the per-channel
 * send and receive limits instead of BP_SEND_LIMIT_BYTES and BP_RECEIVE_LIMIT_BYTES (the facade's
 * SessionOptions sendLimit and receiveLimit); and a function shown every event as it is
 * drained, replies included (the facade's SessionOptions tap). */
extern uint32_t wc_test_send_limit;
extern uint32_t wc_test_receive_limit;
extern void (*wc_test_event_tap)(const wc_event *p_event);
/* Tests only: while set, no call drains the worker's events (what the worker did meanwhile
 * stays unseen: buffered amounts are the client's own count). Never set it around a
 * synchronous call: its reply would not be read. */
extern bool wc_test_hold_events;

/* Spawn p_node on p_script --bridge with the region on BP_REGION_FD and the doorbell on
 * BP_DOORBELL_FD (p_log_level: BP_ENV_LOG_LEVEL for it, NULL: inherited). 0, or -1 with a
 * reason in r_reason. */
int wc_worker_spawn(wc_worker *r_worker, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size);
/* Start the watcher thread (after the handshake). */
int wc_worker_watch(wc_worker *p_worker);
/* Stop: p_kill sends SIGKILL at once, otherwise the worker gets WC_EXIT_GRACE_MS after its
 * doorbell closes. Joins the watcher, reaps, closes the doorbell, unmaps the region. */
void wc_worker_stop(wc_worker *p_worker, bool p_kill);
/* "exited with code 1" / "was killed by signal 9" (after wc_worker_stop). */
void wc_worker_describe_exit(const wc_worker *p_worker, char *r_text, size_t p_size);

/* ---- the client ---- */

typedef struct wc_pending {
	struct wc_pending *next;
	uint32_t type;
	uint32_t length;
	uint8_t bytes[];
} wc_pending;

typedef struct wc_reply {
	uint32_t awaited; /* request id being waited for; 0: none */
	bool received;
	wc_status status;
	uint32_t handle;
	wc_event_channel channel;
	wc_str label;
	wc_str protocol;
} wc_reply;

typedef struct wc_client {
	pthread_mutex_t lock;
	wc_log_fn log;
	void *log_user;
	char *library_path;
	char *worker_script;
	char *bundled_node;
	char *shm_addon;
	char *spawn_script; /* the worker script of the latest start */
	int32_t call_timeout_ms;
	int32_t start_timeout_ms;
	bool (*read_log_level)(void *p_user, char *r_text, size_t p_size);
	void *read_log_level_user;
	const char *spawn_log_level; /* BP_ENV_LOG_LEVEL for the start under way; NULL: inherited */

	bool running;
	uint64_t epoch; /* bumped at every worker start */
	wc_worker worker;
	br_producer commands;
	br_consumer events;
	wc_pending *overflow_head;
	wc_pending *overflow_tail;
	/* the command being written (wc_link_begin .. wc_link_end) */
	uint32_t writing_type;
	uint32_t writing_length;
	wc_pending *writing_node; /* NULL: it is being written into the ring */
	uint32_t next_request;
	wc_reply reply;

	wc_table peers;
	wc_table channels;
	wc_map core_peers;
	wc_map core_channels;
	wc_stats stats;
} wc_client;

extern wc_client wc_g;

/* ---- where the addon's files are (wc_locate.c) ---- */

typedef struct wc_location {
	char *worker_script; /* worker.mjs; set (though maybe missing) whenever a library path is known */
	char *runtime; /* the bundled runtime, executable; NULL when there is none */
} wc_location;

/* From the shim library's path (NULL: nothing found). Free with wc_location_free. */
void wc_locate(const char *p_library_path, wc_location *r_location);
void wc_location_free(wc_location *p_location);

void wc_lock(void);
void wc_unlock(void);
/* Drain what the worker said (and notice its death) before a call does anything else. */
void wc_touch(void);
/* Start the worker if none runs: OK or NO_WORKER (one error line logged). */
wc_status wc_ensure_worker(void);
/* The worker is gone (p_reason for the log line): fail every object, free everything. */
void wc_lost(const char *p_reason);

/* mingw-w64 builds with __USE_MINGW_ANSI_STDIO (C99 formats such as %zu): gnu_printf checks those. */
#if defined(__MINGW32__)
#define WC_PRINTF_FORMAT gnu_printf
#else
#define WC_PRINTF_FORMAT printf
#endif
void wc_log(int p_level, const char *p_format, ...) __attribute__((format(WC_PRINTF_FORMAT, 2, 3)));

/* ---- ring I/O (wc_link.c) ---- */

/* Room for one command of p_length payload bytes (the ring, or local memory while the ring
 * is full), to be finished with wc_link_end. NULL when there is no worker. */
uint8_t *wc_link_begin(uint32_t p_type, uint32_t p_length);
void wc_link_end(void);
/* Write an encoded command (begin + encode + end). false when there is no worker. */
bool wc_link_send(const wc_command *p_command);
/* Move locally queued commands into the ring while they fit. */
void wc_link_flush(void);
/* Attach the client's ends of p_worker's rings (COMMANDS producer, EVENTS consumer) and point
 * its watcher at the COMMANDS consumer's heartbeat: OK, or the ring layer's status for a
 * region or ring it cannot use (then nothing is attached). */
bp_status wc_link_attach(wc_worker *p_worker);
/* Apply every available event; returns true if it stopped at the awaited REPLY. */
bool wc_link_drain(void);
/* Send p_command (a synchronous kind; its request id is chosen here) and wait for its REPLY
 * into wc_g.reply: OK (then wc_g.reply.status is the core's), TIMEOUT or NO_WORKER. */
wc_status wc_link_call(wc_command *p_command);
/* Sleep until an event or room arrives or p_timeout_ms passes: 1, 0 (timeout), -1 (lost). */
int wc_link_sleep(int p_timeout_ms, bool p_need_room);

/* ---- events (wc_events.c) ---- */

void wc_events_apply(const wc_event *p_event);

/* ---- objects (wc_peer.c, wc_channel.c) ---- */

wc_peer *wc_peer_get(wc_handle p_peer);
wc_channel *wc_channel_get(wc_handle p_channel);
/* Make a channel object for a core channel (create_data_channel reply, CHANNEL_RECEIVED).
 * 0 when it cannot (out of memory): then one error line, and the worker is told to free its
 * channel, which nobody could name. */
wc_handle wc_channel_adopt(wc_peer *p_peer, uint32_t p_core, const wc_event_channel *p_description,
		const uint8_t *p_label, uint32_t p_label_length, const uint8_t *p_protocol, uint32_t p_protocol_length);
/* The facade's DataChannel.onEvent / #receive / close / markClosed / #logDrops. */
void wc_channel_on_state(wc_channel *p_channel, int32_t p_state, int32_t p_id, int32_t p_max_message_size);
void wc_channel_on_message(wc_channel *p_channel, const uint8_t *p_data, uint32_t p_length, bool p_is_string);
void wc_channel_close_locked(wc_channel *p_channel);
void wc_channel_log_drops(wc_channel *p_channel);
/* Release a channel object entirely (FREE_CHANNEL to the worker if it lives there). */
void wc_channel_release(wc_handle p_channel);
bool wc_peer_add_channel(wc_peer *p_peer, wc_handle p_channel);
/* Forget every object (wc_shutdown). */
void wc_objects_clear(void);

#endif /* BRIDGE_WC_PRIVATE_H */
