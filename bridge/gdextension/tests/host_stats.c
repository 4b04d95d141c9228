/* get_stats() through the engine's two calling conventions: Object.call on an untyped
 * variable (call_func, a Variant back) and a typed ptrcall (a Dictionary slot), on a new
 * connection and on a pair connected over the real worker (ICE on 127.0.0.1). The keys and
 * values are the ones README.md, "Connection stats", documents. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define HOST_STATS_TIMEOUT_MS 20000

static const int host_sizes[] = { 10, 20, 30, 40, 50, 1, 1, 1 };
#define HOST_COUNT ((int)(sizeof(host_sizes) / sizeof(host_sizes[0])))
#define HOST_BYTES (10 + 20 + 30 + 40 + 50 + 1 + 1 + 1)

/* ---- reading the answer ---- */

static const char *host_text(const fake_variant *p_dictionary, const char *p_key) {
	const fake_variant *value = fake_dictionary_get(p_dictionary, p_key);
	return value != NULL && value->type == GDE_VARIANT_TYPE_STRING ? fake_string_text(&value->value.string, NULL) : "(not a String)";
}

static bool host_text_is(const fake_variant *p_dictionary, const char *p_key, const char *p_expected) {
	return strcmp(host_text(p_dictionary, p_key), p_expected) == 0;
}

/* INT values; -1 when missing or of another type. */
static int64_t host_int(const fake_variant *p_dictionary, const char *p_key) {
	const fake_variant *value = fake_dictionary_get(p_dictionary, p_key);
	return value != NULL && value->type == GDE_VARIANT_TYPE_INT ? value->value.integer : -1;
}

/* FLOAT values; -1 when missing or of another type. */
static double host_float(const fake_variant *p_dictionary, const char *p_key) {
	const fake_variant *value = fake_dictionary_get(p_dictionary, p_key);
	return value != NULL && value->type == GDE_VARIANT_TYPE_FLOAT ? value->value.real : -1.0;
}

/* pc.get_stats() on an untyped variable: the Variant path. */
static bool host_get_stats(fake_object *p_object, fake_variant *r_stats) {
	gde_call_error error;
	return fake_call_method(p_object, "get_stats", NULL, 0, r_stats, &error) && error.error == 0 &&
			r_stats->type == GDE_VARIANT_TYPE_DICTIONARY;
}

static double host_rtt(fake_object *p_pc) {
	fake_variant stats;
	double rtt = host_get_stats(p_pc, &stats) ? host_float(&stats, "rtt_msec") : -1.0;
	fake_variant_destroy(&stats);
	return rtt;
}

/* ---- the pair ---- */

typedef struct host_stats_pair {
	host_peer a;
	host_peer b;
	fake_object *channel;
	int received;
} host_stats_pair;

static bool host_stats_open(void *p_user) {
	host_stats_pair *pair = p_user;
	fake_object *remote = host_peer_received(&pair->b, "stats");
	return ch_ready_state(pair->channel) == BP_CHANNEL_STATE_OPEN && remote != NULL && ch_ready_state(remote) == BP_CHANNEL_STATE_OPEN;
}

static bool host_stats_all_read(void *p_user) {
	host_stats_pair *pair = p_user;
	fake_object *remote = host_peer_received(&pair->b, "stats");
	const uint8_t *data = NULL;
	int32_t size = 0;
	while (ch_available(remote) > 0 && ch_get_packet(remote, &data, &size) == BP_GODOT_OK) {
		pair->received++;
	}
	return pair->received == HOST_COUNT && host_rtt(pair->a.pc) > 0.0;
}

static bool host_stats_wait(void *p_user) {
	(void)p_user;
	return false;
}

