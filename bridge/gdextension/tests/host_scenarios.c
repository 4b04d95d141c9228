/* Scenarios with real connections: the shim over the real bridge client and worker, ICE
 * pinned to 127.0.0.1. Each peer's handlers do what a script does (host_calls.c): apply
 * the local description, pass descriptions and candidates to the other peer, keep received
 * channels. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define HOST_TIMEOUT_MS 20000

static bool host_packet_is(fake_object *p_channel, const void *p_bytes, int32_t p_size) {
	const uint8_t *data = NULL;
	int32_t size = -1;
	if (ch_get_packet(p_channel, &data, &size) != BP_GODOT_OK) {
		return false;
	}
	return size == p_size && (p_size == 0 || memcmp(data, p_bytes, (size_t)p_size) == 0);
}

typedef struct host_wait_packets {
	fake_object *channel;
	int64_t count;
} host_wait_packets;

static bool host_has_packets(void *p_user) {
	host_wait_packets *wait = p_user;
	return ch_available(wait->channel) >= wait->count;
}

static bool host_receive(host_peer *p_a, host_peer *p_b, fake_object *p_channel, int64_t p_count) {
	host_peer *peers[2] = { p_a, p_b };
	host_wait_packets wait = { p_channel, p_count };
	return host_pump(peers, 2, host_has_packets, &wait, HOST_TIMEOUT_MS);
}

typedef struct host_wait_state {
	fake_object *channel;
	int64_t state;
} host_wait_state;

static bool host_in_state(void *p_user) {
	host_wait_state *wait = p_user;
	return ch_ready_state(wait->channel) == wait->state;
}

static bool host_reach(host_peer **p_peers, int p_count, fake_object *p_channel, int64_t p_state) {
	host_wait_state wait = { p_channel, p_state };
	return host_pump(p_peers, p_count, host_in_state, &wait, HOST_TIMEOUT_MS);
}

/* ---- the main pair ---- */

typedef struct host_pair {
	host_peer a;
	host_peer b;
	fake_object *a_chat; /* in-band */
	fake_object *a_negotiated;
	fake_object *b_negotiated;
	fake_object *a_unreliable; /* in-band, unordered, maxRetransmits 0 */
} host_pair;

static bool host_pair_ready(void *p_user) {
	host_pair *pair = p_user;
	fake_object *b_chat = host_peer_received(&pair->b, "chat");
	fake_object *b_unreliable = host_peer_received(&pair->b, "unreliable");
	return pc_connection_state(pair->a.pc) == BP_CONNECTION_STATE_CONNECTED &&
			pc_connection_state(pair->b.pc) == BP_CONNECTION_STATE_CONNECTED &&
			ch_ready_state(pair->a_chat) == BP_CHANNEL_STATE_OPEN && ch_ready_state(pair->a_negotiated) == BP_CHANNEL_STATE_OPEN &&
			ch_ready_state(pair->b_negotiated) == BP_CHANNEL_STATE_OPEN && ch_ready_state(pair->a_unreliable) == BP_CHANNEL_STATE_OPEN &&
			b_chat != NULL && ch_ready_state(b_chat) == BP_CHANNEL_STATE_OPEN && b_unreliable != NULL &&
			ch_ready_state(b_unreliable) == BP_CHANNEL_STATE_OPEN;
}

