/* get_stats() for Godot 3: a NativeScript method of both classes, so `pc.get_stats()` on an
 * untyped variable and `pc.call("get_stats")` reach it. It answers the Dictionary the client
 * writes (wc_peer_stats_write / wc_channel_stats_write: README.md, "Connection stats") in
 * Godot 3 values. */
#include <string.h>

#include "gdn_shim.h"

/* ---- the Dictionary: the client writes the keys (wc_stats_dictionary.c), this sink makes
 * Godot 3 values ---- */

/* p_value is consumed (destroyed here). */
static void gdn_put(godot_dictionary *p_dictionary, const char *p_key, godot_variant *p_value) {
	godot_string text = gdn_string_from(p_key, strlen(p_key));
	godot_variant key;
	gdn_g_api.variant_new_string(&key, &text);
	gdn_g_api.string_destroy(&text);
	gdn_g_api.dictionary_set(p_dictionary, &key, p_value);
	gdn_g_api.variant_destroy(&key);
	gdn_g_api.variant_destroy(p_value);
}

static void gdn_put_int(void *p_user, void *p_dictionary, const char *p_key, int64_t p_value) {
	(void)p_user;
	godot_variant value;
	gdn_g_api.variant_new_int(&value, p_value);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_real(void *p_user, void *p_dictionary, const char *p_key, double p_value) {
	(void)p_user;
	godot_variant value;
	gdn_g_api.variant_new_real(&value, p_value);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_text(void *p_user, void *p_dictionary, const char *p_key, const char *p_text, size_t p_length) {
	(void)p_user;
	godot_string text = gdn_string_from(p_text, p_length);
	godot_variant value;
	gdn_g_api.variant_new_string(&value, &text);
	gdn_g_api.string_destroy(&text);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_dictionary(const wc_dictionary_sink *p_sink, void *p_dictionary, const char *p_key,
		wc_dictionary_fill p_fill, const void *p_context) {
	godot_dictionary inner;
	gdn_g_api.dictionary_new(&inner);
	p_fill(p_sink, &inner, p_context);
	godot_variant value;
	gdn_g_api.variant_new_dictionary(&value, &inner);
	gdn_g_api.dictionary_destroy(&inner);
	gdn_put(p_dictionary, p_key, &value);
}

static const wc_dictionary_sink gdn_sink = { NULL, gdn_put_int, gdn_put_real, gdn_put_text, gdn_put_dictionary };

static void gdn_peer_dictionary(wc_handle p_handle, godot_dictionary *p_dictionary) {
	wc_peer_stats s;
	wc_status status = wc_peer_get_stats(p_handle, &s);
	if (status == BP_CORE_STATUS_OK) {
		wc_peer_stats_write(&s, &gdn_sink, p_dictionary);
	} else if (status == BP_CORE_STATUS_STALE_HANDLE) { /* NO_WORKER and TIMEOUT were logged by the client */
		gdn_error("get_stats", "this WebRTCPeerConnection has no bridge object (out of memory when made)");
	}
}

static void gdn_channel_dictionary(wc_handle p_handle, godot_dictionary *p_dictionary) {
	wc_channel_stats s;
	wc_status status = wc_channel_get_stats(p_handle, &s);
	if (status == BP_CORE_STATUS_OK) {
		wc_channel_stats_write(&s, &gdn_sink, p_dictionary);
	} else if (status == BP_CORE_STATUS_STALE_HANDLE) {
		gdn_error("get_stats", "this WebRTCDataChannel has no bridge object");
	}
}

/* ---- the methods ---- */

typedef void (*gdn_dictionary_builder)(wc_handle p_handle, godot_dictionary *p_dictionary);

static godot_variant gdn_stats_answer(gdn_dictionary_builder p_build, wc_handle p_handle, int p_num_args) {
	godot_dictionary dictionary;
	gdn_g_api.dictionary_new(&dictionary);
	if (p_num_args != 0) {
		gdn_error("get_stats", "takes no argument (%d given); the answer is an empty Dictionary", p_num_args);
	} else {
		p_build(p_handle, &dictionary);
	}
	godot_variant answer;
	gdn_g_api.variant_new_dictionary(&answer, &dictionary);
	gdn_g_api.dictionary_destroy(&dictionary);
	return answer;
}

static godot_variant gdn_peer_get_stats(godot_object *p_owner, void *p_method_data, void *p_user_data, int p_num_args,
		godot_variant **p_args) {
	(void)p_owner;
	(void)p_method_data;
	(void)p_args;
	return gdn_stats_answer(gdn_peer_dictionary, gdn_peer_handle_of(p_user_data), p_num_args);
}

static godot_variant gdn_channel_get_stats(godot_object *p_owner, void *p_method_data, void *p_user_data, int p_num_args,
		godot_variant **p_args) {
	(void)p_owner;
	(void)p_method_data;
	(void)p_args;
	return gdn_stats_answer(gdn_channel_dictionary, gdn_channel_handle_of(p_user_data), p_num_args);
}

void gdn_stats_register(void *p_handle) {
	godot_method_attributes attributes = { 0 }; /* not an RPC */
	godot_instance_method method = { gdn_peer_get_stats, NULL, NULL };
	gdn_g_api.nativescript_register_method(p_handle, GDN_PEER_CLASS, "get_stats", attributes, method);
	method.method = gdn_channel_get_stats;
	gdn_g_api.nativescript_register_method(p_handle, GDN_CHANNEL_CLASS, "get_stats", attributes, method);
}
