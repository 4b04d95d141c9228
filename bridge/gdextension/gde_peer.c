/* WebRTCPeerConnectionTS: Godot's WebRTCPeerConnectionExtension over a client peer handle.
 * Requests go to wc_peer_*, getters read the client's mirrored state, and signals are
 * emitted only from _poll, on the calling thread, in the order wc_peer_next_signal hands
 * them out (docs/style.md item 5). Configurations and options cross as JSON made by the
 * engine's own JSON.stringify. */
#include <stdlib.h>

#include "gde_shim.h"

typedef struct gde_peer {
	gde_object object; /* weak: the engine frees it, and us with it */
	wc_handle handle; /* 0 only if the client could not make one (out of memory) */
} gde_peer;

/* Text arguments (Strings) as UTF-8 for the call's duration. */
typedef struct gde_text_argument {
	char *data;
	size_t length;
} gde_text_argument;

static bool gde_text_from_string(gde_text_argument *r_text, const void *p_string) {
	r_text->data = gde_string_to_utf8(p_string, &r_text->length);
	if (r_text->data == NULL) {
		gde_print_error("webrtc_ts: out of memory reading a String argument");
		return false;
	}
	return true;
}

static bool gde_text_from_dictionary(gde_text_argument *r_text, const void *p_dictionary) {
	r_text->data = gde_dictionary_to_json(p_dictionary, &r_text->length);
	return r_text->data != NULL;
}

/* ---- the 11 virtuals (docs/abi.md section 3.3 for every encoding) ---- */

static void gde_peer_initialize(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_peer *peer = p_instance;
	gde_text_argument config;
	if (!gde_text_from_dictionary(&config, p_args[0])) {
		gde_return_int(r_ret, BP_GODOT_ERR_OUT_OF_MEMORY);
		return;
	}
	wc_status status = wc_peer_initialize(peer->handle, config.data, config.length);
	free(config.data);
	gde_return_int(r_ret, gde_error(status));
}

/* r_ret is a Ref slot: it stays null on failure (the client or the core logged why). */
static void gde_peer_create_data_channel(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_peer *peer = p_instance;
	gde_text_argument label;
	gde_text_argument options;
	if (!gde_text_from_string(&label, p_args[0])) {
		return;
	}
	if (!gde_text_from_dictionary(&options, p_args[1])) {
		free(label.data);
		return;
	}
	wc_handle channel = 0;
	wc_status status =
			wc_peer_create_data_channel(peer->handle, label.data, label.length, options.data, options.length, &channel);
	free(options.data);
	free(label.data);
	if (status == BP_CORE_STATUS_OK && channel != 0) {
		gde_object object = gde_channel_wrap(channel);
		if (object != NULL) {
			gde_api.ref_set_object(r_ret, object); /* the Ref takes the floating reference */
		}
	}
}

static void gde_peer_create_offer(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_peer *peer = p_instance;
	gde_return_int(r_ret, gde_error(wc_peer_create_offer(peer->handle)));
}

typedef wc_status (*gde_description_call)(wc_handle, const char *, size_t, const char *, size_t);

static void gde_peer_set_description(gde_description_call p_call, gde_peer *p_peer, const void *const *p_args, void *r_ret) {
	gde_text_argument type;
	gde_text_argument sdp;
	if (!gde_text_from_string(&type, p_args[0])) {
		gde_return_int(r_ret, BP_GODOT_ERR_OUT_OF_MEMORY);
		return;
	}
	if (!gde_text_from_string(&sdp, p_args[1])) {
		free(type.data);
		gde_return_int(r_ret, BP_GODOT_ERR_OUT_OF_MEMORY);
		return;
	}
	wc_status status = p_call(p_peer->handle, type.data, type.length, sdp.data, sdp.length);
	free(sdp.data);
	free(type.data);
	gde_return_int(r_ret, gde_error(status));
}

static void gde_peer_set_remote_description(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_peer_set_description(wc_peer_set_remote_description, p_instance, p_args, r_ret);
}

static void gde_peer_set_local_description(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_peer_set_description(wc_peer_set_local_description, p_instance, p_args, r_ret);
}

