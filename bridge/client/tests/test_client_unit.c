/* The client's pure parts, no worker: command encoding against the generated layouts, event
 * decoding (every kind, and corrupted records: wrong lengths, overflowing lengths, unknown
 * kinds, out-of-range enums), UTF-8 validation as the facade's TextDecoder sees it, handle
 * tables (stale handles), the core-handle map and the queues. */
#include <stdlib.h>
#include <string.h>

#include "../../ring/tests/bt.h"
#include "../wc_private.h"

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
	return bt_finish();
}
