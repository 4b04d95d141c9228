/* The C host's shared pieces: checks, the engine-side calls into the shim's virtuals
 * (ptrcall encodings of docs/abi.md section 3.3), and the signaling glue between two peers. */
#ifndef HOST_H
#define HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_engine.h"

/* The class names the shim registers, and Godot's Error and state values (from the API
 * dump, via bridge_protocol.h). */
#include "../gde_shim.h"

/* ---- checks ---- */

/* A named test: one pass or one failure. */
void host_check(bool p_ok, const char *p_format, ...) __attribute__((format(printf, 2, 3)));
/* An invariant checked on every call: silent when it holds, one failure when it does not. */
void host_assert(bool p_ok, const char *p_format, ...) __attribute__((format(printf, 2, 3)));
void host_section(const char *p_name);
uint64_t host_now_ms(void);
void host_sleep_ms(int p_ms);

/* Child processes of this process (the worker): how many, their pids (up to p_max). */
#include <sys/types.h>
int host_children(pid_t *r_pids, int p_max);
bool host_wait_children(int p_expected, int p_timeout_ms);
/* A process's command line, arguments joined by spaces, '/' separators. */
void host_cmdline(pid_t p_pid, char *r_text, size_t p_size);

/* ---- what differs by operating system: host_os_posix.c, host_os_windows.c ---- */

/* The shared library under test (dlopen / LoadLibraryW); NULL with the reason in r_error. */
void *host_os_load(const char *p_path, char *r_error, size_t p_size);
void *host_os_symbol(void *p_library, const char *p_name);
void host_os_unload(void *p_library);
void host_os_unsetenv(const char *p_name);
/* Whether the worker p_worker runs on the addon's bundled runtime (<addon>/HOST_RUNTIME_FOLDER),
 * and forgetting what an earlier worker showed. */
bool host_os_started_by_runtime(pid_t p_worker);
void host_os_forget_runtime(void);
/* A variable of a running process's environment: 1 set (value in r_value), 0 absent, -1 this
 * platform cannot read another process's environment. */
int host_os_process_env(pid_t p_pid, const char *p_name, char *r_value, size_t p_size);

/* Where the addon keeps this platform's runtime, relative to <addon> (wc_locate.c's rule). */
#include "../../client/wc_platform.h"
#define HOST_RUNTIME_FOLDER "runtime/" WC_OS_PLATFORM_FOLDER

/* ---- engine-side calls (each one a virtual through fake_call_virtual) ---- */

/* A connection, a channel: objects the "script" holds one reference to. */
int64_t pc_initialize(fake_object *p_pc, const char *p_config_json);
/* NULL when the shim left the Ref empty; otherwise the script's reference. */
fake_object *pc_create_data_channel(fake_object *p_pc, const char *p_label, const char *p_options_json);
int64_t pc_create_offer(fake_object *p_pc);
int64_t pc_set_local_description(fake_object *p_pc, const char *p_type, const char *p_sdp);
int64_t pc_set_remote_description(fake_object *p_pc, const char *p_type, const char *p_sdp);
int64_t pc_add_ice_candidate(fake_object *p_pc, const char *p_mid, int64_t p_index, const char *p_candidate);
int64_t pc_poll(fake_object *p_pc);
void pc_close(fake_object *p_pc);
int64_t pc_connection_state(fake_object *p_pc);
int64_t pc_gathering_state(fake_object *p_pc);
int64_t pc_signaling_state(fake_object *p_pc);

/* The bytes are valid until the next get_packet of that channel. */
int64_t ch_get_packet(fake_object *p_channel, const uint8_t **r_data, int32_t *r_size);
int64_t ch_put_packet(fake_object *p_channel, const void *p_data, int64_t p_size);
int64_t ch_int(fake_object *p_channel, const char *p_virtual); /* int and enum getters */
bool ch_bool(fake_object *p_channel, const char *p_virtual);
char *ch_string(fake_object *p_channel, const char *p_virtual); /* malloc'd */
int64_t ch_poll(fake_object *p_channel);
void ch_close(fake_object *p_channel);
void ch_set_write_mode(fake_object *p_channel, int64_t p_mode);
int64_t ch_ready_state(fake_object *p_channel);
int64_t ch_available(fake_object *p_channel);

/* ---- two peers wired to each other through their signals ---- */

#define HOST_MAX_RECEIVED 16

typedef struct host_peer {
	const char *name;
	fake_object *pc;
	struct host_peer *remote;
	uint64_t id;
	/* what the handlers saw */
	int signals;
	int offers;
	int answers;
	int candidates;
	bool local_description_set;
	bool candidate_before_local_description;
	bool description_not_first;
	int handler_errors;
	int received_count;
	fake_object *received[HOST_MAX_RECEIVED]; /* kept (one reference each) unless dropped */
	char received_labels[HOST_MAX_RECEIVED][32];
	uint64_t received_ids[HOST_MAX_RECEIVED];
	bool received_owned_by_variant_only;
	const char *drop_received_label; /* a handler that does not keep this channel */
	bool drop_self_on_description; /* the handler drops the last reference to the peer */
} host_peer;

/* WebRTCPeerConnection.new(), initialize(loopback), and the three signal handlers. */
bool host_peer_make(host_peer *r_peer, const char *p_name);
void host_peer_wire(host_peer *p_a, host_peer *p_b);
/* The script lets go of the connection (and of the received channels it kept). */
void host_peer_drop(host_peer *p_peer);
void host_peer_drop_received(host_peer *p_peer);
fake_object *host_peer_received(host_peer *p_peer, const char *p_label);

/* Poll every peer (and the given channels) until p_done returns true or p_timeout_ms. */
typedef bool (*host_condition)(void *p_user);
bool host_pump(host_peer *const *p_peers, int p_count, host_condition p_done, void *p_user, int p_timeout_ms);

/* <addon> of <addon>/lib/<library>.so, the library under test. */
extern char host_addon_directory[4096];

#define HOST_LOOPBACK "{\"iceServers\":[],\"libdatachannel\":{\"bindAddress\":\"127.0.0.1\"}}"

#endif /* HOST_H */
