/* get_stats() on both classes: a method of our own (not a virtual), so a script reaches it on
 * an untyped variable or through call("get_stats"). It answers the Dictionary the client
 * writes (wc_peer_stats_write / wc_channel_stats_write: README.md, "Connection stats") in
 * Godot 4 values: String keys; int, float, String and Dictionary values. */
#include <string.h>

#include "gde_shim.h"

static gde_handle_of gde_peer_handle;
static gde_handle_of gde_channel_handle;

/* ---- the Dictionary: the client writes the keys (wc_stats_dictionary.c), this sink makes
 * Godot 4 values ---- */

/* p_value is consumed (destroyed here). */
static void gde_put(void *p_dictionary, const char *p_key, gde_variant *p_value) {
	gde_string text;
	gde_string_make(&text, p_key, strlen(p_key));
	gde_variant key;
	gde_api.variant_from_string(&key, &text);
	gde_string_destroy(&text);
	gde_variant *slot = gde_api.dictionary_operator_index(p_dictionary, &key);
	if (slot != NULL) {
		gde_api.variant_destroy(slot); /* the NIL the insertion made */
		gde_api.variant_new_copy(slot, p_value);
	}
	gde_api.variant_destroy(p_value);
	gde_api.variant_destroy(&key);
}

static void gde_put_int(void *p_user, void *p_dictionary, const char *p_key, int64_t p_value) {
	(void)p_user;
	gde_variant value;
	gde_api.variant_from_int(&value, &p_value);
	gde_put(p_dictionary, p_key, &value);
}

static void gde_put_float(void *p_user, void *p_dictionary, const char *p_key, double p_value) {
	(void)p_user;
	gde_variant value;
	gde_api.variant_from_float(&value, &p_value);
	gde_put(p_dictionary, p_key, &value);
}

static void gde_put_text(void *p_user, void *p_dictionary, const char *p_key, const char *p_text, size_t p_length) {
	(void)p_user;
	gde_string text;
	gde_string_make(&text, p_text, p_length);
	gde_variant value;
	gde_api.variant_from_string(&value, &text);
	gde_string_destroy(&text);
	gde_put(p_dictionary, p_key, &value);
}

static void gde_put_dictionary(const wc_dictionary_sink *p_sink, void *p_dictionary, const char *p_key,
		wc_dictionary_fill p_fill, const void *p_context) {
	gde_dictionary inner;
	gde_api.dictionary_new(&inner, NULL);
	p_fill(p_sink, &inner, p_context);
	gde_variant value;
	gde_api.variant_from_dictionary(&value, &inner);
	gde_api.dictionary_destroy(&inner);
	gde_put(p_dictionary, p_key, &value);
}

static const wc_dictionary_sink gde_sink = { NULL, gde_put_int, gde_put_float, gde_put_text, gde_put_dictionary };

static void gde_peer_dictionary(wc_handle p_handle, gde_dictionary *r_dictionary) {
	gde_api.dictionary_new(r_dictionary, NULL);
	wc_peer_stats s;
	wc_status status = wc_peer_get_stats(p_handle, &s);
	if (status == BP_CORE_STATUS_OK) {
		wc_peer_stats_write(&s, &gde_sink, r_dictionary);
	} else if (status == BP_CORE_STATUS_STALE_HANDLE) { /* NO_WORKER and TIMEOUT were logged by the client */
		gde_print_error("webrtc_ts: get_stats: this WebRTCPeerConnection has no bridge object (out of memory when made)");
	}
}

static void gde_channel_dictionary(wc_handle p_handle, gde_dictionary *r_dictionary) {
	gde_api.dictionary_new(r_dictionary, NULL);
	wc_channel_stats s;
	wc_status status = wc_channel_get_stats(p_handle, &s);
	if (status == BP_CORE_STATUS_OK) {
		wc_channel_stats_write(&s, &gde_sink, r_dictionary);
	} else if (status == BP_CORE_STATUS_STALE_HANDLE) {
		gde_print_error("webrtc_ts: get_stats: this WebRTCDataChannel has no bridge object");
	}
}

/* ---- the two calling conventions ---- */

