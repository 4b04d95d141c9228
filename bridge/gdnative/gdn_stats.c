/* get_stats() for Godot 3: a NativeScript method of both classes, so `pc.get_stats()` on an
 * untyped variable and `pc.call("get_stats")` reach it. The Dictionary is built here from the
 * client's wc_peer_stats / wc_channel_stats with the keys and value types README.md,
 * "Connection stats", documents (the Godot 4 shim builds the same one: gde_stats.c). */
#include <string.h>

#include "gdn_shim.h"

/* ---- building the Dictionary ---- */

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

static void gdn_put_int(godot_dictionary *p_dictionary, const char *p_key, int64_t p_value) {
	godot_variant value;
	gdn_g_api.variant_new_int(&value, p_value);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_real(godot_dictionary *p_dictionary, const char *p_key, double p_value) {
	godot_variant value;
	gdn_g_api.variant_new_real(&value, p_value);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_text(godot_dictionary *p_dictionary, const char *p_key, const char *p_text, size_t p_length) {
	godot_string text = gdn_string_from(p_text, p_length);
	godot_variant value;
	gdn_g_api.variant_new_string(&value, &text);
	gdn_g_api.string_destroy(&text);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_name(godot_dictionary *p_dictionary, const char *p_key, const char *p_name) {
	gdn_put_text(p_dictionary, p_key, p_name != NULL ? p_name : "", p_name != NULL ? strlen(p_name) : 0u);
}

/* p_inner is consumed. */
static void gdn_put_dictionary(godot_dictionary *p_dictionary, const char *p_key, godot_dictionary *p_inner) {
	godot_variant value;
	gdn_g_api.variant_new_dictionary(&value, p_inner);
	gdn_g_api.dictionary_destroy(p_inner);
	gdn_put(p_dictionary, p_key, &value);
}

static void gdn_put_candidate(godot_dictionary *p_dictionary, const char *p_key, const wc_candidate_stats *p_side) {
	godot_dictionary side;
	gdn_g_api.dictionary_new(&side);
	gdn_put_name(&side, "type", p_side->type);
	gdn_put_name(&side, "address", p_side->address);
	gdn_put_int(&side, "port", p_side->port);
	gdn_put_name(&side, "transport", p_side->transport);
	gdn_put_dictionary(p_dictionary, p_key, &side);
}

static void gdn_peer_dictionary(wc_handle p_handle, godot_dictionary *p_dictionary) {
	wc_peer_stats s;
	wc_status status = wc_peer_get_stats(p_handle, &s);
	if (status != BP_CORE_STATUS_OK) {
		if (status == BP_CORE_STATUS_STALE_HANDLE) {
			gdn_error("get_stats", "this WebRTCPeerConnection has no bridge object (out of memory when made)");
		}
		return; /* NO_WORKER and TIMEOUT were logged by the client */
	}
	gdn_put_name(p_dictionary, "connection_state", s.connection_state);
	gdn_put_name(p_dictionary, "ice_state", s.ice_state);
	gdn_put_name(p_dictionary, "dtls_state", s.dtls_state);
	gdn_put_name(p_dictionary, "gathering_state", s.gathering_state);
	gdn_put_name(p_dictionary, "signaling_state", s.signaling_state);
	gdn_put_int(p_dictionary, "connected_msec", s.connected_msec);
	gdn_put_real(p_dictionary, "rtt_msec", s.rtt_msec);
	gdn_put_real(p_dictionary, "rtt_smoothed_msec", s.rtt_smoothed_msec);
	gdn_put_int(p_dictionary, "bytes_sent", s.bytes_sent);
	gdn_put_int(p_dictionary, "bytes_received", s.bytes_received);
	gdn_put_int(p_dictionary, "packets_sent", s.packets_sent);
	gdn_put_int(p_dictionary, "packets_received", s.packets_received);
	godot_dictionary pair;
	gdn_g_api.dictionary_new(&pair);
	if (s.has_selected_pair) {
		gdn_put_candidate(&pair, "local", &s.local);
		gdn_put_candidate(&pair, "remote", &s.remote);
	}
	gdn_put_dictionary(p_dictionary, "selected_pair", &pair);
}

static void gdn_channel_dictionary(wc_handle p_handle, godot_dictionary *p_dictionary) {
	wc_channel_stats s;
	wc_status status = wc_channel_get_stats(p_handle, &s);
	if (status != BP_CORE_STATUS_OK) {
		if (status == BP_CORE_STATUS_STALE_HANDLE) {
			gdn_error("get_stats", "this WebRTCDataChannel has no bridge object");
		}
		return;
	}
	gdn_put_text(p_dictionary, "label", s.label.data, s.label.length);
	gdn_put_int(p_dictionary, "id", s.id);
	gdn_put_name(p_dictionary, "ready_state", s.ready_state);
	gdn_put_int(p_dictionary, "messages_sent", s.messages_sent);
	gdn_put_int(p_dictionary, "bytes_sent", s.bytes_sent);
	gdn_put_int(p_dictionary, "messages_received", s.messages_received);
	gdn_put_int(p_dictionary, "bytes_received", s.bytes_received);
	gdn_put_int(p_dictionary, "buffered_amount", s.buffered_amount);
	gdn_put_int(p_dictionary, "dropped_packets", s.dropped_packets);
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