static void gde_peer_add_ice_candidate(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_peer *peer = p_instance;
	gde_text_argument mid;
	gde_text_argument candidate;
	int64_t index = *(const int64_t *)p_args[1];
	if (!gde_text_from_string(&mid, p_args[0])) {
		gde_return_int(r_ret, BP_GODOT_ERR_OUT_OF_MEMORY);
		return;
	}
	if (!gde_text_from_string(&candidate, p_args[2])) {
		free(mid.data);
		gde_return_int(r_ret, BP_GODOT_ERR_OUT_OF_MEMORY);
		return;
	}
	wc_status status = wc_peer_add_ice_candidate(peer->handle, mid.data, mid.length, index, candidate.data, candidate.length);
	free(candidate.data);
	free(mid.data);
	gde_return_int(r_ret, gde_error(status));
}

static void gde_variant_from_text(gde_variant *r_variant, wc_text p_text) {
	gde_string text;
	gde_string_make(&text, p_text.data, p_text.length);
	gde_api.variant_from_string(r_variant, &text);
	gde_string_destroy(&text);
}

/* Emit one signal. Script handlers run inside (and may call back into the shim). */
static void gde_peer_emit(gde_object p_object, const wc_signal *p_signal) {
	gde_variant args[3];
	switch (p_signal->kind) {
		case WC_SIGNAL_SESSION_DESCRIPTION_CREATED:
			gde_variant_from_text(&args[0], p_signal->type);
			gde_variant_from_text(&args[1], p_signal->sdp);
			gde_emit_signal(p_object, &gde_name.session_description_created, args, 2);
			gde_api.variant_destroy(&args[1]);
			gde_api.variant_destroy(&args[0]);
			break;
		case WC_SIGNAL_ICE_CANDIDATE_CREATED: {
			int64_t index = p_signal->index;
			gde_variant_from_text(&args[0], p_signal->mid);
			gde_api.variant_from_int(&args[1], &index);
			gde_variant_from_text(&args[2], p_signal->candidate);
			gde_emit_signal(p_object, &gde_name.ice_candidate_created, args, 3);
			gde_api.variant_destroy(&args[2]);
			gde_api.variant_destroy(&args[1]);
			gde_api.variant_destroy(&args[0]);
			break;
		}
		case WC_SIGNAL_DATA_CHANNEL_RECEIVED: {
			/* The Variant takes the floating reference; if no handler kept the channel,
			 * destroying it frees the channel, which closes it (docs/abi.md section 3.4). */
			gde_object channel = gde_channel_wrap(p_signal->channel);
			if (channel != NULL) {
				gde_api.variant_from_object(&args[0], &channel);
				gde_emit_signal(p_object, &gde_name.data_channel_received, args, 1);
				gde_api.variant_destroy(&args[0]);
			}
			break;
		}
		default:
			gde_print_error("webrtc_ts: unknown signal kind %d from the bridge client", (int)p_signal->kind);
			break;
	}
}

static void gde_peer_poll(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_peer *peer = p_instance;
	/* A handler may drop the last reference to this peer, which frees `peer`: keep what the
	 * loop needs in locals and go on only while the object still exists. */
	gde_object object = peer->object;
	wc_handle handle = peer->handle;
	gde_instance_id id = gde_api.object_get_instance_id(object);
	uint32_t count = 0;
	wc_status status = wc_peer_poll(handle, &count);
	wc_signal signal;
	while (status == BP_CORE_STATUS_OK && wc_peer_next_signal(handle, &signal) == BP_CORE_STATUS_OK) {
		gde_peer_emit(object, &signal);
		if (gde_api.object_get_instance_from_id(id) != object) {
			break;
		}
	}
	gde_return_int(r_ret, gde_error(status));
}

static void gde_peer_close(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	(void)r_ret;
	gde_peer *peer = p_instance;
	wc_peer_close(peer->handle);
}

static void gde_peer_get_connection_state(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_peer *peer = p_instance;
	int32_t state = BP_CONNECTION_STATE_CLOSED;
	if (wc_peer_get_connection_state(peer->handle, &state) != BP_CORE_STATUS_OK) {
		state = BP_CONNECTION_STATE_CLOSED;
	}
	gde_return_int(r_ret, state);
}

