/* The client's pure parts, no worker: command encoding against the generated layouts, event
 * decoding (every kind, and corrupted records: wrong lengths, overflowing lengths, unknown
 * kinds, out-of-range enums), UTF-8 validation as the facade's TextDecoder sees it, handle
 * tables (stale handles), the core-handle map and the queues. Then the client over a fake
 * worker (the test answers its requests) with every allocation on a path failing in turn,
 * and a start whose region is unusable (issue 9: results that were ignored). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../../ring/region.h"
#include "../../ring/tests/bt.h"
#include "../wc_private.h"
#include "tc.h"

static uint8_t buffer[4096] __attribute__((aligned(8)));

static uint32_t u32_at(const uint8_t *p_at) {
	uint32_t v;
	memcpy(&v, p_at, 4);
	return v;
}

static void put32(uint8_t *p_at, uint32_t p_value) {
	memcpy(p_at, &p_value, 4);
}

static void test_encode_send(void) {
	const uint8_t data[5] = { 'h', 0, 'l', 'l', 'o' };
	wc_command c = { .type = BP_MSG_SEND, .handle = 7, .flags = BP_MESSAGE_FLAG_STRING, .first = { data, 5 } };
	BT_EQ(wc_wire_command_length(&c), BP_CMD_SEND_SIZE + 5);
	memset(buffer, 0xAA, sizeof(buffer));
	wc_wire_encode_command(&c, buffer);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_send, ch)), 7);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_send, flags)), BP_MESSAGE_FLAG_STRING);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_send, data_length)), 5);
	BT_EQ(u32_at(buffer + 12), 0); /* reserved */
	BT_CHECK(memcmp(buffer + BP_CMD_SEND_SIZE, data, 5) == 0);
	BT_EQ(wc_wire_is_sync(BP_MSG_SEND), 0);
}

static void test_encode_requests(void) {
	const char *mid = "0";
	const char *cand = "candidate:1 1 UDP 1 127.0.0.1 9 typ host";
	wc_command c = { .type = BP_MSG_ADD_ICE_CANDIDATE, .request_id = 42, .handle = 3, .index = -2,
		.first = { (const uint8_t *)mid, 1 }, .second = { (const uint8_t *)cand, (uint32_t)strlen(cand) } };
	BT_EQ(wc_wire_command_length(&c), BP_CMD_ADD_ICE_CANDIDATE_SIZE + 1 + strlen(cand));
	wc_wire_encode_command(&c, buffer);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_add_ice_candidate, request_id)), 42);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_add_ice_candidate, pc)), 3);
	int64_t index;
	memcpy(&index, buffer + offsetof(bp_cmd_add_ice_candidate, index), 8);
	BT_EQ(index, -2);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_add_ice_candidate, mid_length)), 1);
	BT_EQ(buffer[BP_CMD_ADD_ICE_CANDIDATE_SIZE], '0');
	BT_CHECK(memcmp(buffer + BP_CMD_ADD_ICE_CANDIDATE_SIZE + 1, cand, strlen(cand)) == 0);
	BT_EQ(wc_wire_is_sync(BP_MSG_ADD_ICE_CANDIDATE), 1);

	wc_command init = { .type = BP_MSG_INITIALIZE, .request_id = 9, .handle = 1, .first = { (const uint8_t *)"{}", 2 } };
	wc_wire_encode_command(&init, buffer);
	BT_EQ(u32_at(buffer + offsetof(bp_cmd_initialize, config_length)), 2);
	BT_EQ(u32_at(buffer + 12), 0);
	wc_command unknown = { .type = 999 };
	BT_EQ(wc_wire_command_length(&unknown), 0);
	wc_command event = { .type = BP_MSG_REPLY }; /* an event kind is no command */
	BT_EQ(wc_wire_command_length(&event), 0);
	BT_EQ(wc_wire_is_sync(BP_MSG_REPLY), 0);
}

/* A MESSAGE record as the worker writes it. */
static uint32_t make_message(uint32_t p_ch, uint32_t p_flags, const char *p_data, uint32_t p_declared) {
	memset(buffer, 0, sizeof(buffer));
	put32(buffer + offsetof(bp_evt_message, ch), p_ch);
	put32(buffer + offsetof(bp_evt_message, flags), p_flags);
	put32(buffer + offsetof(bp_evt_message, data_length), p_declared);
	uint32_t n = (uint32_t)strlen(p_data);
	memcpy(buffer + BP_EVT_MESSAGE_SIZE, p_data, n);
	return BP_EVT_MESSAGE_SIZE + n;
}