typedef void (*gde_dictionary_builder)(wc_handle p_handle, gde_dictionary *r_dictionary);

/* Through a Variant: r_return is the engine's NIL Variant, constructed over. */
static void gde_stats_call(gde_dictionary_builder p_build, wc_handle p_handle, gde_int p_argument_count,
		gde_variant *r_return, gde_call_error *r_error) {
	if (p_argument_count != 0) {
		r_error->error = GDE_CALL_ERROR_TOO_MANY_ARGUMENTS;
		r_error->argument = 0;
		r_error->expected = 0;
		return;
	}
	gde_dictionary dictionary;
	p_build(p_handle, &dictionary);
	gde_api.variant_from_dictionary(r_return, &dictionary);
	gde_api.dictionary_destroy(&dictionary);
}

/* ptrcall: r_ret is a constructed Dictionary; it is replaced by ours. */
static void gde_stats_ptrcall(gde_dictionary_builder p_build, wc_handle p_handle, void *r_ret) {
	gde_dictionary dictionary;
	p_build(p_handle, &dictionary);
	gde_api.dictionary_destroy(r_ret);
	const void *args[1] = { &dictionary };
	gde_api.dictionary_copy(r_ret, args);
	gde_api.dictionary_destroy(&dictionary);
}

static void gde_peer_stats_call(void *p_userdata, void *p_instance, const gde_variant *const *p_args, gde_int p_count,
		gde_variant *r_return, gde_call_error *r_error) {
	(void)p_userdata;
	(void)p_args;
	gde_stats_call(gde_peer_dictionary, gde_peer_handle(p_instance), p_count, r_return, r_error);
}

static void gde_peer_stats_ptrcall(void *p_userdata, void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_userdata;
	(void)p_args;
	gde_stats_ptrcall(gde_peer_dictionary, gde_peer_handle(p_instance), r_ret);
}

static void gde_channel_stats_call(void *p_userdata, void *p_instance, const gde_variant *const *p_args, gde_int p_count,
		gde_variant *r_return, gde_call_error *r_error) {
	(void)p_userdata;
	(void)p_args;
	gde_stats_call(gde_channel_dictionary, gde_channel_handle(p_instance), p_count, r_return, r_error);
}

static void gde_channel_stats_ptrcall(void *p_userdata, void *p_instance, const void *const *p_args, void *r_ret) {
	(void)p_userdata;
	(void)p_args;
	gde_stats_ptrcall(gde_channel_dictionary, gde_channel_handle(p_instance), r_ret);
}

/* ---- registration ---- */

static void gde_stats_register(const gde_string_name *p_class, gde_method_call p_call, gde_method_ptrcall p_ptrcall) {
	gde_string_name method;
	gde_string_name empty_name;
	gde_string empty_hint;
	gde_string_name_make(&method, "get_stats");
	gde_string_name_make(&empty_name, "");
	gde_string_make(&empty_hint, "", 0);
	gde_property_info returns = { GDE_VARIANT_TYPE_DICTIONARY, &empty_name, &empty_name, 0, &empty_hint,
		GDE_PROPERTY_USAGE_DEFAULT };
	gde_class_method_info info = { 0 };
	info.name = &method;
	info.call_func = p_call;
	info.ptrcall_func = p_ptrcall;
	info.method_flags = GDE_METHOD_FLAGS_DEFAULT;
	info.has_return_value = 1;
	info.return_value_info = &returns;
	info.return_value_metadata = GDE_METHOD_ARGUMENT_METADATA_NONE;
	gde_api.classdb_register_extension_class_method(gde_api.library, p_class, &info);
	gde_string_destroy(&empty_hint);
	gde_string_name_destroy(&empty_name);
	gde_string_name_destroy(&method);
}

void gde_stats_register_peer(gde_handle_of p_handle_of) {
	gde_peer_handle = p_handle_of;
	gde_stats_register(&gde_name.peer_class, gde_peer_stats_call, gde_peer_stats_ptrcall);
}

void gde_stats_register_channel(gde_handle_of p_handle_of) {
	gde_channel_handle = p_handle_of;
	gde_stats_register(&gde_name.channel_class, gde_channel_stats_call, gde_channel_stats_ptrcall);
}
