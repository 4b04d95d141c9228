/* How the engine calls the shim's virtuals (docs/abi.md section 3.3): every argument behind a
 * pointer to its encoded value, ints and enums as int64, bools as uint8, Strings and
 * Dictionaries as their 8-byte selves, a Ref slot for _create_data_channel, "native
 * pointer" arguments as a pointer to a slot holding the pointer. Return slots are guarded,
 * so a write wider than the encoding is caught. And the signaling glue of two peers. */
#define _GNU_SOURCE /* strdup */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define HOST_GUARD 0x5a5a5a5au

/* host_now_ms, host_sleep_ms, host_children, host_cmdline: host_os_posix.c, host_os_windows.c */

bool host_wait_children(int p_expected, int p_timeout_ms) {
	uint64_t deadline = host_now_ms() + (uint64_t)p_timeout_ms;
	pid_t pids[8];
	while (host_children(pids, 8) != p_expected) {
		if (host_now_ms() >= deadline) {
			return false;
		}
		host_sleep_ms(10);
	}
	return true;
}

/* ---- connection ---- */

static int64_t pc_error_call(fake_object *p_pc, const char *p_virtual, const void *const *p_args) {
	struct {
		int64_t value;
		uint32_t guard;
	} ret = { -777, HOST_GUARD };
	if (!fake_call_virtual(p_pc, p_virtual, p_args, &ret.value)) {
		host_assert(false, "the shim implements %s", p_virtual);
		return -1;
	}
	host_assert(ret.guard == HOST_GUARD, "%s wrote no more than its int64 return slot", p_virtual);
	host_assert(ret.value != -777, "%s wrote its return slot", p_virtual);
	return ret.value;
}

int64_t pc_initialize(fake_object *p_pc, const char *p_config_json) {
	gde_dictionary config;
	if (!fake_dictionary_from_json(&config, p_config_json)) {
		fprintf(stderr, "host: bad JSON in a test: %s\n", p_config_json);
		abort();
	}
	const void *args[1] = { &config };
	int64_t result = pc_error_call(p_pc, "_initialize", args);
	fake_dictionary_destroy(&config);
	return result;
}

fake_object *pc_create_data_channel(fake_object *p_pc, const char *p_label, const char *p_options_json) {
	gde_string label;
	gde_dictionary options;
	fake_string_init(&label, p_label, strlen(p_label));
	if (!fake_dictionary_from_json(&options, p_options_json)) {
		fprintf(stderr, "host: bad JSON in a test: %s\n", p_options_json);
		abort();
	}
	const void *args[2] = { &label, &options };
	struct {
		void *ref; /* Ref<WebRTCDataChannel>: one pointer, initially null */
		uint64_t guard;
	} ret = { NULL, HOST_GUARD };
	fake_call_virtual(p_pc, "_create_data_channel", args, &ret.ref);
	host_assert(ret.guard == HOST_GUARD, "_create_data_channel wrote only its Ref slot");
	fake_dictionary_destroy(&options);
	fake_string_destroy(&label);
	return ret.ref; /* the engine's Ref hands its reference to the script */
}

int64_t pc_create_offer(fake_object *p_pc) {
	return pc_error_call(p_pc, "_create_offer", NULL);
}

static int64_t pc_description(fake_object *p_pc, const char *p_virtual, const char *p_type, const char *p_sdp) {
	gde_string type;
	gde_string sdp;
	fake_string_init(&type, p_type, strlen(p_type));
	fake_string_init(&sdp, p_sdp, strlen(p_sdp));
	const void *args[2] = { &type, &sdp };
	int64_t result = pc_error_call(p_pc, p_virtual, args);
	fake_string_destroy(&sdp);
	fake_string_destroy(&type);
	return result;
}

int64_t pc_set_local_description(fake_object *p_pc, const char *p_type, const char *p_sdp) {
	return pc_description(p_pc, "_set_local_description", p_type, p_sdp);
}

int64_t pc_set_remote_description(fake_object *p_pc, const char *p_type, const char *p_sdp) {
	return pc_description(p_pc, "_set_remote_description", p_type, p_sdp);
}

int64_t pc_add_ice_candidate(fake_object *p_pc, const char *p_mid, int64_t p_index, const char *p_candidate) {
	gde_string mid;
	gde_string candidate;
	fake_string_init(&mid, p_mid, strlen(p_mid));
	fake_string_init(&candidate, p_candidate, strlen(p_candidate));
	const void *args[3] = { &mid, &p_index, &candidate };
	int64_t result = pc_error_call(p_pc, "_add_ice_candidate", args);
	fake_string_destroy(&candidate);
	fake_string_destroy(&mid);
	return result;
}

