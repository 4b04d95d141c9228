/* WebRTCDataChannelGDNative: each interface function forwards to the client. The memory the
 * engine receives stays valid as long as it needs it: labels and protocols live until the
 * channel is freed, a packet until the next get_packet (the client's contract, wc.h). */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include "gdn_shim.h"

typedef struct gdn_channel {
	godot_net_webrtc_data_channel iface; /* the engine keeps a pointer to it */
	godot_net_webrtc_data_channel_ext ext;
	godot_object *owner;
	wc_handle handle;
} gdn_channel;

/* Handed from gdn_channel_wrap to the create callback that set_script runs (this thread). */
static _Thread_local wc_handle gdn_channel_pending;
static _Thread_local gdn_channel *gdn_channel_created;
static godot_class_constructor gdn_channel_new;
static pthread_once_t gdn_channel_once = PTHREAD_ONCE_INIT;

static wc_handle gdn_channel_handle(const void *p_user) {
	return ((const gdn_channel *)p_user)->handle;
}

static bool gdn_channel_info(const void *p_user, wc_channel_info *r_info) {
	return wc_channel_get_info(gdn_channel_handle(p_user), r_info) == BP_CORE_STATUS_OK;
}

static godot_error gdn_channel_get_packet(void *p_user, const uint8_t **r_buffer, int *r_length) {
	const uint8_t *data = NULL;
	size_t length = 0;
	wc_status status = wc_channel_get_packet(gdn_channel_handle(p_user), &data, &length);
	if (status != BP_CORE_STATUS_OK) {
		*r_buffer = NULL;
		*r_length = 0;
		return gdn_error_from(status);
	}
	*r_buffer = data;
	*r_length = (int)length; /* at most the max message size (256 KiB) */
	return BP_GODOT_OK;
}

static godot_error gdn_channel_put_packet(void *p_user, const uint8_t *p_buffer, int p_length) {
	if (p_length < 0 || (p_buffer == NULL && p_length > 0)) {
		return BP_GODOT_ERR_INVALID_PARAMETER;
	}
	return gdn_error_from(wc_channel_put_packet(gdn_channel_handle(p_user), p_buffer, (size_t)p_length));
}

static godot_int gdn_channel_get_available_packet_count(const void *p_user) {
	int32_t count = 0;
	wc_channel_get_available_packet_count(gdn_channel_handle(p_user), &count);
	return count;
}

static godot_int gdn_channel_get_max_packet_size(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.max_packet_size : 0;
}

static void gdn_channel_set_write_mode(void *p_user, godot_int p_mode) {
	wc_channel_set_write_mode(gdn_channel_handle(p_user), p_mode); /* an invalid mode: the client logs it */
}

static godot_int gdn_channel_get_write_mode(const void *p_user) {
	int32_t mode = BP_CHANNEL_WRITE_MODE_BINARY;
	wc_channel_get_write_mode(gdn_channel_handle(p_user), &mode);
	return mode;
}

static bool gdn_channel_was_string_packet(const void *p_user) {
	bool was_string = false;
	wc_channel_was_string_packet(gdn_channel_handle(p_user), &was_string);
	return was_string;
}

static godot_int gdn_channel_get_ready_state(const void *p_user) {
	int32_t state = BP_CHANNEL_STATE_CLOSED;
	wc_channel_get_ready_state(gdn_channel_handle(p_user), &state);
	return state;
}

/* The engine copies the returned string at once with String(const char *), which reads it
 * byte by byte: ASCII comes back unchanged, other UTF-8 does not (an engine limit in 3.2). */
static const char *gdn_channel_get_label(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) && info.label.data != NULL ? info.label.data : "";
}

static const char *gdn_channel_get_protocol(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) && info.protocol.data != NULL ? info.protocol.data : "";
}

static bool gdn_channel_is_ordered(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.ordered : false;
}

static int gdn_channel_get_id(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.id : 65535;
}

static int gdn_channel_get_max_packet_life_time(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.max_packet_life_time : 65535;
}

static int gdn_channel_get_max_retransmits(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.max_retransmits : 65535;
}

static bool gdn_channel_is_negotiated(const void *p_user) {
	wc_channel_info info;
	return gdn_channel_info(p_user, &info) ? info.negotiated : false;
}

static int gdn_channel_get_buffered_amount(const void *p_user) {
	int64_t bytes = 0;
	wc_channel_get_buffered_amount(gdn_channel_handle(p_user), &bytes);
	return bytes > INT_MAX ? INT_MAX : (int)bytes;
}