static void host_connect_main_pair(host_pair *p_pair) {
	host_section("two peers, in-band and negotiated channels, over the real worker");
	host_check(host_peer_make(&p_pair->a, "A") && host_peer_make(&p_pair->b, "B"), "two connections: new() + initialize(loopback) OK");
	host_peer_wire(&p_pair->a, &p_pair->b);
	pid_t pids[8];
	p_pair->a_chat = pc_create_data_channel(p_pair->a.pc, "chat", "{}");
	p_pair->a_negotiated = pc_create_data_channel(p_pair->a.pc, "negotiated", "{\"negotiated\":true,\"id\":5}");
	p_pair->b_negotiated = pc_create_data_channel(p_pair->b.pc, "negotiated", "{\"negotiated\":true,\"id\":5}");
	p_pair->a_unreliable = pc_create_data_channel(p_pair->a.pc, "unreliable", "{\"ordered\":false,\"maxRetransmits\":0}");
	host_check(p_pair->a_chat != NULL && p_pair->a_negotiated != NULL && p_pair->b_negotiated != NULL && p_pair->a_unreliable != NULL,
			"create_data_channel returns four channels");
	if (p_pair->a_chat == NULL || p_pair->a_negotiated == NULL || p_pair->b_negotiated == NULL || p_pair->a_unreliable == NULL) {
		exit(1);
	}
	host_check(fake_refcount(p_pair->a_chat) == 1 && !fake_is_floating(p_pair->a_chat),
			"the Ref slot took the channel's floating reference (ref_set_object)");
	host_check(strcmp(fake_object_class(p_pair->a_chat), GDE_CHANNEL_CLASS) == 0, "the channel is a %s", GDE_CHANNEL_CLASS);
	char *label = ch_string(p_pair->a_chat, "_get_label");
	char *protocol = ch_string(p_pair->a_chat, "_get_protocol");
	host_check(strcmp(label, "chat") == 0 && strcmp(protocol, "") == 0, "label \"chat\", protocol \"\" (String returns)");
	free(protocol);
	free(label);
	host_check(ch_ready_state(p_pair->a_chat) == BP_CHANNEL_STATE_CONNECTING, "a new channel is CONNECTING");
	host_check(!ch_bool(p_pair->a_chat, "_is_negotiated") && ch_bool(p_pair->a_negotiated, "_is_negotiated") &&
					ch_int(p_pair->a_negotiated, "_get_id") == 5,
			"is_negotiated false in-band, true out-of-band with id 5");
	host_check(!ch_bool(p_pair->a_unreliable, "_is_ordered") && ch_int(p_pair->a_unreliable, "_get_max_retransmits") == 0 &&
					ch_int(p_pair->a_unreliable, "_get_max_packet_life_time") == 65535,
			"unreliable: is_ordered false, max_retransmits 0, max_packet_life_time 65535");
	host_check(ch_int(p_pair->a_chat, "_get_write_mode") == BP_CHANNEL_WRITE_MODE_BINARY, "write mode defaults to BINARY");
	host_check(host_wait_children(1, 5000), "one worker process serves both connections");
	bool one = host_children(pids, 8) == 1;
	char cmdline[1024] = "";
	if (one) {
		host_cmdline(pids[0], cmdline, sizeof(cmdline));
	}
	/* (Windows quotes each path of the command line: worker.mjs" --bridge) */
	host_check(one && (strstr(cmdline, "/webrtc_ts/worker/worker.mjs --bridge") != NULL ||
							  strstr(cmdline, "/webrtc_ts/worker/worker.mjs\" --bridge") != NULL),
			"the worker runs <addon>/worker/worker.mjs, found from get_library_path (%s)", cmdline);
	host_check(one && host_os_started_by_runtime(pids[0]), "it was started by <addon>/" HOST_RUNTIME_FOLDER " (the bundled runtime)");
	host_check(pc_create_offer(p_pair->a.pc) == BP_GODOT_OK, "create_offer() is OK");
	host_check(pc_signaling_state(p_pair->a.pc) == BP_SIGNALING_STATE_STABLE && p_pair->a.signals == 0,
			"no signal before poll(): still STABLE, nothing emitted");
	host_peer *peers[2] = { &p_pair->a, &p_pair->b };
	host_check(host_pump(peers, 2, host_pair_ready, p_pair, HOST_TIMEOUT_MS),
			"both connected; every channel OPEN on both sides (in %s)", "under 20 s");
}

static void host_signal_order(host_pair *p_pair) {
	host_section("signals: only from poll(), in order");
	host_peer *a = &p_pair->a;
	host_peer *b = &p_pair->b;
	host_check(a->offers == 1 && a->answers == 0 && b->answers == 1 && b->offers == 0,
			"A emitted one offer, B one answer (session_description_created)");
	host_check(!a->description_not_first && !b->description_not_first, "session_description_created comes before any candidate");
	host_check(!a->candidate_before_local_description && !b->candidate_before_local_description && a->candidates > 0 &&
					b->candidates > 0,
			"ice_candidate_created only after set_local_description (A %d, B %d candidates)", a->candidates, b->candidates);
	host_check(a->handler_errors == 0 && b->handler_errors == 0,
			"set_local/remote_description and add_ice_candidate from the handlers all returned OK");
	host_check(b->received_count == 2 && a->received_count == 0 && host_peer_received(b, "chat") != NULL &&
					host_peer_received(b, "unreliable") != NULL,
			"data_channel_received: once per in-band channel on B, never for negotiated ones");
	host_check(b->received_owned_by_variant_only, "a received channel is emitted inside a Variant that is its only owner");
	fake_object *b_chat = host_peer_received(b, "chat");
	host_check(b_chat != NULL && !ch_bool(b_chat, "_is_negotiated"), "a received channel is not negotiated");
	host_check(fake_virtual_asks(a->pc, "_poll") == 1 && fake_virtual_asks(p_pair->a_chat, "_get_ready_state") == 1,
			"the engine asked get_virtual once per object and name");
}