static void test_decode_message(void) {
	wc_event e;
	const char *why = NULL;
	uint32_t length = make_message(5, BP_MESSAGE_FLAG_STRING, "hey", 3);
	BT_EQ(wc_wire_decode_event(BP_MSG_MESSAGE, buffer, length, &e, &why), BP_CORE_STATUS_OK);
	BT_EQ(e.ch, 5);
	BT_EQ(e.flags, BP_MESSAGE_FLAG_STRING);
	BT_EQ(e.first.length, 3);
	BT_CHECK(memcmp(e.first.data, "hey", 3) == 0);
	/* declared longer, shorter, and absurdly long (wraps u32 arithmetic if done naively) */
	uint32_t declared[] = { 4, 2, 0xFFFFFFF0u };
	for (size_t i = 0; i < 3; i++) {
		length = make_message(5, 0, "hey", declared[i]);
		BT_EQ(wc_wire_decode_event(BP_MSG_MESSAGE, buffer, length, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
		BT_CHECK(why != NULL);
	}
	BT_EQ(wc_wire_decode_event(BP_MSG_MESSAGE, buffer, 8, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
}

static void test_decode_reply_and_received(void) {
	wc_event e;
	const char *why = NULL;
	memset(buffer, 0, sizeof(buffer));
	put32(buffer + offsetof(bp_evt_reply, request_id), 77);
	put32(buffer + offsetof(bp_evt_reply, command), BP_MSG_CREATE_DATA_CHANNEL);
	put32(buffer + offsetof(bp_evt_reply, status), BP_CORE_STATUS_OK);
	put32(buffer + offsetof(bp_evt_reply, handle), 12);
	uint8_t *ch = buffer + offsetof(bp_evt_reply, channel);
	put32(ch + offsetof(bp_channel_description, id), 65535);
	put32(ch + offsetof(bp_channel_description, max_message_size), 262144);
	put32(ch + offsetof(bp_channel_description, flags), BP_CHANNEL_FLAG_ORDERED);
	put32(ch + offsetof(bp_channel_description, label_length), 4);
	put32(ch + offsetof(bp_channel_description, protocol_length), 2);
	memcpy(buffer + BP_EVT_REPLY_SIZE, "chatp1", 6);
	BT_EQ(wc_wire_decode_event(BP_MSG_REPLY, buffer, BP_EVT_REPLY_SIZE + 6, &e, &why), BP_CORE_STATUS_OK);
	BT_EQ(e.request_id, 77);
	BT_EQ(e.handle, 12);
	BT_EQ(e.channel.max_message_size, 262144);
	BT_EQ(e.first.length, 4);
	BT_EQ(e.second.length, 2);
	BT_CHECK(memcmp(e.second.data, "p1", 2) == 0);
	BT_EQ(wc_wire_decode_event(BP_MSG_REPLY, buffer, BP_EVT_REPLY_SIZE + 5, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	put32(buffer + offsetof(bp_evt_reply, status), BP_CORE_STATUS_COUNT);
	BT_EQ(wc_wire_decode_event(BP_MSG_REPLY, buffer, BP_EVT_REPLY_SIZE + 6, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
}

static void test_decode_rejects_bad_enums_and_kinds(void) {
	wc_event e;
	const char *why = NULL;
	memset(buffer, 0, 64);
	put32(buffer + offsetof(bp_evt_peer_state, state), BP_CONNECTION_STATE_CLOSED);
	BT_EQ(wc_wire_decode_event(BP_MSG_CONNECTION_STATE, buffer, BP_EVT_PEER_STATE_SIZE, &e, &why), BP_CORE_STATUS_OK);
	put32(buffer + offsetof(bp_evt_peer_state, state), BP_CONNECTION_STATE_CLOSED + 1);
	BT_EQ(wc_wire_decode_event(BP_MSG_CONNECTION_STATE, buffer, BP_EVT_PEER_STATE_SIZE, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	BT_EQ(wc_wire_decode_event(BP_MSG_CONNECTION_STATE, buffer, BP_EVT_PEER_STATE_SIZE + 8, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	put32(buffer + offsetof(bp_evt_channel_state, state), 4);
	BT_EQ(wc_wire_decode_event(BP_MSG_CHANNEL_STATE, buffer, BP_EVT_CHANNEL_STATE_SIZE, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	memset(buffer, 0, 64);
	put32(buffer + offsetof(bp_evt_description, type), 0);
	BT_EQ(wc_wire_decode_event(BP_MSG_DESCRIPTION, buffer, BP_EVT_DESCRIPTION_SIZE, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	BT_EQ(wc_wire_decode_event(BP_MSG_SEND, buffer, 16, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER); /* a command kind */
	BT_EQ(wc_wire_decode_event(40000, buffer, 16, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
	/* candidate with both tails */
	memset(buffer, 0, 64);
	put32(buffer + offsetof(bp_evt_candidate, index), 1);
	put32(buffer + offsetof(bp_evt_candidate, mid_length), 1);
	put32(buffer + offsetof(bp_evt_candidate, candidate_length), 3);
	memcpy(buffer + BP_EVT_CANDIDATE_SIZE, "1abc", 4);
	BT_EQ(wc_wire_decode_event(BP_MSG_CANDIDATE, buffer, BP_EVT_CANDIDATE_SIZE + 4, &e, &why), BP_CORE_STATUS_OK);
	BT_EQ(e.index, 1);
	BT_CHECK(memcmp(e.second.data, "abc", 3) == 0);
	put32(buffer + offsetof(bp_evt_candidate, candidate_length), 0xFFFFFFFFu);
	BT_EQ(wc_wire_decode_event(BP_MSG_CANDIDATE, buffer, BP_EVT_CANDIDATE_SIZE + 4, &e, &why), BP_CORE_STATUS_INVALID_PARAMETER);
}

static void test_utf8(void) {
	struct {
		const char *bytes;
		size_t length;
		bool valid;
	} cases[] = {
		{ "", 0, true },
		{ "plain", 5, true },
		{ "a\0b", 3, true }, /* NUL is valid UTF-8: text mode keeps it */
		{ "\xC3\xA9t\xC3\xA9", 5, true },
		{ "\xE2\x82\xAC", 3, true },
		{ "\xF0\x9F\x98\x80", 4, true },
		{ "\xF4\x8F\xBF\xBF", 4, true }, /* U+10FFFF */
		{ "\xC0\xAF", 2, false }, /* overlong */
		{ "\xE0\x80\xAF", 3, false }, /* overlong */
		{ "\xED\xA0\x80", 3, false }, /* surrogate */
		{ "\xF4\x90\x80\x80", 4, false }, /* > U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, false },
		{ "\xC3", 1, false }, /* truncated */
		{ "\xE2\x82", 2, false },
		{ "\x80", 1, false }, /* lone continuation */
		{ "\xFF", 1, false },
		{ "\xC3\x28", 2, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (wc_utf8_valid((const uint8_t *)cases[i].bytes, cases[i].length) != cases[i].valid) {
			fprintf(stderr, "utf8 case %zu\n", i);
			BT_CHECK(false);
		}
	}
}

static void test_table_stale_handles(void) {
	wc_table table = { 0 };
	int a = 1;
	int b = 2;
	int32_t ha = wc_table_add(&table, &a);
	BT_CHECK(ha > 0);
	BT_CHECK(wc_table_get(&table, ha) == &a);
	BT_CHECK(wc_table_remove(&table, ha) == &a);
	BT_CHECK(wc_table_get(&table, ha) == NULL);
	BT_CHECK(wc_table_remove(&table, ha) == NULL);
	int32_t hb = wc_table_add(&table, &b); /* reuses the slot, with a new generation */
	BT_CHECK(hb > 0 && hb != ha);
	BT_CHECK(wc_table_get(&table, ha) == NULL);
	BT_CHECK(wc_table_get(&table, hb) == &b);
	BT_CHECK(wc_table_get(&table, 0) == NULL);
	BT_CHECK(wc_table_get(&table, -5) == NULL);
	BT_CHECK(wc_table_get(&table, 0x7FFFFFFF) == NULL);
	for (int i = 0; i < 5000; i++) {
		BT_CHECK(wc_table_add(&table, &a) > 0);
	}
	BT_EQ(table.live, 5001);
	wc_table other = { .tag = WC_TABLE_TAG };
	int32_t hc = wc_table_add(&other, &b);
	BT_CHECK(hc > 0 && hc != hb);
	BT_CHECK(wc_table_get(&table, hc) == NULL); /* one kind of handle is never the other */
	BT_CHECK(wc_table_get(&other, hb) == NULL);
	BT_CHECK(wc_table_get(&other, hc) == &b);
	wc_table_free(&other);
	wc_table_free(&table);
}

static void test_map(void) {
	wc_map map = { 0 };
	for (uint32_t k = 1; k <= 3000; k++) {
		BT_CHECK(wc_map_put(&map, k, (int32_t)(k * 2)));
	}
	for (uint32_t k = 1; k <= 3000; k += 2) {
		wc_map_remove(&map, k);
	}
	for (uint32_t k = 1; k <= 3000; k++) {
		BT_EQ(wc_map_get(&map, k), (k % 2) ? 0 : (int32_t)(k * 2));
	}
	for (uint32_t k = 5000; k < 9000; k++) {
		BT_CHECK(wc_map_put(&map, k, 1));
	}
	BT_EQ(map.count, 1500 + 4000);
	BT_EQ(wc_map_get(&map, 0), 0);
	BT_CHECK(!wc_map_put(&map, 0, 1));
	wc_map_free(&map);
}

static void test_queues(void) {
	wc_packets queue = { 0 };
	for (uint32_t i = 0; i < 100; i++) {
		wc_packet packet = { malloc(i + 1), i + 1, (i & 1) != 0 };
		packet.data[0] = (uint8_t)i;
		BT_CHECK(wc_packets_push(&queue, packet));
		if (i % 3 == 0) {
			wc_packet out;
			BT_CHECK(wc_packets_shift(&queue, &out));
			free(out.data);
		}
	}
	BT_EQ(queue.count, 66);
	wc_packet first;
	BT_CHECK(wc_packets_shift(&queue, &first));
	BT_EQ(first.data[0], 34); /* FIFO order across growth */
	free(first.data);
	uint64_t bytes = 0;
	for (uint32_t i = 35; i < 100; i++) {
		bytes += i + 1;
	}
	BT_EQ(queue.bytes, bytes);
	wc_packets_clear(&queue);
	BT_EQ(queue.count, 0);
}

/* ---- the client over a fake worker, with allocations that fail on demand ----------------
 * This program is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=br_producer_publish,--wrap=br_region_ring (bridge/Makefile, test builds only):
 *   - fail_countdown = k makes the k-th allocation from now fail (one only);
 *   - while fake_running, each publish of the client's COMMANDS ring is answered at once by
 *     the test, playing the worker (CREATE_PEER gets core handle FAKE_PEER_CORE,
 *     CREATE_DATA_CHANNEL gets FAKE_CHANNEL_CORE, every other request OK), and every command
 *     is recorded;
 *   - region_failure makes the client's look-up of a ring in its region fail. */

void *__real_malloc(size_t p_size);
void *__real_calloc(size_t p_count, size_t p_size);
void *__real_realloc(void *p_pointer, size_t p_size);
bool __real_br_producer_publish(br_producer *p_producer);
bp_status __real_br_region_ring(void *p_base, uint64_t p_mapped_size, bp_ring_index p_index, br_ring *r_ring);

static long fail_countdown = -1; /* allocations to let through before one fails; -1: none fails */
static int failed_allocations;
static bp_status region_failure = BP_STATUS_OK;

static bool fail_this_allocation(void) {
	if (fail_countdown < 0 || fail_countdown-- > 0) {
		return false;
	}
	failed_allocations++;
	return true;
}

void *__wrap_malloc(size_t p_size) {
	return fail_this_allocation() ? NULL : __real_malloc(p_size);
}

void *__wrap_calloc(size_t p_count, size_t p_size) {
	return fail_this_allocation() ? NULL : __real_calloc(p_count, p_size);
}

void *__wrap_realloc(void *p_pointer, size_t p_size) {
	return fail_this_allocation() ? NULL : __real_realloc(p_pointer, p_size);
}

bp_status __wrap_br_region_ring(void *p_base, uint64_t p_mapped_size, bp_ring_index p_index, br_ring *r_ring) {
	if (region_failure != BP_STATUS_OK) {
		memset(r_ring, 0, sizeof(*r_ring));
		return region_failure;
	}
	return __real_br_region_ring(p_base, p_mapped_size, p_index, r_ring);
}

#define FAKE_PEER_CORE 5u
#define FAKE_CHANNEL_CORE 9u
#define FAKE_COMMANDS 64

static bool fake_running;
static br_shm fake_shm;
static br_consumer fake_commands; /* the worker's ends */
static br_producer fake_events;
static uint32_t fake_types[FAKE_COMMANDS];
static uint32_t fake_handles[FAKE_COMMANDS]; /* CLOSE/FREE: the handle */
static int fake_count;
static int log_errors;
static char log_last[1024];

static void unit_log(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	log_errors += p_level == BP_LOG_LEVEL_ERROR;
	snprintf(log_last, sizeof(log_last), "%s", p_message);
	fprintf(stderr, "  [log] %.300s\n", p_message);
}

static void fake_reply(uint32_t p_request, uint32_t p_command, uint32_t p_handle) {
	uint8_t payload[BP_EVT_REPLY_SIZE + 4] __attribute__((aligned(8)));
	memset(payload, 0, sizeof(payload));
	uint32_t label = p_command == BP_MSG_CREATE_DATA_CHANNEL ? 4u : 0u;
	put32(payload + offsetof(bp_evt_reply, request_id), p_request);
	put32(payload + offsetof(bp_evt_reply, command), p_command);
	put32(payload + offsetof(bp_evt_reply, status), BP_CORE_STATUS_OK);
	put32(payload + offsetof(bp_evt_reply, handle), p_handle);
	if (label != 0) {
		uint8_t *channel = payload + offsetof(bp_evt_reply, channel);
		put32(channel + offsetof(bp_channel_description, id), BP_CHANNEL_VALUE_UNSET);
		put32(channel + offsetof(bp_channel_description, max_packet_life_time), BP_CHANNEL_VALUE_UNSET);
		put32(channel + offsetof(bp_channel_description, max_retransmits), BP_CHANNEL_VALUE_UNSET);
		put32(channel + offsetof(bp_channel_description, max_message_size), 65536);
		put32(channel + offsetof(bp_channel_description, flags), BP_CHANNEL_FLAG_ORDERED);
		put32(channel + offsetof(bp_channel_description, label_length), label);
		memcpy(payload + BP_EVT_REPLY_SIZE, "chat", label);
	}
	BT_EQ(br_producer_write(&fake_events, BP_MSG_REPLY, payload, BP_EVT_REPLY_SIZE + label), BP_STATUS_OK);
	__real_br_producer_publish(&fake_events);
}

/* The worker's side: record every command, answer every request. */
bool __wrap_br_producer_publish(br_producer *p_producer) {
	bool ring = __real_br_producer_publish(p_producer);
	if (!fake_running || p_producer != &wc_g.commands) {
		return ring;
	}
	br_record record;
	while (br_consumer_peek(&fake_commands, &record) == BP_STATUS_OK) {
		uint32_t first = u32_at(record.payload);
		if (fake_count < FAKE_COMMANDS) {
			fake_types[fake_count] = record.type;
			fake_handles[fake_count] = first;
			fake_count++;
		}
		if (wc_wire_is_sync(record.type)) {
			uint32_t handle = record.type == BP_MSG_CREATE_PEER ? FAKE_PEER_CORE
					: record.type == BP_MSG_CREATE_DATA_CHANNEL ? FAKE_CHANNEL_CORE
																: 0u;
			fake_reply(first, record.type, handle);
		}
		br_consumer_advance(&fake_commands);
	}
	br_consumer_publish(&fake_commands);
	return false; /* the worker is always awake */
}

static int fake_commands_of(uint32_t p_type, uint32_t p_handle) {
	int count = 0;
	for (int i = 0; i < fake_count; i++) {
		count += fake_types[i] == p_type && fake_handles[i] == p_handle;
	}
	return count;
}

/* A client "running" on a fresh region with no process behind it. */
static void fake_start(void) {
	wc_set_log(unit_log, NULL);
	BT_EQ(br_shm_create(BP_RING_DATA_SIZE_MIN, BP_RING_DATA_SIZE_MIN, &fake_shm), BP_STATUS_OK);
	br_ring commands;
	br_ring events;
	BT_EQ(br_region_ring(fake_shm.base, fake_shm.size, BP_RING_COMMANDS, &commands), BP_STATUS_OK);
	BT_EQ(br_region_ring(fake_shm.base, fake_shm.size, BP_RING_EVENTS, &events), BP_STATUS_OK);
	wc_lock();
	memset(&wc_g.worker, 0, sizeof(wc_g.worker));
	wc_os_init(&wc_g.worker.os);
	br_producer_init(&wc_g.commands, &commands);
	br_consumer_init(&wc_g.events, &events);
	br_consumer_init(&fake_commands, &commands);
	br_producer_init(&fake_events, &events);
	wc_g.running = true;
	wc_g.epoch++;
	wc_unlock();
	fake_count = 0;
	fake_running = true;
}

static void fake_stop(void) {
	fake_running = false;
	wc_lock();
	wc_g.running = false;
	wc_unlock();
	wc_shutdown(); /* forgets every object */
	br_shm_destroy(&fake_shm);
	wc_set_log(NULL, NULL);
}

/* From now on, let p_k allocations through and fail the next one. */
static void fail_arm(long p_k) {
	failed_allocations = 0;
	log_errors = 0;
	fail_countdown = p_k;
}

static void fail_disarm(void) {
	fail_countdown = -1;
}

/* A peer's core handle is registered, or the call fails with one line and the worker frees
 * the peer it made (before: an ignored wc_map_put left a peer whose events were dropped). */
static void test_issue9_peer_registration_out_of_memory(void) {
	bool completed = false;
	for (long k = 0; k < 100 && !completed && !bt_current_failed; k++) {
		fake_start();
		wc_handle pc = 0;
		BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
		fail_arm(k);
		wc_status status = wc_peer_create_offer(pc); /* CREATE_PEER, then CREATE_OFFER */
		fail_disarm();
		wc_lock();
		wc_peer *peer = wc_peer_get(pc);
		bool mapped = wc_map_get(&wc_g.core_peers, FAKE_PEER_CORE) == pc;
		BT_EQ(mapped, peer->core == FAKE_PEER_CORE);
		BT_EQ(fake_commands_of(BP_MSG_FREE_PEER, FAKE_PEER_CORE), mapped ? 0 : 1);
		wc_unlock();
		if (failed_allocations == 0) {
			completed = true;
			BT_EQ(status, BP_CORE_STATUS_OK);
			BT_CHECK(mapped);
			BT_EQ(log_errors, 0);
		} else {
			BT_EQ(status, BP_CORE_STATUS_INTERNAL);
			BT_EQ(log_errors, 1);
		}
		if (bt_current_failed) {
			fprintf(stderr, "  (with allocation %ld failing)\n", k);
		}
		fake_stop();
	}
	BT_CHECK(completed);
}

/* create_data_channel: a channel object with its events routed, or INTERNAL, one line and
 * the worker's channel freed. */
static void test_issue9_created_channel_out_of_memory(void) {
	bool completed = false;
	for (long k = 0; k < 100 && !completed && !bt_current_failed; k++) {
		fake_start();
		wc_handle pc = 0;
		BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
		BT_EQ(wc_peer_create_offer(pc), BP_CORE_STATUS_OK); /* binds the peer */
		wc_handle channel = 0;
		fail_arm(k);
		wc_status status = wc_peer_create_data_channel(pc, "chat", 4, NULL, 0, &channel);
		fail_disarm();
		wc_lock();
		wc_handle mapped = wc_map_get(&wc_g.core_channels, FAKE_CHANNEL_CORE);
		BT_EQ(mapped, channel);
		BT_EQ(wc_g.channels.live, channel != 0 ? 1u : 0u);
		BT_EQ(fake_commands_of(BP_MSG_FREE_CHANNEL, FAKE_CHANNEL_CORE), channel != 0 ? 0 : 1);
		if (channel != 0) {
			BT_CHECK(strcmp(wc_str_c(&wc_channel_get(channel)->label), "chat") == 0);
			wc_peer *peer = wc_peer_get(pc);
			BT_CHECK(peer->channel_count == 1 && peer->channels[0] == channel);
		}
		wc_unlock();
		if (failed_allocations == 0) {
			completed = true;
			BT_EQ(status, BP_CORE_STATUS_OK);
			BT_CHECK(channel != 0);
			BT_EQ(log_errors, 0);
		} else {
			BT_EQ(status, BP_CORE_STATUS_INTERNAL);
			BT_EQ(channel, 0);
			BT_EQ(log_errors, 1);
		}
		if (bt_current_failed) {
			fprintf(stderr, "  (with allocation %ld failing)\n", k);
		}
		fake_stop();
	}
	BT_CHECK(completed);
}

/* CHANNEL_RECEIVED: a channel announced by a signal, or one line and the worker's channel
 * freed (before: the worker's channel leaked, or a channel without its map entry). */
static void test_issue9_received_channel_out_of_memory(void) {
	bool completed = false;
	for (long k = 0; k < 100 && !completed && !bt_current_failed; k++) {
		fake_start();
		wc_handle pc = 0;
		BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
		BT_EQ(wc_peer_create_offer(pc), BP_CORE_STATUS_OK); /* binds the peer */
		wc_event event = { .type = BP_MSG_CHANNEL_RECEIVED, .pc = FAKE_PEER_CORE, .ch = 40,
			.channel = { .id = 1, .max_packet_life_time = BP_CHANNEL_VALUE_UNSET, .max_retransmits = BP_CHANNEL_VALUE_UNSET,
					.max_message_size = 65536, .flags = BP_CHANNEL_FLAG_ORDERED },
			.first = { (const uint8_t *)"chat", 4 } };
		wc_lock();
		fail_arm(k);
		wc_events_apply(&event);
		fail_disarm();
		wc_peer *peer = wc_peer_get(pc);
		wc_handle mapped = wc_map_get(&wc_g.core_channels, 40);
		bool announced = peer->signals.count == 1 && peer->signals.items[peer->signals.head].channel == mapped;
		BT_EQ(mapped != 0, announced);
		BT_EQ(wc_g.channels.live, mapped != 0 ? 1u : 0u);
		BT_EQ(fake_commands_of(BP_MSG_FREE_CHANNEL, 40), mapped != 0 ? 0 : 1);
		wc_unlock();
		if (failed_allocations == 0) {
			completed = true;
			BT_CHECK(announced);
			BT_EQ(log_errors, 0);
		} else {
			BT_CHECK(!announced);
			BT_EQ(log_errors, 1);
		}
		if (bt_current_failed) {
			fprintf(stderr, "  (with allocation %ld failing)\n", k);
		}
		fake_stop();
	}
	BT_CHECK(completed);
}

/* The worker's region unusable at start: the start fails with the reason, the process is
 * stopped, nothing is left (before: the statuses were ignored and the client read rings it
 * never attached). The "worker" is /bin/true: it never gets as far as a handshake. */
static void test_issue9_start_fails_when_the_region_is_unusable(void) {
	char *path = strdup(getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", "/nonexistent", 1);
	setenv(BP_ENV_NODE, "/bin/true", 1);
	wc_config config = { .worker_script = "/bin/true" };
	wc_configure(&config);
	wc_set_log(unit_log, NULL);
	log_errors = 0;
	int fds = tc_count_dir("/proc/self/fd");
	wc_handle pc = 0;
	BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
	region_failure = BP_STATUS_BAD_LAYOUT;
	BT_EQ(wc_peer_initialize(pc, "{}", 2), BP_CORE_STATUS_NO_WORKER);
	region_failure = BP_STATUS_OK;
	BT_EQ(log_errors, 1);
	BT_CHECK(strstr(log_last, "/bin/true: cannot use the shared-memory region (BAD_LAYOUT)") != NULL);
	BT_EQ(tc_count_dir("/proc/self/fd"), fds);
	BT_EQ(tc_bridge_memory_left(), 0);
	wc_stats stats;
	wc_get_stats(&stats);
	BT_EQ(stats.worker_pid, 0);
	wc_peer_free(pc);
	wc_shutdown();
	setenv("PATH", path, 1);
	free(path);
	unsetenv(BP_ENV_NODE);
	wc_set_log(NULL, NULL);
}

int main(void) {
	BT_RUN(test_encode_send);
	BT_RUN(test_encode_requests);
	BT_RUN(test_decode_message);
	BT_RUN(test_decode_reply_and_received);
	BT_RUN(test_decode_rejects_bad_enums_and_kinds);
	BT_RUN(test_utf8);
	BT_RUN(test_table_stale_handles);
	BT_RUN(test_map);
	BT_RUN(test_queues);
	BT_RUN(test_issue9_peer_registration_out_of_memory);
	BT_RUN(test_issue9_created_channel_out_of_memory);
	BT_RUN(test_issue9_received_channel_out_of_memory);
	BT_RUN(test_issue9_start_fails_when_the_region_is_unusable);
	return bt_finish();
}
