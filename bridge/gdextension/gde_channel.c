/* WebRTCDataChannelTS: Godot's WebRTCDataChannelExtension over a client channel handle.
 * Every virtual forwards to wc_channel_* or reads the client's mirrored state; nothing here
 * holds WebRTC logic (docs/style.md item 4). A channel whose handle names nothing (made by
 * `WebRTCDataChannelTS.new()`, or after the client shut down) behaves as a CLOSED channel
 * and its calls return the client's STALE_HANDLE status as an Error. */
#include <stdint.h>
#include <stdlib.h>

#include "gde_shim.h"

typedef struct gde_channel {
	gde_object object; /* weak: the engine frees it, and us with it */
	wc_handle handle; /* 0: none */
} gde_channel;

/* What a channel without a client object reports (Godot's documented "unset" values). */
static const wc_channel_info gde_channel_no_info = {
	.id = 65535,
	.max_packet_life_time = 65535,
	.max_retransmits = 65535,
	.ordered = true,
};

static wc_channel_info gde_channel_info(const gde_channel *p_channel) {
	wc_channel_info info;
	if (wc_channel_get_info(p_channel->handle, &info) != BP_CORE_STATUS_OK) {
		info = gde_channel_no_info;
	}
	return info;
}

/* ---- the 18 virtuals (docs/abi.md section 3.3 for every encoding) ---- */

static void gde_channel_get_packet(void *p_instance, const void *const *p_args, void *r_ret) {
	static const uint8_t empty[1] = { 0 };
	gde_channel *channel = p_instance;
	const uint8_t **r_buffer = *(const uint8_t ***)p_args[0];
	int32_t *r_size = *(int32_t **)p_args[1]; /* a C int */
	const uint8_t *data = NULL;
	size_t length = 0;
	wc_status status = wc_channel_get_packet(channel->handle, &data, &length);
	if (status == BP_CORE_STATUS_OK) {
		*r_buffer = data != NULL ? data : empty;
		*r_size = (int32_t)length; /* at most BP_RECORD_MAX_PAYLOAD */
	}
	gde_return_int(r_ret, gde_error(status));
}

static void gde_channel_put_packet(void *p_instance, const void *const *p_args, void *r_ret) {
	gde_channel *channel = p_instance;
	const uint8_t *buffer = *(const uint8_t *const *)p_args[0];
	int64_t size = *(const int64_t *)p_args[1];
	if (size < 0 || (buffer == NULL && size > 0)) {
		gde_print_error("put_packet: invalid buffer (%lld bytes)", (long long)size);
		gde_return_int(r_ret, BP_GODOT_ERR_INVALID_PARAMETER);
		return;
	}
	gde_return_int(r_ret, gde_error(wc_channel_put_packet(channel->handle, buffer, (size_t)size)));
}

static void gde_channel_get_available_packet_count(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	int32_t count = 0;
	wc_channel_get_available_packet_count(channel->handle, &count);
	gde_return_int(r_ret, count);
}

static void gde_channel_get_max_packet_size(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_int(r_ret, gde_channel_info(p_instance).max_packet_size);
}

static void gde_channel_poll(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	gde_return_int(r_ret, gde_error(wc_channel_poll(channel->handle)));
}

static void gde_channel_close(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	(void)r_ret;
	gde_channel *channel = p_instance;
	wc_channel_close(channel->handle);
}

static void gde_channel_set_write_mode(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)r_ret;
	gde_channel *channel = p_instance;
	int64_t mode = *(const int64_t *)p_args[0];
	if (mode < INT32_MIN || mode > INT32_MAX) {
		gde_print_error("set_write_mode: %lld is not a WriteMode", (long long)mode);
		return;
	}
	wc_channel_set_write_mode(channel->handle, (int32_t)mode); /* a bad mode: the client logs it */
}

static void gde_channel_get_write_mode(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	int32_t mode = BP_CHANNEL_WRITE_MODE_BINARY;
	if (wc_channel_get_write_mode(channel->handle, &mode) != BP_CORE_STATUS_OK) {
		mode = BP_CHANNEL_WRITE_MODE_BINARY;
	}
	gde_return_int(r_ret, mode);
}

static void gde_channel_was_string_packet(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	bool was_string = false;
	wc_channel_was_string_packet(channel->handle, &was_string);
	gde_return_bool(r_ret, was_string);
}

static void gde_channel_get_ready_state(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	int32_t state = BP_CHANNEL_STATE_CLOSED;
	if (wc_channel_get_ready_state(channel->handle, &state) != BP_CORE_STATUS_OK) {
		state = BP_CHANNEL_STATE_CLOSED;
	}
	gde_return_int(r_ret, state);
}