static void host_packets(host_pair *p_pair) {
	host_section("packets: binary and text, NUL bytes, both directions");
	host_peer *a = &p_pair->a;
	host_peer *b = &p_pair->b;
	fake_object *b_chat = host_peer_received(b, "chat");
	if (b_chat == NULL) {
		return;
	}
	static const uint8_t binary[10] = { 0, 1, 'b', 'i', 'n', 0, 'a', 'r', 'y', 0xff };
	host_check(ch_put_packet(p_pair->a_chat, binary, sizeof(binary)) == BP_GODOT_OK, "put_packet(binary) is OK");
	host_check(host_receive(a, b, b_chat, 1) && host_packet_is(b_chat, binary, sizeof(binary)) &&
					!ch_bool(b_chat, "_was_string_packet"),
			"B gets the 10 bytes intact (NULs included); was_string_packet false");
	ch_set_write_mode(p_pair->a_chat, BP_CHANNEL_WRITE_MODE_TEXT);
	host_check(ch_int(p_pair->a_chat, "_get_write_mode") == BP_CHANNEL_WRITE_MODE_TEXT, "set_write_mode(TEXT) sticks");
	static const char text[] = "text\0with\0nul";
	host_check(ch_put_packet(p_pair->a_chat, text, (int64_t)sizeof(text) - 1) == BP_GODOT_OK, "put_packet(text) is OK");
	host_check(host_receive(a, b, b_chat, 1) && host_packet_is(b_chat, text, (int32_t)sizeof(text) - 1) &&
					ch_bool(b_chat, "_was_string_packet"),
			"B gets the text message with its NULs; was_string_packet true");
	static const uint8_t invalid_utf8[3] = { 'a', 0xc3, 0x28 };
	int errors = fake_report.errors_printed;
	host_check(ch_put_packet(p_pair->a_chat, invalid_utf8, 3) == BP_GODOT_ERR_INVALID_PARAMETER && fake_report.errors_printed > errors,
			"text mode, invalid UTF-8: ERR_INVALID_PARAMETER with an error line");
	ch_set_write_mode(p_pair->a_chat, BP_CHANNEL_WRITE_MODE_BINARY);
	host_check(ch_put_packet(b_chat, "pong", 4) == BP_GODOT_OK && host_receive(a, b, p_pair->a_chat, 1) &&
					host_packet_is(p_pair->a_chat, "pong", 4),
			"the received channel sends back: A gets \"pong\"");
	host_check(ch_put_packet(p_pair->a_negotiated, "n1", 2) == BP_GODOT_OK && host_receive(a, b, p_pair->b_negotiated, 1) &&
					host_packet_is(p_pair->b_negotiated, "n1", 2),
			"negotiated channel A -> B");
	host_check(ch_put_packet(p_pair->b_negotiated, "n2", 2) == BP_GODOT_OK && host_receive(a, b, p_pair->a_negotiated, 1) &&
					host_packet_is(p_pair->a_negotiated, "n2", 2),
			"negotiated channel B -> A");
	fake_object *b_unreliable = host_peer_received(b, "unreliable");
	host_check(ch_put_packet(p_pair->a_unreliable, "u", 1) == BP_GODOT_OK && b_unreliable != NULL &&
					host_receive(a, b, b_unreliable, 1) && host_packet_is(b_unreliable, "u", 1),
			"unreliable channel A -> B (loopback loses nothing)");
	/* many in order */
	char message[32];
	for (int i = 0; i < 200; i++) {
		snprintf(message, sizeof(message), "m%03d", i);
		ch_put_packet(p_pair->a_chat, message, 4);
	}
	bool in_order = host_receive(a, b, b_chat, 200);
	for (int i = 0; i < 200 && in_order; i++) {
		snprintf(message, sizeof(message), "m%03d", i);
		in_order = host_packet_is(b_chat, message, 4);
	}
	host_check(in_order, "200 packets arrive in order");
	host_check(ch_int(p_pair->a_chat, "_get_max_packet_size") > 0, "get_max_packet_size() is positive once open (%lld)",
			(long long)ch_int(p_pair->a_chat, "_get_max_packet_size"));
	host_check(ch_int(p_pair->a_chat, "_get_buffered_amount") >= 0, "get_buffered_amount() answers");
}