int64_t pc_poll(fake_object *p_pc) {
	return pc_error_call(p_pc, "_poll", NULL);
}

void pc_close(fake_object *p_pc) {
	fake_call_virtual(p_pc, "_close", NULL, NULL);
}

int64_t pc_connection_state(fake_object *p_pc) {
	return pc_error_call(p_pc, "_get_connection_state", NULL);
}

int64_t pc_gathering_state(fake_object *p_pc) {
	return pc_error_call(p_pc, "_get_gathering_state", NULL);
}

int64_t pc_signaling_state(fake_object *p_pc) {
	return pc_error_call(p_pc, "_get_signaling_state", NULL);
}

/* ---- channel ---- */

int64_t ch_get_packet(fake_object *p_channel, const uint8_t **r_data, int32_t *r_size) {
	struct {
		int32_t size; /* a C int: the engine's r_buffer_size */
		uint32_t guard;
	} size = { -1, HOST_GUARD };
	const uint8_t *buffer = NULL;
	const uint8_t **buffer_slot = &buffer;
	int32_t *size_slot = &size.size;
	const void *args[2] = { &buffer_slot, &size_slot };
	int64_t result = pc_error_call(p_channel, "_get_packet", args);
	host_assert(size.guard == HOST_GUARD, "_get_packet wrote a 32-bit size");
	*r_data = buffer;
	*r_size = size.size;
	return result;
}

int64_t ch_put_packet(fake_object *p_channel, const void *p_data, int64_t p_size) {
	const uint8_t *buffer = p_data;
	const void *args[2] = { &buffer, &p_size };
	return pc_error_call(p_channel, "_put_packet", args);
}

int64_t ch_int(fake_object *p_channel, const char *p_virtual) {
	return pc_error_call(p_channel, p_virtual, NULL);
}

bool ch_bool(fake_object *p_channel, const char *p_virtual) {
	struct {
		uint8_t value;
		uint8_t guard[7];
	} ret = { 0x77, { 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a } };
	fake_call_virtual(p_channel, p_virtual, NULL, &ret.value);
	host_assert(ret.guard[0] == 0x5a && ret.guard[6] == 0x5a, "%s wrote one byte", p_virtual);
	host_assert(ret.value == 0 || ret.value == 1, "%s wrote a bool (%u)", p_virtual, ret.value);
	return ret.value == 1;
}

char *ch_string(fake_object *p_channel, const char *p_virtual) {
	/* The engine passes a constructed String: here a non-empty one, so a shim that
	 * overwrote it without destroying it would leak (and the live count would say so). */
	gde_string ret;
	fake_string_init(&ret, "stale", 5);
	fake_call_virtual(p_channel, p_virtual, NULL, &ret);
	size_t length = 0;
	const char *text = fake_string_text(&ret, &length);
	char *copy = malloc(length + 1u);
	memcpy(copy, text, length);
	copy[length] = '\0';
	fake_string_destroy(&ret);
	return copy;
}

int64_t ch_poll(fake_object *p_channel) {
	return pc_error_call(p_channel, "_poll", NULL);
}

void ch_close(fake_object *p_channel) {
	fake_call_virtual(p_channel, "_close", NULL, NULL);
}

void ch_set_write_mode(fake_object *p_channel, int64_t p_mode) {
	const void *args[1] = { &p_mode };
	fake_call_virtual(p_channel, "_set_write_mode", args, NULL);
}

int64_t ch_ready_state(fake_object *p_channel) {
	return ch_int(p_channel, "_get_ready_state");
}

int64_t ch_available(fake_object *p_channel) {
	return ch_int(p_channel, "_get_available_packet_count");
}

/* ---- signaling glue: what a script's handlers would do ---- */

static const char *host_text(const fake_variant *p_value, size_t *r_length) {
	if (p_value->type != GDE_VARIANT_TYPE_STRING) {
		*r_length = 0;
		return "";
	}
	return fake_string_text(&p_value->value.string, r_length);
}

static void host_on_description(void *p_user, fake_object *p_emitter, const fake_variant *const *p_args, int p_count) {
	host_peer *peer = p_user;
	(void)p_emitter;
	(void)p_count;
	size_t length = 0;
	char *type = strdup(host_text(p_args[0], &length));
	char *sdp = strdup(host_text(p_args[1], &length));
	peer->signals++;
	if (strcmp(type, "offer") == 0) {
		peer->offers++;
	} else if (strcmp(type, "answer") == 0) {
		peer->answers++;
	}
	if (peer->drop_self_on_description) {
		/* The script's handler drops the peer: the engine frees it inside its own poll(). */
		fake_object *pc = peer->pc;
		peer->pc = NULL;
		fake_unreference(pc);
		free(sdp);
		free(type);
		return;
	}
	if (pc_set_local_description(peer->pc, type, sdp) != BP_GODOT_OK) {
		peer->handler_errors++;
	}
	peer->local_description_set = true;
	if (peer->remote != NULL && peer->remote->pc != NULL && pc_set_remote_description(peer->remote->pc, type, sdp) != BP_GODOT_OK) {
		peer->handler_errors++;
	}
	free(sdp);
	free(type);
}