static void host_stats_new_connection(void) {
	fake_object *pc = fake_new_webrtc_peer_connection();
	fake_variant stats;
	bool ok = pc != NULL && host_get_stats(pc, &stats);
	host_check(ok, "pc.get_stats() on a new connection answers a Dictionary (Object.call, no worker needed)");
	if (ok) {
		const fake_variant *pair = fake_dictionary_get(&stats, "selected_pair");
		host_check(fake_dictionary_size(&stats) == 13 && host_text_is(&stats, "connection_state", "new") &&
						host_text_is(&stats, "ice_state", "new") && host_text_is(&stats, "dtls_state", "new") &&
						host_text_is(&stats, "gathering_state", "new") && host_text_is(&stats, "signaling_state", "stable") &&
						host_int(&stats, "connected_msec") == 0 && host_float(&stats, "rtt_msec") == 0.0 &&
						host_float(&stats, "rtt_smoothed_msec") == 0.0 && host_int(&stats, "bytes_sent") == 0 &&
						host_int(&stats, "bytes_received") == 0 && host_int(&stats, "packets_sent") == 0 &&
						host_int(&stats, "packets_received") == 0 && fake_dictionary_size(pair) == 0,
				"13 keys: states new/new/new/new/stable, ints and floats 0, selected_pair {}");
		fake_variant_destroy(&stats);
		fake_variant extra;
		fake_variant_from_int(&extra, 1);
		const fake_variant *args[1] = { &extra };
		gde_call_error error;
		fake_call_method(pc, "get_stats", args, 1, &stats, &error);
		host_check(error.error == GDE_CALL_ERROR_TOO_MANY_ARGUMENTS && stats.type == GDE_VARIANT_TYPE_NIL,
				"get_stats(1): CallError TOO_MANY_ARGUMENTS, nothing returned");
		fake_variant_destroy(&stats);
		fake_variant_destroy(&extra);
	}
	if (pc != NULL) {
		fake_unreference(pc);
	}
}

void host_stats_scenario(void);