static void host_bad_channel_input(host_pair *p_pair) {
	host_section("bad input on channels: the right Error");
	const uint8_t *data = NULL;
	int32_t size = 0;
	host_check(ch_get_packet(p_pair->a_chat, &data, &size) == BP_GODOT_ERR_UNAVAILABLE, "get_packet() with nothing queued: ERR_UNAVAILABLE");
	host_check(ch_put_packet(p_pair->a_chat, "x", -1) == BP_GODOT_ERR_INVALID_PARAMETER, "put_packet with a negative size: ERR_INVALID_PARAMETER");
	int64_t max = ch_int(p_pair->a_chat, "_get_max_packet_size");
	uint8_t *big = calloc(1, (size_t)max + 1u);
	int errors = fake_report.errors_printed;
	host_check(ch_put_packet(p_pair->a_chat, big, max + 1) == BP_GODOT_ERR_INVALID_PARAMETER && fake_report.errors_printed > errors,
			"put_packet larger than get_max_packet_size(): ERR_INVALID_PARAMETER with an error line");
	free(big);
	errors = fake_report.errors_printed;
	ch_set_write_mode(p_pair->a_chat, 7);
	host_check(fake_report.errors_printed > errors && ch_int(p_pair->a_chat, "_get_write_mode") == BP_CHANNEL_WRITE_MODE_BINARY,
			"set_write_mode(7): an error line, mode unchanged");
	fake_object *orphan = fake_instantiate(GDE_CHANNEL_CLASS);
	host_check(orphan != NULL && ch_ready_state(orphan) == BP_CHANNEL_STATE_CLOSED && ch_put_packet(orphan, "x", 1) != BP_GODOT_OK &&
					ch_poll(orphan) != BP_GODOT_OK,
			"%s.new() (no connection) is CLOSED and refuses calls with an Error", GDE_CHANNEL_CLASS);
	if (orphan != NULL) {
		fake_unreference(orphan);
	}
}