static void host_on_candidate(void *p_user, fake_object *p_emitter, const fake_variant *const *p_args, int p_count) {
	host_peer *peer = p_user;
	(void)p_emitter;
	(void)p_count;
	peer->signals++;
	peer->candidates++;
	if (peer->offers + peer->answers == 0) {
		peer->description_not_first = true;
	}
	if (!peer->local_description_set) {
		peer->candidate_before_local_description = true;
	}
	size_t length = 0;
	char *mid = strdup(host_text(p_args[0], &length));
	char *candidate = strdup(host_text(p_args[2], &length));
	if (peer->remote != NULL && peer->remote->pc != NULL &&
			pc_add_ice_candidate(peer->remote->pc, mid, p_args[1]->value.integer, candidate) != BP_GODOT_OK) {
		peer->handler_errors++;
	}
	free(candidate);
	free(mid);
}

static void host_on_channel(void *p_user, fake_object *p_emitter, const fake_variant *const *p_args, int p_count) {
	host_peer *peer = p_user;
	(void)p_emitter;
	(void)p_count;
	peer->signals++;
	fake_object *channel = p_args[0]->value.object;
	/* Wrapped in a Variant for the emission: that Variant is its only owner. */
	if (fake_refcount(channel) == 1 && !fake_is_floating(channel)) {
		peer->received_owned_by_variant_only = true;
	} else {
		peer->received_owned_by_variant_only = false;
		peer->handler_errors++;
	}
	if (peer->received_count == HOST_MAX_RECEIVED) {
		return;
	}
	int at = peer->received_count++;
	char *label = ch_string(channel, "_get_label");
	snprintf(peer->received_labels[at], sizeof(peer->received_labels[at]), "%s", label);
	peer->received_ids[at] = fake_object_id(channel);
	if (peer->drop_received_label != NULL && strcmp(label, peer->drop_received_label) == 0) {
		peer->received[at] = NULL; /* not kept: freed when the emission's Variant goes */
	} else {
		fake_reference(channel);
		peer->received[at] = channel;
	}
	free(label);
}

bool host_peer_make(host_peer *r_peer, const char *p_name) {
	memset(r_peer, 0, sizeof(*r_peer));
	r_peer->name = p_name;
	r_peer->pc = fake_new_webrtc_peer_connection();
	if (r_peer->pc == NULL) {
		return false;
	}
	r_peer->id = fake_object_id(r_peer->pc);
	fake_connect(r_peer->pc, "session_description_created", host_on_description, r_peer);
	fake_connect(r_peer->pc, "ice_candidate_created", host_on_candidate, r_peer);
	fake_connect(r_peer->pc, "data_channel_received", host_on_channel, r_peer);
	return pc_initialize(r_peer->pc, HOST_LOOPBACK) == BP_GODOT_OK;
}

void host_peer_wire(host_peer *p_a, host_peer *p_b) {
	p_a->remote = p_b;
	p_b->remote = p_a;
}

void host_peer_drop_received(host_peer *p_peer) {
	for (int i = 0; i < p_peer->received_count; i++) {
		if (p_peer->received[i] != NULL) {
			fake_unreference(p_peer->received[i]);
			p_peer->received[i] = NULL;
		}
	}
}

void host_peer_drop(host_peer *p_peer) {
	host_peer_drop_received(p_peer);
	if (p_peer->pc != NULL) {
		fake_unreference(p_peer->pc);
		p_peer->pc = NULL;
	}
}

fake_object *host_peer_received(host_peer *p_peer, const char *p_label) {
	for (int i = 0; i < p_peer->received_count; i++) {
		if (p_peer->received[i] != NULL && strcmp(p_peer->received_labels[i], p_label) == 0) {
			return p_peer->received[i];
		}
	}
	return NULL;
}

bool host_pump(host_peer *const *p_peers, int p_count, host_condition p_done, void *p_user, int p_timeout_ms) {
	uint64_t deadline = host_now_ms() + (uint64_t)p_timeout_ms;
	for (;;) {
		for (int i = 0; i < p_count; i++) {
			if (p_peers[i]->pc != NULL) {
				pc_poll(p_peers[i]->pc);
			}
		}
		if (p_done(p_user)) {
			return true;
		}
		if (host_now_ms() >= deadline) {
			return false;
		}
		host_sleep_ms(2);
	}
}
