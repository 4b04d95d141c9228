/* WebRTCPeerConnectionGDNative: each interface function forwards to the client. Signals are
 * taken from the client inside poll() and emitted there, on the calling thread, in order. */
#include <stdlib.h>
#include <string.h>

#include "gdn_shim.h"

/* One running poll() of a peer, on the caller's stack; gdn_peer_destroy marks every one. */
typedef struct gdn_poll_guard {
	bool freed; /* a signal handler freed the peer: touch nothing of it again */
	struct gdn_poll_guard *outer; /* a poll() of the same peer further up the stack */
} gdn_poll_guard;

typedef struct gdn_peer {
	godot_net_webrtc_peer_connection iface; /* the engine keeps a pointer to it: lives as long as we do */
	godot_object *owner;
	wc_handle handle;
	gdn_poll_guard *polling; /* the innermost poll() emitting signals, or NULL */
} gdn_peer;

/* The peer the create callback made during the current gdn_peer_construct (this thread). */
static _Thread_local gdn_peer *gdn_peer_created;

static wc_handle gdn_peer_handle(const void *p_user) {
	return ((const gdn_peer *)p_user)->handle;
}

static godot_int gdn_peer_get_connection_state(const void *p_user) {
	int32_t state = BP_CONNECTION_STATE_CLOSED;
	wc_peer_get_connection_state(gdn_peer_handle(p_user), &state);
	return state;
}

static godot_error gdn_peer_initialize(void *p_user, const godot_dictionary *p_config) {
	size_t length = 0;
	char *json = gdn_dictionary_json(p_config, &length);
	if (json == NULL) {
		gdn_error("initialize", "cannot read the configuration Dictionary");
		return BP_GODOT_ERR_OUT_OF_MEMORY;
	}
	wc_status status = wc_peer_initialize(gdn_peer_handle(p_user), json, length);
	free(json);
	return gdn_error_from(status);
}

static godot_object *gdn_peer_create_data_channel(void *p_user, const char *p_label, const godot_dictionary *p_options) {
	size_t length = 0;
	char *json = gdn_dictionary_json(p_options, &length);
	if (json == NULL) {
		gdn_error("create_data_channel", "cannot read the options Dictionary");
		return NULL;
	}
	wc_handle channel = 0;
	const char *label = p_label != NULL ? p_label : "";
	wc_status status =
			wc_peer_create_data_channel(gdn_peer_handle(p_user), label, strlen(label), json, length, &channel);
	free(json);
	if (status != BP_CORE_STATUS_OK || channel == 0) {
		return NULL; /* the client or the core has logged why */
	}
	return gdn_channel_wrap(channel);
}

static godot_error gdn_peer_create_offer(void *p_user) {
	return gdn_error_from(wc_peer_create_offer(gdn_peer_handle(p_user)));
}

static godot_error gdn_peer_create_answer(void *p_user) {
	(void)p_user;
	return BP_GODOT_ERR_UNAVAILABLE; /* never called: the answer follows set_remote_description("offer") */
}

static const char *gdn_or_empty(const char *p_text) {
	return p_text != NULL ? p_text : "";
}

static godot_error gdn_peer_set_remote_description(void *p_user, const char *p_type, const char *p_sdp) {
	const char *type = gdn_or_empty(p_type);
	const char *sdp = gdn_or_empty(p_sdp);
	return gdn_error_from(wc_peer_set_remote_description(gdn_peer_handle(p_user), type, strlen(type), sdp, strlen(sdp)));
}

static godot_error gdn_peer_set_local_description(void *p_user, const char *p_type, const char *p_sdp) {
	const char *type = gdn_or_empty(p_type);
	const char *sdp = gdn_or_empty(p_sdp);
	return gdn_error_from(wc_peer_set_local_description(gdn_peer_handle(p_user), type, strlen(type), sdp, strlen(sdp)));
}

static godot_error gdn_peer_add_ice_candidate(void *p_user, const char *p_mid, int p_index, const char *p_candidate) {
	const char *mid = gdn_or_empty(p_mid);
	const char *candidate = gdn_or_empty(p_candidate);
	return gdn_error_from(
			wc_peer_add_ice_candidate(gdn_peer_handle(p_user), mid, strlen(mid), p_index, candidate, strlen(candidate)));
}

static void gdn_variant_string(godot_variant *r_variant, const wc_text *p_text) {
	godot_string text = gdn_string_from(p_text->data, p_text->length);
	gdn_g_api.variant_new_string(r_variant, &text);
	gdn_g_api.string_destroy(&text);
}

/* Emit one signal. Its strings are copied into Godot Strings before the handlers run (they
 * may call back into this peer, which ends the client's loan of the signal's memory, or
 * drop its last reference, which frees the peer: so this takes the owner, not the peer). */