static void host_bad_peer_input(void) {
	host_section("bad input on connections: the right Error and a line");
	host_peer g;
	host_check(host_peer_make(&g, "G"), "a fresh connection");
	struct {
		const char *config;
		const char *what;
	} configs[] = {
		{ "{\"iceServers\":\"stun:example.org\"}", "iceServers is a String" },
		{ "{\"iceServers\":[{\"urls\":\"http://example.org\"}]}", "url scheme http" },
		{ "{\"iceServers\":[{\"urls\":\"turn:example.org\"}]}", "turn without credentials" },
		{ "{\"libdatachannel\":{\"portRangeBegin\":9000,\"portRangeEnd\":8000}}", "impossible port range" },
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		int errors = fake_report.errors_printed;
		host_check(pc_initialize(g.pc, configs[i].config) == BP_GODOT_ERR_INVALID_PARAMETER && fake_report.errors_printed > errors,
				"initialize(%s): ERR_INVALID_PARAMETER with an error line", configs[i].what);
	}
	host_check(pc_initialize(g.pc, HOST_LOOPBACK) == BP_GODOT_OK, "initialize(loopback) works again afterwards");
	host_check(pc_create_offer(g.pc) == BP_GODOT_ERR_UNCONFIGURED, "create_offer() without a channel: ERR_UNCONFIGURED");
	struct {
		const char *options;
		const char *what;
	} options[] = {
		{ "{\"maxRetransmits\":1,\"maxPacketLifeTime\":1}", "both maxRetransmits and maxPacketLifeTime" },
		{ "{\"negotiated\":true}", "negotiated without id" },
		{ "{\"negotiated\":true,\"id\":70000}", "id 70000" },
		{ "{\"ordered\":\"yes\"}", "ordered is a String" },
		{ "{\"maxPacketLifeTime\":-5}", "negative maxPacketLifeTime" },
	};
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		int errors = fake_report.errors_printed;
		fake_object *channel = pc_create_data_channel(g.pc, "bad", options[i].options);
		host_check(channel == NULL && fake_report.errors_printed > errors, "create_data_channel(%s): null with an error line",
				options[i].what);
		if (channel != NULL) {
			fake_unreference(channel);
		}
	}
	fake_object *first = pc_create_data_channel(g.pc, "n", "{\"negotiated\":true,\"id\":9}");
	fake_object *second = pc_create_data_channel(g.pc, "n", "{\"negotiated\":true,\"id\":9}");
	host_check(first != NULL && second == NULL, "two negotiated channels with one id: the second is null");
	host_check(pc_set_remote_description(g.pc, "offer", "garbage") == BP_GODOT_ERR_INVALID_PARAMETER,
			"set_remote_description(\"offer\", garbage): ERR_INVALID_PARAMETER");
	host_check(pc_set_remote_description(g.pc, "bogus", "v=0\r\n") == BP_GODOT_ERR_INVALID_PARAMETER,
			"set_remote_description with an unknown type: ERR_INVALID_PARAMETER");
	host_check(pc_signaling_state(g.pc) == BP_SIGNALING_STATE_STABLE, "signaling state unchanged (STABLE)");
	host_check(pc_set_local_description(g.pc, "offer", "v=0\r\n") != BP_GODOT_OK,
			"set_local_description without a pending description: an Error");
	host_check(pc_add_ice_candidate(g.pc, "0", 0, "candidate:garbage") == BP_GODOT_ERR_INVALID_PARAMETER,
			"add_ice_candidate(malformed): ERR_INVALID_PARAMETER");
	host_check(pc_add_ice_candidate(g.pc, "0", 0, "") == BP_GODOT_OK, "add_ice_candidate with an empty name (end of candidates): OK");
	if (first != NULL) {
		fake_unreference(first);
	}
	host_peer_drop(&g);
}

static void host_drop_received(host_pair *p_pair) {
	host_section("reference counting: a dropped last reference closes the channel");
	host_peer *a = &p_pair->a;
	host_peer *b = &p_pair->b;
	host_peer *peers[2] = { a, b };
	fake_class *channel_class = fake_class_find(GDE_CHANNEL_CLASS);
	int frees = fake_class_frees(channel_class);
	for (int i = 0; i < b->received_count; i++) {
		if (b->received[i] != NULL && strcmp(b->received_labels[i], "unreliable") == 0) {
			fake_unreference(b->received[i]);
			b->received[i] = NULL;
		}
	}
	host_check(fake_class_frees(channel_class) == frees + 1, "B drops its last reference to \"unreliable\": freed at once");
	host_check(host_reach(peers, 2, p_pair->a_unreliable, BP_CHANNEL_STATE_CLOSED), "A's \"unreliable\" becomes CLOSED");

	b->drop_received_label = "ephemeral";
	fake_object *ephemeral = pc_create_data_channel(a->pc, "ephemeral", "{}");
	int received = b->received_count;
	frees = fake_class_frees(channel_class);
	host_check(ephemeral != NULL, "A creates an in-band channel on the connected pair");
	for (uint64_t deadline = host_now_ms() + HOST_TIMEOUT_MS; b->received_count == received && host_now_ms() < deadline;) {
		pc_poll(a->pc);
		pc_poll(b->pc);
		host_sleep_ms(2);
	}
	host_check(b->received_count == received + 1 && !fake_object_alive(b->received_ids[received]) &&
					fake_class_frees(channel_class) == frees + 1,
			"data_channel_received with no handler keeping it: freed right after the emission");
	if (ephemeral != NULL) {
		host_check(host_reach(peers, 2, ephemeral, BP_CHANNEL_STATE_CLOSED), "and the remote side's channel becomes CLOSED");
		fake_unreference(ephemeral);
	}
}