/* A String return slot holds a constructed String: replace it. */
static void gde_return_text(void *r_ret, wc_text p_text) {
	gde_string_destroy(r_ret);
	gde_string_make(r_ret, p_text.data, p_text.length);
}

static void gde_channel_get_label(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_text(r_ret, gde_channel_info(p_instance).label);
}

static void gde_channel_is_ordered(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_bool(r_ret, gde_channel_info(p_instance).ordered);
}

static void gde_channel_get_id(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_int(r_ret, gde_channel_info(p_instance).id);
}

static void gde_channel_get_max_packet_life_time(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_int(r_ret, gde_channel_info(p_instance).max_packet_life_time);
}

static void gde_channel_get_max_retransmits(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_int(r_ret, gde_channel_info(p_instance).max_retransmits);
}

static void gde_channel_get_protocol(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_text(r_ret, gde_channel_info(p_instance).protocol);
}

static void gde_channel_is_negotiated(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_return_bool(r_ret, gde_channel_info(p_instance).negotiated);
}

static void gde_channel_get_buffered_amount(void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_args;
	gde_channel *channel = p_instance;
	int64_t bytes = 0;
	wc_channel_get_buffered_amount(channel->handle, &bytes);
	gde_return_int(r_ret, bytes);
}

/* Every virtual the API dump lists, by name: a missing function is a compile error. */
#define GDE_CHANNEL_ENTRY(p_name, p_required) { #p_name, gde_channel##p_name, { { 0 } } },
static gde_virtual gde_channel_virtuals[] = { GDE_CHANNEL_VIRTUALS(GDE_CHANNEL_ENTRY) };
#define GDE_CHANNEL_TABLE_SIZE ((int)(sizeof(gde_channel_virtuals) / sizeof(gde_channel_virtuals[0])))
_Static_assert(sizeof(gde_channel_virtuals) / sizeof(gde_channel_virtuals[0]) == GDE_CHANNEL_VIRTUAL_COUNT,
		"one entry per WebRTCDataChannelExtension virtual");

/* ---- life cycle (docs/abi.md sections 3.2 and 3.4) ---- */

static gde_object gde_channel_new_object(wc_handle p_handle) {
	gde_channel *channel = calloc(1, sizeof(*channel));
	if (channel == NULL) {
		return NULL;
	}
	gde_object object = gde_api.classdb_construct_object(&gde_name.channel_parent);
	if (object == NULL) {
		free(channel);
		return NULL;
	}
	channel->object = object;
	channel->handle = p_handle;
	gde_api.object_set_instance(object, &gde_name.channel_class, channel);
	return object;
}

gde_object gde_channel_wrap(wc_handle p_channel) {
	gde_object object = gde_channel_new_object(p_channel);
	if (object == NULL) {
		gde_print_error("webrtc_ts: cannot create a " GDE_CHANNEL_CLASS " object");
		wc_channel_free(p_channel);
	}
	return object;
}

static gde_object gde_channel_create_instance(void *p_class_userdata) {
	(void)p_class_userdata;
	return gde_channel_new_object(0);
}

/* The last reference is gone (any thread; the object is half-destroyed: no engine calls).
 * Freeing the client channel closes it. */
static void gde_channel_free_instance(void *p_class_userdata, void *p_instance) {
	(void)p_class_userdata;
	gde_channel *channel = p_instance;
	if (channel->handle != 0) {
		wc_channel_free(channel->handle);
	}
	free(channel);
}

static gde_call_virtual gde_channel_get_virtual(void *p_class_userdata, const gde_string_name *p_name) {
	(void)p_class_userdata;
	return gde_virtuals_find(gde_channel_virtuals, GDE_CHANNEL_TABLE_SIZE, p_name);
}

static wc_handle gde_channel_handle_of(void *p_instance) {
	return ((const gde_channel *)p_instance)->handle;
}

void gde_channel_register(void) {
	gde_virtuals_make(gde_channel_virtuals, GDE_CHANNEL_TABLE_SIZE);
	gde_class_creation_info info = { 0 };
	info.create_instance_func = gde_channel_create_instance;
	info.free_instance_func = gde_channel_free_instance;
	info.get_virtual_func = gde_channel_get_virtual;
	gde_api.classdb_register_extension_class(gde_api.library, &gde_name.channel_class, &gde_name.channel_parent, &info);
	gde_stats_register_channel(gde_channel_handle_of);
}

void gde_channel_unregister(void) {
	gde_api.classdb_unregister_extension_class(gde_api.library, &gde_name.channel_class);
	gde_virtuals_destroy(gde_channel_virtuals, GDE_CHANNEL_TABLE_SIZE);
}
