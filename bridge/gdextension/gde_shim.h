/* What the shim's files share: the class and signal names, class registration, the channel
 * wrapper the peer uses, and the one map from a client status to a Godot Error. */
#ifndef GDE_SHIM_H
#define GDE_SHIM_H

#include "../client/wc.h"
#include "gde_api.h"

/* Our classes, and the engine classes they extend (docs/abi.md section 3). */
#define GDE_PEER_CLASS "WebRTCPeerConnectionTS"
#define GDE_PEER_PARENT "WebRTCPeerConnectionExtension"
#define GDE_CHANNEL_CLASS "WebRTCDataChannelTS"
#define GDE_CHANNEL_PARENT "WebRTCDataChannelExtension"

typedef struct gde_names {
	gde_string_name peer_class;
	gde_string_name peer_parent;
	gde_string_name channel_class;
	gde_string_name channel_parent;
	gde_string_name session_description_created;
	gde_string_name ice_candidate_created;
	gde_string_name data_channel_received;
} gde_names;

/* Made at SCENE initialization, destroyed at SCENE deinitialization (gde_entry.c). */
extern gde_names gde_name;

/* A virtual's table entry: its name as a StringName (compared by value, docs/abi.md 3.3). */
typedef struct gde_virtual {
	const char *name;
	gde_call_virtual call;
	gde_string_name string_name;
} gde_virtual;

void gde_virtuals_make(gde_virtual *p_table, int p_count);
void gde_virtuals_destroy(gde_virtual *p_table, int p_count);
gde_call_virtual gde_virtuals_find(const gde_virtual *p_table, int p_count, const gde_string_name *p_name);

/* gde_channel.c / gde_peer.c: register at SCENE level (channel first), unregister at exit. */
void gde_channel_register(void);
void gde_channel_unregister(void);
void gde_peer_register(void);
void gde_peer_unregister(void);

/* gde_stats.c: get_stats() as a method of each class (after the class is registered); the
 * function finds the client handle of an instance. */
typedef wc_handle (*gde_handle_of)(void *p_instance);
void gde_stats_register_peer(gde_handle_of p_handle_of);
void gde_stats_register_channel(gde_handle_of p_handle_of);

/* A new channel object that owns client channel p_channel, holding the engine's floating
 * reference: the caller must hand it to a Ref or a Variant. NULL on failure, and then
 * p_channel is freed. */
gde_object gde_channel_wrap(wc_handle p_channel);

/* The one map from a client status to a Godot Error (bridge_protocol.h). */
static inline int64_t gde_error(wc_status p_status) {
	return bp_core_status_to_godot_error(p_status);
}

/* Return-slot writers for the engine's ptrcall encodings (docs/abi.md section 3.3). */
static inline void gde_return_int(void *r_ret, int64_t p_value) {
	*(int64_t *)r_ret = p_value;
}

static inline void gde_return_bool(void *r_ret, bool p_value) {
	*(uint8_t *)r_ret = p_value ? 1u : 0u;
}

#endif /* GDE_SHIM_H */