static void host_close(host_pair *p_pair) {
	host_section("close(): synchronous, packets stay readable, no signal afterwards");
	host_peer *a = &p_pair->a;
	host_peer *b = &p_pair->b;
	fake_object *b_chat = host_peer_received(b, "chat");
	if (b_chat == NULL) {
		return;
	}
	host_check(ch_put_packet(b_chat, "late", 4) == BP_GODOT_OK && host_receive(a, b, p_pair->a_chat, 1),
			"a packet waits on A's channel");
	pc_close(a->pc);
	host_check(pc_connection_state(a->pc) == BP_CONNECTION_STATE_CLOSED && pc_signaling_state(a->pc) == BP_SIGNALING_STATE_CLOSED,
			"right after close(): STATE_CLOSED and SIGNALING_STATE_CLOSED");
	host_check(ch_ready_state(p_pair->a_chat) == BP_CHANNEL_STATE_CLOSED && ch_ready_state(p_pair->a_negotiated) == BP_CHANNEL_STATE_CLOSED,
			"and every channel of A is CLOSED");
	host_check(host_packet_is(p_pair->a_chat, "late", 4), "the packet received before close() is still readable");
	int signals = a->signals;
	bool polled = true;
	for (int i = 0; i < 20; i++) {
		polled = polled && pc_poll(a->pc) == BP_GODOT_OK;
		host_sleep_ms(5);
	}
	host_check(polled, "poll() after close() is OK");
	host_check(a->signals == signals, "no signal is emitted after close()");
	int errors = fake_report.errors_printed;
	host_check(ch_put_packet(p_pair->a_chat, "x", 1) == BP_GODOT_FAILED && fake_report.errors_printed > errors,
			"put_packet on a closed channel: FAILED with an error line");
	host_peer *peers[1] = { b };
	host_check(host_reach(peers, 1, b_chat, BP_CHANNEL_STATE_CLOSED), "the remote side's channel becomes CLOSED");
}

typedef struct host_simple_pair {
	host_peer x;
	host_peer y;
	fake_object *x_channel;
	fake_object *y_channel;
} host_simple_pair;

static bool host_simple_ready(void *p_user) {
	host_simple_pair *pair = p_user;
	return ch_ready_state(pair->x_channel) == BP_CHANNEL_STATE_OPEN && ch_ready_state(pair->y_channel) == BP_CHANNEL_STATE_OPEN;
}

static bool host_simple_connect(host_simple_pair *r_pair, const char *p_x, const char *p_y) {
	if (!host_peer_make(&r_pair->x, p_x) || !host_peer_make(&r_pair->y, p_y)) {
		return false;
	}
	host_peer_wire(&r_pair->x, &r_pair->y);
	r_pair->x_channel = pc_create_data_channel(r_pair->x.pc, "n", "{\"negotiated\":true,\"id\":1}");
	r_pair->y_channel = pc_create_data_channel(r_pair->y.pc, "n", "{\"negotiated\":true,\"id\":1}");
	if (r_pair->x_channel == NULL || r_pair->y_channel == NULL || pc_create_offer(r_pair->x.pc) != BP_GODOT_OK) {
		return false;
	}
	host_peer *peers[2] = { &r_pair->x, &r_pair->y };
	return host_pump(peers, 2, host_simple_ready, r_pair, HOST_TIMEOUT_MS);
}

static void host_simple_drop(host_simple_pair *p_pair) {
	if (p_pair->x_channel != NULL) {
		fake_unreference(p_pair->x_channel);
	}
	if (p_pair->y_channel != NULL) {
		fake_unreference(p_pair->y_channel);
	}
	host_peer_drop(&p_pair->x);
	host_peer_drop(&p_pair->y);
}

static void host_freed_connection(void) {
	host_section("a freed connection closes");
	host_simple_pair pair;
	host_check(host_simple_connect(&pair, "C", "D"), "C and D connected over a negotiated channel");
	fake_class *peer_class = fake_class_find(GDE_PEER_CLASS);
	int frees = fake_class_frees(peer_class);
	host_peer_drop(&pair.y);
	host_check(fake_class_frees(peer_class) == frees + 1, "D's last reference dropped: its instance is freed");
	host_check(ch_ready_state(pair.y_channel) == BP_CHANNEL_STATE_CLOSED, "D's channel, still held, reports CLOSED");
	host_peer *peers[1] = { &pair.x };
	host_check(host_reach(peers, 1, pair.x_channel, BP_CHANNEL_STATE_CLOSED), "C's channel becomes CLOSED");
	host_simple_drop(&pair);
}