static godot_error gdn_channel_poll(void *p_user) {
	return gdn_error_from(wc_channel_poll(gdn_channel_handle(p_user)));
}

static void gdn_channel_close(void *p_user) {
	wc_channel_close(gdn_channel_handle(p_user));
}

/* ---- life cycle ---- */

wc_handle gdn_channel_handle_of(const void *p_user_data) {
	return p_user_data != NULL ? ((const gdn_channel *)p_user_data)->handle : 0;
}

void *gdn_channel_create(godot_object *p_owner, void *p_method_data) {
	(void)p_method_data;
	gdn_channel *channel = calloc(1, sizeof(*channel));
	if (channel == NULL) {
		return NULL;
	}
	channel->owner = p_owner;
	channel->handle = gdn_channel_pending; /* 0 if not made by gdn_channel_wrap: a dead channel */
	gdn_channel_pending = 0;
	channel->ext = (godot_net_webrtc_data_channel_ext){ gdn_channel_get_buffered_amount, NULL };
	channel->iface = (godot_net_webrtc_data_channel){
		.version = { 3, 1 },
		.data = channel,
		.get_packet = gdn_channel_get_packet,
		.put_packet = gdn_channel_put_packet,
		.get_available_packet_count = gdn_channel_get_available_packet_count,
		.get_max_packet_size = gdn_channel_get_max_packet_size,
		.set_write_mode = gdn_channel_set_write_mode,
		.get_write_mode = gdn_channel_get_write_mode,
		.was_string_packet = gdn_channel_was_string_packet,
		.get_ready_state = gdn_channel_get_ready_state,
		.get_label = gdn_channel_get_label,
		.is_ordered = gdn_channel_is_ordered,
		.get_id = gdn_channel_get_id,
		.get_max_packet_life_time = gdn_channel_get_max_packet_life_time,
		.get_max_retransmits = gdn_channel_get_max_retransmits,
		.get_protocol = gdn_channel_get_protocol,
		.is_negotiated = gdn_channel_is_negotiated,
		.poll = gdn_channel_poll,
		.close = gdn_channel_close,
		.next = &channel->ext,
	};
	gdn_g_api.net_bind_webrtc_data_channel(p_owner, &channel->iface);
	gdn_channel_created = channel;
	return channel;
}

void gdn_channel_destroy(godot_object *p_owner, void *p_method_data, void *p_user_data) {
	(void)p_method_data;
	gdn_channel *channel = p_user_data;
	if (channel == NULL) {
		return;
	}
	gdn_g_api.net_bind_webrtc_data_channel(p_owner, NULL);
	if (channel->handle != 0) {
		wc_channel_free(channel->handle); /* the script dropped its last reference: close and forget */
	}
	free(channel);
}

/* Free an object nobody references yet: a Variant takes its floating reference, and
 * destroying the Variant drops it. */
static void gdn_object_discard(godot_object *p_object) {
	godot_variant holder;
	gdn_g_api.variant_new_object(&holder, p_object);
	gdn_g_api.variant_destroy(&holder);
}

static void gdn_channel_lookup(void) {
	gdn_channel_new = gdn_g_api.get_class_constructor(GDN_CHANNEL_BASE);
}

godot_object *gdn_channel_wrap(wc_handle p_channel) {
	/* Looked up lazily: during singleton() the webrtc module is not registered yet. */
	pthread_once(&gdn_channel_once, gdn_channel_lookup);
	godot_object *object = gdn_channel_new != NULL ? gdn_channel_new() : NULL;
	if (object == NULL) {
		gdn_error("create_data_channel", "cannot create a " GDN_CHANNEL_BASE " object");
		wc_channel_free(p_channel);
		return NULL;
	}
	gdn_channel_pending = p_channel;
	gdn_channel_created = NULL;
	bool attached = gdn_script_attach(object, GDN_CHANNEL_CLASS);
	gdn_channel *channel = gdn_channel_created;
	gdn_channel_pending = 0;
	gdn_channel_created = NULL;
	if (!attached || channel == NULL || channel->handle != p_channel) {
		if (channel == NULL) {
			wc_channel_free(p_channel); /* no script instance owns it */
		}
		gdn_object_discard(object); /* runs the destroy callback if one was attached */
		gdn_error("create_data_channel", "cannot attach the data channel implementation to the new object");
		return NULL;
	}
	return object;
}