static void gde_peer_get_gathering_state(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_peer *peer = p_instance;
	int32_t state = BP_GATHERING_STATE_NEW;
	if (wc_peer_get_gathering_state(peer->handle, &state) != BP_CORE_STATUS_OK) {
		state = BP_GATHERING_STATE_NEW;
	}
	gde_return_int(r_ret, state);
}

static void gde_peer_get_signaling_state(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_peer *peer = p_instance;
	int32_t state = BP_SIGNALING_STATE_CLOSED;
	if (wc_peer_get_signaling_state(peer->handle, &state) != BP_CORE_STATUS_OK) {
		state = BP_SIGNALING_STATE_CLOSED;
	}
	gde_return_int(r_ret, state);
}

/* Every virtual the API dump lists, by name: a missing function is a compile error. */
#define GDE_PEER_ENTRY(p_name, p_required) { #p_name, gde_peer##p_name, { { 0 } } },
static gde_virtual gde_peer_virtuals[] = { GDE_PEER_VIRTUALS(GDE_PEER_ENTRY) };
#define GDE_PEER_TABLE_SIZE ((int)(sizeof(gde_peer_virtuals) / sizeof(gde_peer_virtuals[0])))
_Static_assert(sizeof(gde_peer_virtuals) / sizeof(gde_peer_virtuals[0]) == GDE_PEER_VIRTUAL_COUNT,
		"one entry per WebRTCPeerConnectionExtension virtual");

/* ---- life cycle (docs/abi.md sections 3.2 and 3.4) ---- */

/* WebRTCPeerConnection.new() (through the default extension): cheap, no worker yet. */
static gde_object gde_peer_create_instance(void *p_class_userdata) {
	(void)p_class_userdata;
	gde_peer *peer = calloc(1, sizeof(*peer));
	if (peer == NULL) {
		return NULL;
	}
	if (wc_peer_create(&peer->handle) != BP_CORE_STATUS_OK) {
		peer->handle = 0; /* every call then returns an Error */
	}
	gde_object object = gde_api.classdb_construct_object(&gde_name.peer_parent);
	if (object == NULL) {
		if (peer->handle != 0) {
			wc_peer_free(peer->handle);
		}
		free(peer);
		return NULL;
	}
	peer->object = object;
	gde_api.object_set_instance(object, &gde_name.peer_class, peer);
	return object;
}

/* The last reference is gone: freeing the client peer closes the connection. Its channels
 * stay valid objects (CLOSED) for as long as scripts hold them. */
static void gde_peer_free_instance(void *p_class_userdata, void *p_instance) {
	(void)p_class_userdata;
	gde_peer *peer = p_instance;
	if (peer->handle != 0) {
		wc_peer_free(peer->handle);
	}
	free(peer);
}

static gde_call_virtual gde_peer_get_virtual(void *p_class_userdata, const gde_string_name *p_name) {
	(void)p_class_userdata;
	return gde_virtuals_find(gde_peer_virtuals, GDE_PEER_TABLE_SIZE, p_name);
}

static wc_handle gde_peer_handle_of(void *p_instance) {
	return ((const gde_peer *)p_instance)->handle;
}

void gde_peer_register(void) {
	gde_virtuals_make(gde_peer_virtuals, GDE_PEER_TABLE_SIZE);
	gde_class_creation_info info = { 0 };
	info.create_instance_func = gde_peer_create_instance;
	info.free_instance_func = gde_peer_free_instance;
	info.get_virtual_func = gde_peer_get_virtual;
	gde_api.classdb_register_extension_class(gde_api.library, &gde_name.peer_class, &gde_name.peer_parent, &info);
	gde_stats_register_peer(gde_peer_handle_of);
}

void gde_peer_unregister(void) {
	gde_api.classdb_unregister_extension_class(gde_api.library, &gde_name.peer_class);
	gde_virtuals_destroy(gde_peer_virtuals, GDE_PEER_TABLE_SIZE);
}