static bool host_peer_gone(void *p_user) {
	return ((host_peer *)p_user)->pc == NULL;
}

static void host_freed_inside_poll(void) {
	host_section("a handler that drops the connection inside its own poll()");
	host_peer e;
	host_check(host_peer_make(&e, "E"), "a connection E");
	e.drop_self_on_description = true;
	fake_object *channel = pc_create_data_channel(e.pc, "x", "{}");
	host_check(channel != NULL && pc_create_offer(e.pc) == BP_GODOT_OK, "E makes an offer");
	host_peer *peers[1] = { &e };
	host_check(host_pump(peers, 1, host_peer_gone, &e, HOST_TIMEOUT_MS) && !fake_object_alive(e.id),
			"E is freed by its session_description_created handler, inside poll(), without a crash");
	if (channel != NULL) {
		host_check(ch_ready_state(channel) == BP_CHANNEL_STATE_CLOSED, "E's channel, still held, reports CLOSED");
		fake_unreference(channel);
	}
}

#define HOST_PAIRS 4

static bool host_pairs_ready(void *p_user) {
	host_simple_pair *pairs = p_user;
	for (int i = 0; i < HOST_PAIRS; i++) {
		if (!host_simple_ready(&pairs[i])) {
			return false;
		}
	}
	return true;
}

static void host_many_pairs(void) {
	host_section("several pairs at once");
	static host_simple_pair pairs[HOST_PAIRS];
	static const char *names[HOST_PAIRS * 2] = { "P0", "Q0", "P1", "Q1", "P2", "Q2", "P3", "Q3" };
	host_peer *peers[HOST_PAIRS * 2];
	bool made = true;
	for (int i = 0; i < HOST_PAIRS; i++) {
		host_simple_pair *pair = &pairs[i];
		made = made && host_peer_make(&pair->x, names[2 * i]) && host_peer_make(&pair->y, names[2 * i + 1]);
		host_peer_wire(&pair->x, &pair->y);
		pair->x_channel = pc_create_data_channel(pair->x.pc, "n", "{\"negotiated\":true,\"id\":3}");
		pair->y_channel = pc_create_data_channel(pair->y.pc, "n", "{\"negotiated\":true,\"id\":3}");
		made = made && pair->x_channel != NULL && pair->y_channel != NULL && pc_create_offer(pair->x.pc) == BP_GODOT_OK;
		peers[2 * i] = &pair->x;
		peers[2 * i + 1] = &pair->y;
	}
	host_check(made && host_pump(peers, HOST_PAIRS * 2, host_pairs_ready, pairs, HOST_TIMEOUT_MS),
			"%d pairs connect at the same time", HOST_PAIRS);
	bool delivered = true;
	for (int i = 0; i < HOST_PAIRS && made; i++) {
		char text[32];
		snprintf(text, sizeof(text), "pair %d", i);
		delivered = delivered && ch_put_packet(pairs[i].x_channel, text, (int64_t)strlen(text)) == BP_GODOT_OK &&
				host_receive(&pairs[i].x, &pairs[i].y, pairs[i].y_channel, 1) &&
				host_packet_is(pairs[i].y_channel, text, (int32_t)strlen(text));
	}
	host_check(made && delivered, "each pair delivers its own packet");
	for (int i = 0; i < HOST_PAIRS; i++) {
		host_simple_drop(&pairs[i]);
	}
}

void host_scenarios(void) {
	static host_pair pair;
	memset(&pair, 0, sizeof(pair));
	host_connect_main_pair(&pair);
	host_signal_order(&pair);
	host_packets(&pair);
	host_bad_channel_input(&pair);
	host_drop_received(&pair);
	host_close(&pair);
	fake_unreference(pair.a_chat);
	fake_unreference(pair.a_negotiated);
	fake_unreference(pair.b_negotiated);
	fake_unreference(pair.a_unreliable);
	host_peer_drop(&pair.a);
	host_peer_drop(&pair.b);
	host_bad_peer_input();
	host_freed_connection();
	host_freed_inside_poll();
	host_many_pairs();
}