static void gdn_peer_emit(godot_object *p_owner, const wc_signal *p_signal) {
	godot_variant args[3];
	switch (p_signal->kind) {
		case WC_SIGNAL_SESSION_DESCRIPTION_CREATED:
			gdn_variant_string(&args[0], &p_signal->type);
			gdn_variant_string(&args[1], &p_signal->sdp);
			gdn_emit(p_owner, "session_description_created", args, 2);
			break;
		case WC_SIGNAL_ICE_CANDIDATE_CREATED:
			gdn_variant_string(&args[0], &p_signal->mid);
			gdn_g_api.variant_new_int(&args[1], p_signal->index);
			gdn_variant_string(&args[2], &p_signal->candidate);
			gdn_emit(p_owner, "ice_candidate_created", args, 3);
			break;
		case WC_SIGNAL_DATA_CHANNEL_RECEIVED: {
			godot_object *channel = gdn_channel_wrap(p_signal->channel);
			if (channel == NULL) {
				gdn_error("poll", "cannot create the object for a received data channel: data_channel_received not emitted");
				break;
			}
			/* The Variant takes the new object's floating reference; if no handler keeps
			 * it, destroying the Variant frees the object, which closes the channel. */
			gdn_g_api.variant_new_object(&args[0], channel);
			gdn_emit(p_owner, "data_channel_received", args, 1);
			break;
		}
		default:
			gdn_error("poll", "unknown signal kind %d from the client", (int)p_signal->kind);
			break;
	}
}

static godot_error gdn_peer_poll(void *p_user) {
	/* A handler may drop the last reference to this peer: the engine then frees the object
	 * and gdn_peer_destroy frees `peer` (issue 9; gde_peer_poll guards the same). The loop
	 * runs on copies, and destroy marks our guard, so after that nothing of the peer is read
	 * and nothing is emitted on its freed object. */
	gdn_peer *peer = p_user;
	const wc_handle handle = peer->handle;
	godot_object *const owner = peer->owner;
	gdn_poll_guard guard = { false, peer->polling };
	peer->polling = &guard;
	uint32_t count = 0;
	wc_status status = wc_peer_poll(handle, &count);
	wc_signal signal;
	while (status == BP_CORE_STATUS_OK && !guard.freed && wc_peer_next_signal(handle, &signal) == BP_CORE_STATUS_OK) {
		gdn_peer_emit(owner, &signal);
	}
	if (!guard.freed) {
		peer->polling = guard.outer;
	}
	return gdn_error_from(status);
}

static void gdn_peer_close(void *p_user) {
	wc_peer_close(gdn_peer_handle(p_user));
}

/* ---- life cycle ---- */

wc_handle gdn_peer_handle_of(const void *p_user_data) {
	return p_user_data != NULL ? ((const gdn_peer *)p_user_data)->handle : 0;
}

void *gdn_peer_create(godot_object *p_owner, void *p_method_data) {
	(void)p_method_data;
	gdn_peer *peer = calloc(1, sizeof(*peer));
	if (peer == NULL) {
		return NULL;
	}
	peer->owner = p_owner;
	if (wc_peer_create(&peer->handle) != BP_CORE_STATUS_OK) {
		peer->handle = 0; /* every call then reports a stale handle */
	}
	peer->iface = (godot_net_webrtc_peer_connection){
		.version = { 3, 1 },
		.data = peer,
		.get_connection_state = gdn_peer_get_connection_state,
		.initialize = gdn_peer_initialize,
		.create_data_channel = gdn_peer_create_data_channel,
		.create_offer = gdn_peer_create_offer,
		.create_answer = gdn_peer_create_answer,
		.set_remote_description = gdn_peer_set_remote_description,
		.set_local_description = gdn_peer_set_local_description,
		.add_ice_candidate = gdn_peer_add_ice_candidate,
		.poll = gdn_peer_poll,
		.close = gdn_peer_close,
		.next = NULL,
	};
	gdn_g_api.net_bind_webrtc_peer_connection(p_owner, &peer->iface);
	gdn_peer_created = peer;
	return peer;
}

void gdn_peer_destroy(godot_object *p_owner, void *p_method_data, void *p_user_data) {
	(void)p_method_data;
	gdn_peer *peer = p_user_data;
	if (peer == NULL) {
		return;
	}
	/* A poll() of this peer further up the stack (we run inside one of its handlers) must
	 * stop reading it. */
	for (gdn_poll_guard *guard = peer->polling; guard != NULL; guard = guard->outer) {
		guard->freed = true;
	}
	/* Also reached by set_script(null) on a live object: it must not keep our pointer. */
	gdn_g_api.net_bind_webrtc_peer_connection(p_owner, NULL);
	wc_peer_free(peer->handle); /* closes it; its channels live on (CLOSED) with their objects */
	free(peer);
}

godot_error gdn_peer_construct(godot_object *p_object) {
	gdn_peer_created = NULL;
	bool attached = gdn_script_attach(p_object, GDN_PEER_CLASS);
	gdn_peer *peer = gdn_peer_created;
	gdn_peer_created = NULL;
	if (!attached || peer == NULL) {
		gdn_error("WebRTCPeerConnection.new", "cannot attach the peer connection implementation to the new object");
		return BP_GODOT_FAILED;
	}
	return BP_GODOT_OK;
}