void host_stats_scenario(void) {
	host_section("get_stats(): a method of both classes");
	host_check(fake_method_return_type(fake_class_find(GDE_PEER_CLASS), "get_stats") == GDE_VARIANT_TYPE_DICTIONARY &&
					fake_method_return_type(fake_class_find(GDE_CHANNEL_CLASS), "get_stats") == GDE_VARIANT_TYPE_DICTIONARY,
			"get_stats is registered on %s and %s, returning a Dictionary", GDE_PEER_CLASS, GDE_CHANNEL_CLASS);
	host_stats_new_connection();

	static host_stats_pair pair;
	memset(&pair, 0, sizeof(pair));
	host_check(host_peer_make(&pair.a, "SA") && host_peer_make(&pair.b, "SB"), "a pair for the stats: new() + initialize OK");
	host_peer_wire(&pair.a, &pair.b);
	pair.channel = pc_create_data_channel(pair.a.pc, "stats", "{}");
	host_peer *peers[2] = { &pair.a, &pair.b };
	host_check(pair.channel != NULL && pc_create_offer(pair.a.pc) == BP_GODOT_OK &&
					host_pump(peers, 2, host_stats_open, &pair, HOST_STATS_TIMEOUT_MS),
			"connected, the channel OPEN on both sides");
	if (!host_stats_open(&pair)) {
		return;
	}
	/* Spaced out, so SCTP measures an RTT from each delayed SACK. */
	uint8_t payload[64];
	for (int i = 0; i < HOST_COUNT; i++) {
		memset(payload, i, sizeof(payload));
		ch_put_packet(pair.channel, payload, host_sizes[i]);
		host_pump(peers, 2, host_stats_wait, NULL, 30);
	}
	host_check(host_pump(peers, 2, host_stats_all_read, &pair, HOST_STATS_TIMEOUT_MS),
			"B read all %d messages and A's RTT is measured", HOST_COUNT);

	fake_variant a_stats;
	fake_variant b_stats;
	bool ok = host_get_stats(pair.a.pc, &a_stats) && host_get_stats(pair.b.pc, &b_stats);
	host_check(ok, "get_stats() on both connected peers answers a Dictionary");
	if (ok) {
		host_check(host_text_is(&a_stats, "connection_state", "connected") && host_text_is(&a_stats, "dtls_state", "connected") &&
						(host_text_is(&a_stats, "ice_state", "connected") || host_text_is(&a_stats, "ice_state", "completed")) &&
						host_text_is(&a_stats, "gathering_state", "complete") && host_text_is(&a_stats, "signaling_state", "stable"),
				"A: connected / ICE %s / DTLS connected / complete / stable", host_text(&a_stats, "ice_state"));
		double rtt = host_float(&a_stats, "rtt_msec");
		host_check(rtt > 0.0 && rtt < 1000.0 && host_float(&a_stats, "rtt_smoothed_msec") == rtt && host_int(&a_stats, "connected_msec") > 0,
				"A: 0 < rtt_msec (%.0f) < 1000 (a float), rtt_smoothed_msec the same, connected_msec > 0 (an int)", rtt);
		host_check(host_int(&a_stats, "bytes_sent") == HOST_BYTES && host_int(&b_stats, "bytes_received") == HOST_BYTES &&
						host_int(&a_stats, "packets_sent") == HOST_COUNT && host_int(&b_stats, "packets_received") == HOST_COUNT,
				"A sent and B received exactly %d bytes in %d messages (%lld / %lld)", HOST_BYTES, HOST_COUNT,
				(long long)host_int(&a_stats, "bytes_sent"), (long long)host_int(&b_stats, "bytes_received"));
		const fake_variant *pair_a = fake_dictionary_get(&a_stats, "selected_pair");
		const fake_variant *local = fake_dictionary_get(pair_a, "local");
		const fake_variant *remote = fake_dictionary_get(pair_a, "remote");
		const fake_variant *b_remote = fake_dictionary_get(fake_dictionary_get(&b_stats, "selected_pair"), "remote");
		host_check(local != NULL && remote != NULL && host_text_is(local, "type", "host") && host_text_is(remote, "type", "host") &&
						host_text_is(local, "address", "127.0.0.1") && host_text_is(remote, "address", "127.0.0.1") &&
						host_text_is(local, "transport", "udp") && host_int(local, "port") > 0 &&
						b_remote != NULL && host_int(local, "port") == host_int(b_remote, "port"),
				"selected_pair: host/host on 127.0.0.1 over udp; A's local port is B's remote port");
		fake_variant_destroy(&a_stats);
		fake_variant_destroy(&b_stats);
	}

	fake_variant channel_stats;
	ok = host_get_stats(pair.channel, &channel_stats);
	host_check(ok && host_text_is(&channel_stats, "label", "stats") && host_text_is(&channel_stats, "ready_state", "open") &&
					host_int(&channel_stats, "id") == ch_int(pair.channel, "_get_id") &&
					host_int(&channel_stats, "messages_sent") == HOST_COUNT && host_int(&channel_stats, "bytes_sent") == HOST_BYTES &&
					host_int(&channel_stats, "messages_received") == 0 && host_int(&channel_stats, "dropped_packets") == 0 &&
					host_int(&channel_stats, "buffered_amount") >= 0 && fake_dictionary_size(&channel_stats) == 9,
			"channel.get_stats(): 9 keys, label, id, open, %d messages / %d bytes sent, none dropped", HOST_COUNT, HOST_BYTES);
	if (ok) {
		fake_variant_destroy(&channel_stats);
	}
	fake_object *remote_channel = host_peer_received(&pair.b, "stats");
	ok = host_get_stats(remote_channel, &channel_stats);
	host_check(ok && host_int(&channel_stats, "messages_received") == HOST_COUNT && host_int(&channel_stats, "bytes_received") == HOST_BYTES,
			"the remote channel counted the same %d messages received", HOST_COUNT);
	if (ok) {
		fake_variant_destroy(&channel_stats);
	}

	/* A typed call: ptrcall into a constructed Dictionary slot. */
	gde_dictionary slot;
	fake_dictionary_init(&slot);
	ok = fake_ptrcall_method(pair.a.pc, "get_stats", &slot);
	fake_variant view;
	memset(&view, 0, sizeof(view));
	view.type = GDE_VARIANT_TYPE_DICTIONARY;
	memcpy(&view.value.dictionary, &slot, sizeof(view.value.dictionary));
	host_check(ok && host_text_is(&view, "connection_state", "connected") && host_int(&view, "packets_sent") == HOST_COUNT,
			"ptrcall get_stats fills the caller's Dictionary (connected, %d packets sent)", HOST_COUNT);
	fake_dictionary_destroy(&slot);

	pc_close(pair.a.pc);
	ok = host_get_stats(pair.a.pc, &a_stats);
	host_check(ok && host_text_is(&a_stats, "connection_state", "closed") && host_text_is(&a_stats, "ice_state", "closed") &&
					host_float(&a_stats, "rtt_msec") == 0.0 && fake_dictionary_size(fake_dictionary_get(&a_stats, "selected_pair")) == 0 &&
					host_int(&a_stats, "bytes_sent") == HOST_BYTES,
			"after close(): closed, no RTT or pair, the last byte count kept");
	if (ok) {
		fake_variant_destroy(&a_stats);
	}
	fake_unreference(pair.channel);
	host_peer_drop(&pair.a);
	host_peer_drop(&pair.b);
}
