/* The C client driving the REAL worker (build/worker/worker.mjs) end to end: two peers of
 * one client connect through node-datachannel on loopback and exchange messages; signal
 * order; the core's statuses for bad input; stale handles; close semantics; back-pressure
 * (BUSY) and the receive limit; the doorbell staying quiet while the worker is awake.
 *
 *   test_client_e2e --worker build/worker/worker.mjs --node node --shm-addon shm.node
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "../../ring/tests/bt.h"
#include "tc.h"

#define MESSAGES 1000
#define KIB 1024u

static tc_pair pair;
static int connected;

/* Deterministic message i of a direction: sizes 1..~3 KiB plus a few 64 KiB; every 7th one
 * in text mode (ASCII and a two-byte character). */
static size_t fill_message(uint8_t *r_data, int p_direction, int p_seq, bool *r_text) {
	size_t length = (p_seq % 50 == 49) ? 64u * KIB : 1u + (size_t)((p_seq * 37) % 3000);
	*r_text = p_seq % 7 == 3;
	for (size_t i = 0; i < length; i++) {
		r_data[i] = *r_text ? (uint8_t)('a' + (p_seq + (int)i) % 26) : (uint8_t)(p_seq * 31 + (int)i * 7 + p_direction);
	}
	if (*r_text && length >= 3) {
		r_data[0] = 0xC3; /* é */
		r_data[1] = 0xA9;
		r_data[2] = 0x00; /* NUL and what follows arrive intact */
	}
	if (!*r_text && length >= 8) {
		memcpy(r_data + length - 4, &p_seq, 4);
	}
	return length;
}

static void test_pair_connects_with_signals_in_order(void) {
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	connected = pair.ch_b != 0;
	BT_EQ(pair.failures, 0);
	/* The offerer's first signal is its offer, the answerer's its answer; candidates only
	 * after set_local_description; the answerer gets data_channel_received exactly once. */
	BT_EQ(pair.trace_a[0], 'o');
	BT_EQ(pair.trace_b[0], 'a');
	BT_CHECK(strchr(pair.trace_a, 'c') != NULL);
	BT_CHECK(strchr(pair.trace_a, 'd') == NULL);
	const char *d = strchr(pair.trace_b, 'd');
	BT_CHECK(d != NULL && strchr(d + 1, 'd') == NULL);
	BT_CHECK(pair.signaling_at_first_candidate_a == BP_SIGNALING_STATE_HAVE_LOCAL_OFFER ||
			pair.signaling_at_first_candidate_a == BP_SIGNALING_STATE_STABLE);
	BT_EQ(pair.signaling_at_first_candidate_b, BP_SIGNALING_STATE_STABLE);
	int32_t state = -1;
	BT_EQ(wc_peer_get_connection_state(pair.a, &state), BP_CORE_STATUS_OK);
	BT_EQ(state, BP_CONNECTION_STATE_CONNECTED);
	BT_EQ(wc_peer_get_connection_state(pair.b, &state), BP_CORE_STATUS_OK);
	BT_EQ(state, BP_CONNECTION_STATE_CONNECTED);
	wc_channel_info info;
	BT_EQ(wc_channel_get_info(pair.ch_b, &info), BP_CORE_STATUS_OK);
	BT_CHECK(info.label.length == 4 && strcmp(info.label.data, "chat") == 0);
	BT_CHECK(info.ordered && !info.negotiated);
	BT_CHECK(info.id >= 0 && info.id < 65535);
	BT_EQ(info.max_packet_life_time, 65535);
	BT_EQ(info.max_retransmits, 65535);
	BT_EQ(info.max_packet_size, 262144);
	BT_EQ(wc_channel_get_info(pair.ch_a, &info), BP_CORE_STATUS_OK);
	BT_CHECK(!info.negotiated && info.id >= 0 && info.id < 65535);
	int32_t mode = -1;
	BT_EQ(wc_channel_get_write_mode(pair.ch_a, &mode), BP_CORE_STATUS_OK);
	BT_EQ(mode, BP_CHANNEL_WRITE_MODE_BINARY);
}

static void test_signals_only_after_poll(void) {
	wc_handle pc = 0;
	wc_handle ch = 0;
	BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_create_data_channel(pc, "x", 1, NULL, 0, &ch), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_create_offer(pc), BP_CORE_STATUS_OK);
	wc_signal signal;
	uint64_t deadline = tc_now_ms() + 5000;
	int32_t count_before = 0;
	/* Let the offer arrive, without polling: nothing may be handed out. */
	while (tc_now_ms() < deadline && count_before == 0) {
		wc_wait(10);
		BT_EQ(wc_peer_next_signal(pc, &signal), BP_CORE_STATUS_UNAVAILABLE);
		uint32_t peek = 0;
		wc_peer_poll(pc, &peek);
		count_before = (int32_t)peek;
	}
	BT_EQ(count_before, 1);
	BT_EQ(wc_peer_next_signal(pc, &signal), BP_CORE_STATUS_OK);
	BT_EQ(signal.kind, WC_SIGNAL_SESSION_DESCRIPTION_CREATED);
	BT_CHECK(strcmp(signal.type.data, "offer") == 0);
	BT_CHECK(signal.sdp.length > 50 && strncmp(signal.sdp.data, "v=0", 3) == 0);
	BT_EQ(wc_peer_next_signal(pc, &signal), BP_CORE_STATUS_UNAVAILABLE);
	/* close(): synchronous, and nothing is emitted after it. */
	BT_EQ(wc_peer_close(pc), BP_CORE_STATUS_OK);
	int32_t state = -1;
	wc_peer_get_connection_state(pc, &state);
	BT_EQ(state, BP_CONNECTION_STATE_CLOSED);
	wc_peer_get_signaling_state(pc, &state);
	BT_EQ(state, BP_SIGNALING_STATE_CLOSED);
	wc_channel_get_ready_state(ch, &state);
	BT_EQ(state, BP_CHANNEL_STATE_CLOSED);
	uint32_t count = 9;
	BT_EQ(wc_peer_poll(pc, &count), BP_CORE_STATUS_OK);
	BT_EQ(count, 0);
	BT_EQ(wc_channel_free(ch), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_free(pc), BP_CORE_STATUS_OK);
}

/* Receive whatever is waiting on p_channel, checking it against the expected sequence. */
static void receive_some(wc_handle p_channel, int p_direction, int *p_next, uint8_t *p_scratch) {
	const uint8_t *data = NULL;
	size_t length = 0;
	while (*p_next < MESSAGES && wc_channel_get_packet(p_channel, &data, &length) == BP_CORE_STATUS_OK) {
		bool text = false;
		size_t expected = fill_message(p_scratch, p_direction, *p_next, &text);
		bool was_string = !text;
		wc_channel_was_string_packet(p_channel, &was_string);
		if (length != expected || memcmp(data, p_scratch, length) != 0 || was_string != text) {
			fprintf(stderr, "direction %d message %d: %zu bytes (expected %zu), string %d\n", p_direction, *p_next, length,
					expected, was_string);
			BT_CHECK(false);
		}
		(*p_next)++;
	}
}

static void test_thousand_messages_each_way(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	static uint8_t out[64 * KIB];
	static uint8_t scratch[64 * KIB];
	int sent[2] = { 0, 0 };
	int received[2] = { 0, 0 };
	wc_handle from[2] = { pair.ch_a, pair.ch_b };
	wc_handle to[2] = { pair.ch_b, pair.ch_a };
	uint64_t deadline = tc_now_ms() + 60000;
	while ((received[0] < MESSAGES || received[1] < MESSAGES) && tc_now_ms() < deadline) {
		bool progress = false;
		for (int d = 0; d < 2; d++) {
			while (sent[d] < MESSAGES) {
				bool text = false;
				size_t length = fill_message(out, d, sent[d], &text);
				wc_channel_set_write_mode(from[d], text ? BP_CHANNEL_WRITE_MODE_TEXT : BP_CHANNEL_WRITE_MODE_BINARY);
				wc_status status = wc_channel_put_packet(from[d], out, length);
				if (status == BP_CORE_STATUS_BUSY) {
					break;
				}
				BT_EQ(status, BP_CORE_STATUS_OK);
				if (status != BP_CORE_STATUS_OK) {
					return;
				}
				sent[d]++;
				progress = true;
				if (sent[d] % 64 == 0) {
					break; /* interleave the directions */
				}
			}
			int before = received[d];
			receive_some(to[d], d, &received[d], scratch);
			progress = progress || received[d] != before;
		}
		if (!progress) {
			wc_wait(5);
		}
	}
	BT_EQ(received[0], MESSAGES);
	BT_EQ(received[1], MESSAGES);
	int32_t left = -1;
	wc_channel_get_available_packet_count(pair.ch_b, &left);
	BT_EQ(left, 0);
	wc_channel_set_write_mode(pair.ch_a, BP_CHANNEL_WRITE_MODE_BINARY);
	wc_channel_set_write_mode(pair.ch_b, BP_CHANNEL_WRITE_MODE_BINARY);
}

/* Wait until p_channel has p_count packets (or a timeout). */
static int32_t wait_packets(wc_handle p_channel, int32_t p_count, int p_timeout_ms) {
	int32_t available = 0;
	uint64_t deadline = tc_now_ms() + (uint64_t)p_timeout_ms;
	while (tc_now_ms() < deadline) {
		wc_channel_get_available_packet_count(p_channel, &available);
		if (available >= p_count) {
			break;
		}
		wc_wait(5);
	}
	return available;
}

static void test_largest_message_fits_one_record(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	static uint8_t big[262145];
	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (uint8_t)(i * 13 + 1);
	}
	BT_EQ(wc_channel_put_packet(pair.ch_a, big, 262144), BP_CORE_STATUS_OK);
	BT_EQ(wc_channel_put_packet(pair.ch_b, big, 262144), BP_CORE_STATUS_OK);
	tc_logs_clear();
	BT_EQ(wc_channel_put_packet(pair.ch_a, big, 262145), BP_CORE_STATUS_INVALID_PARAMETER);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "262144"), 1);
	wc_handle ends[2] = { pair.ch_b, pair.ch_a };
	for (int i = 0; i < 2; i++) {
		BT_EQ(wait_packets(ends[i], 1, 10000), 1);
		const uint8_t *data = NULL;
		size_t length = 0;
		BT_EQ(wc_channel_get_packet(ends[i], &data, &length), BP_CORE_STATUS_OK);
		BT_EQ(length, 262144);
		BT_CHECK(data != NULL && memcmp(data, big, 262144) == 0);
	}
}

static void test_put_packet_local_checks(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	tc_logs_clear();
	BT_EQ(wc_channel_set_write_mode(pair.ch_a, 7), BP_CORE_STATUS_INVALID_PARAMETER);
	BT_EQ(wc_channel_set_write_mode(pair.ch_a, BP_CHANNEL_WRITE_MODE_TEXT), BP_CORE_STATUS_OK);
	const uint8_t bad[] = { 'o', 'k', 0xED, 0xA0, 0x80 };
	BT_EQ(wc_channel_put_packet(pair.ch_a, bad, sizeof(bad)), BP_CORE_STATUS_INVALID_PARAMETER);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "UTF-8"), 1);
	BT_EQ(wc_channel_put_packet(pair.ch_a, NULL, 0), BP_CORE_STATUS_OK); /* an empty string message */
	BT_EQ(wc_channel_set_write_mode(pair.ch_a, BP_CHANNEL_WRITE_MODE_BINARY), BP_CORE_STATUS_OK);
	BT_EQ(wait_packets(pair.ch_b, 1, 5000), 1);
	const uint8_t *data = NULL;
	size_t length = 9;
	bool text = false;
	BT_EQ(wc_channel_get_packet(pair.ch_b, &data, &length), BP_CORE_STATUS_OK);
	BT_EQ(length, 0);
	wc_channel_was_string_packet(pair.ch_b, &text);
	BT_CHECK(text);
	BT_EQ(wc_channel_get_packet(pair.ch_b, &data, &length), BP_CORE_STATUS_UNAVAILABLE);
	/* A channel that is not open yet: FAILED with one line. */
	wc_handle pc = 0;
	wc_handle ch = 0;
	wc_peer_create(&pc);
	BT_EQ(wc_peer_create_data_channel(pc, "later", 5, "{}", 2, &ch), BP_CORE_STATUS_OK);
	tc_logs_clear();
	BT_EQ(wc_channel_put_packet(ch, (const uint8_t *)"x", 1), BP_CORE_STATUS_WRONG_STATE);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "is not open (STATE_CONNECTING)"), 1);
	BT_EQ(bp_core_status_to_godot_error(BP_CORE_STATUS_WRONG_STATE), BP_GODOT_FAILED);
	wc_channel_free(ch);
	wc_peer_free(pc);
}

typedef struct bad_case {
	const char *what;
	wc_status expected;
	const char *line; /* a part of the one error line */
} bad_case;

static void check_case(const bad_case *p_case, wc_status p_status) {
	if (p_status != p_case->expected || tc_logs_count(BP_LOG_LEVEL_ERROR, p_case->line) != 1) {
		fprintf(stderr, "bad input '%s': status %s (expected %s), %d matching error lines\n", p_case->what,
				bp_core_status_name(p_status), bp_core_status_name(p_case->expected), tc_logs_count(BP_LOG_LEVEL_ERROR, p_case->line));
		BT_CHECK(false);
	}
	tc_logs_clear();
}

static void test_bad_input_returns_core_statuses(void) {
	wc_handle pc = 0;
	wc_handle ch = 0;
	wc_peer_create(&pc);
	tc_logs_clear();
	const char *bad_url = "{\"iceServers\":[{\"urls\":\"stun:\"}]}";
	check_case(&(bad_case){ "bad ICE URL", BP_CORE_STATUS_INVALID_PARAMETER, "iceServers" },
			wc_peer_initialize(pc, bad_url, strlen(bad_url)));
	check_case(&(bad_case){ "config not JSON", BP_CORE_STATUS_INVALID_PARAMETER, "not valid JSON" },
			wc_peer_initialize(pc, "{iceServers", 11));
	const char *wrong_type = "{\"iceServers\":5}";
	check_case(&(bad_case){ "iceServers not an Array", BP_CORE_STATUS_INVALID_PARAMETER, "iceServers" },
			wc_peer_initialize(pc, wrong_type, strlen(wrong_type)));
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	check_case(&(bad_case){ "offer without channels", BP_CORE_STATUS_UNCONFIGURED, "data channel" }, wc_peer_create_offer(pc));
	const char *negotiated = "{\"negotiated\":true}";
	check_case(&(bad_case){ "negotiated without id", BP_CORE_STATUS_INVALID_PARAMETER, "id" },
			wc_peer_create_data_channel(pc, "n", 1, negotiated, strlen(negotiated), &ch));
	BT_EQ(ch, 0);
	check_case(&(bad_case){ "label not UTF-8", BP_CORE_STATUS_INVALID_PARAMETER, "UTF-8" },
			wc_peer_create_data_channel(pc, "\xff", 1, NULL, 0, &ch));
	check_case(&(bad_case){ "garbage remote SDP", BP_CORE_STATUS_INVALID_PARAMETER, "set_remote_description" },
			wc_peer_set_remote_description(pc, "offer", 5, "garbage", 7));
	check_case(&(bad_case){ "unknown description type", BP_CORE_STATUS_INVALID_PARAMETER, "type" },
			wc_peer_set_remote_description(pc, "bogus", 5, "v=0", 3));
	check_case(&(bad_case){ "no pending local description", BP_CORE_STATUS_WRONG_STATE, "set_local_description" },
			wc_peer_set_local_description(pc, "offer", 5, "v=0", 3));
	check_case(&(bad_case){ "malformed candidate", BP_CORE_STATUS_INVALID_PARAMETER, "add_ice_candidate" },
			wc_peer_add_ice_candidate(pc, "0", 1, 0, "bogus", 5));
	check_case(&(bad_case){ "negative m-line index", BP_CORE_STATUS_INVALID_PARAMETER, "index" },
			wc_peer_add_ice_candidate(pc, "0", 1, -1, "candidate:1 1 UDP 2122260223 127.0.0.1 50000 typ host", 54));
	BT_EQ(wc_peer_add_ice_candidate(pc, "0", 1, 0, "", 0), BP_CORE_STATUS_OK); /* end of candidates */
	/* ... and the peer still works. */
	const char *options = "{\"ordered\":false,\"maxRetransmits\":3,\"protocol\":\"p\"}";
	BT_EQ(wc_peer_create_data_channel(pc, "ok", 2, options, strlen(options), &ch), BP_CORE_STATUS_OK);
	wc_channel_info info;
	BT_EQ(wc_channel_get_info(ch, &info), BP_CORE_STATUS_OK);
	BT_CHECK(!info.ordered && info.max_retransmits == 3 && info.max_packet_life_time == 65535);
	BT_CHECK(strcmp(info.protocol.data, "p") == 0);
	BT_EQ(wc_peer_create_offer(pc), BP_CORE_STATUS_OK);
	BT_EQ(bp_core_status_to_godot_error(BP_CORE_STATUS_INVALID_PARAMETER), BP_GODOT_ERR_INVALID_PARAMETER);
	BT_EQ(bp_core_status_to_godot_error(BP_CORE_STATUS_UNCONFIGURED), BP_GODOT_ERR_UNCONFIGURED);
	wc_channel_free(ch);
	wc_peer_free(pc);
}

static void test_stale_handles_are_statuses(void) {
	wc_handle pc = 0;
	wc_handle ch = 0;
	int32_t state = 0;
	BT_EQ(wc_peer_create_offer(12345), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(wc_peer_get_connection_state(0, &state), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(wc_channel_get_ready_state(-3, &state), BP_CORE_STATUS_STALE_HANDLE);
	wc_peer_create(&pc);
	BT_EQ(wc_peer_create_data_channel(pc, "s", 1, NULL, 0, &ch), BP_CORE_STATUS_OK);
	BT_EQ(wc_channel_get_ready_state(pc, &state), BP_CORE_STATUS_STALE_HANDLE); /* a peer is not a channel */
	BT_EQ(wc_peer_free(pc), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_free(pc), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(wc_peer_initialize(pc, NULL, 0), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(wc_channel_get_ready_state(ch, &state), BP_CORE_STATUS_OK); /* channels outlive their peer */
	BT_EQ(state, BP_CHANNEL_STATE_CLOSED);
	BT_EQ(wc_channel_free(ch), BP_CORE_STATUS_OK);
	const uint8_t *data;
	size_t length;
	BT_EQ(wc_channel_get_packet(ch, &data, &length), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(bp_core_status_to_godot_error(BP_CORE_STATUS_STALE_HANDLE), BP_GODOT_ERR_DOES_NOT_EXIST);
}

/* Put 256 KiB packets without reading on the far side until BUSY. */
static int fill_until_busy(wc_handle p_channel, int64_t *r_buffered_at_busy) {
	static uint8_t chunk[256 * KIB];
	for (int i = 0; i < 400; i++) {
		wc_status status = wc_channel_put_packet(p_channel, chunk, sizeof(chunk));
		if (status == BP_CORE_STATUS_BUSY) {
			wc_channel_get_buffered_amount(p_channel, r_buffered_at_busy);
			return i;
		}
		if (status != BP_CORE_STATUS_OK) {
			return -1;
		}
	}
	return -2;
}

static void test_busy_then_reliable_receive_limit_closes_loudly(void) {
	tc_pair p;
	BT_EQ(tc_connect(&p, "{}", 20000), 0);
	int64_t buffered = 0;
	tc_logs_clear();
	int puts = fill_until_busy(p.ch_a, &buffered);
	BT_CHECK(puts > 0);
	BT_CHECK(buffered + 256 * (int64_t)KIB > (int64_t)BP_SEND_LIMIT_BYTES);
	BT_EQ(bp_core_status_to_godot_error(BP_CORE_STATUS_BUSY), BP_GODOT_ERR_BUSY);
	/* The far side reads nothing: past 16 MiB of unread packets its reliable channel closes,
	 * with an error line naming the limit, and what arrived stays readable. */
	int32_t state = -1;
	uint64_t deadline = tc_now_ms() + 20000;
	while (tc_now_ms() < deadline) {
		wc_channel_get_ready_state(p.ch_b, &state);
		if (state == BP_CHANNEL_STATE_CLOSING || state == BP_CHANNEL_STATE_CLOSED) {
			break;
		}
		int64_t now_buffered = 0;
		wc_channel_get_buffered_amount(p.ch_a, &now_buffered);
		if (now_buffered < 4 * 1024 * 1024) {
			int64_t ignored;
			fill_until_busy(p.ch_a, &ignored);
		}
		wc_wait(5);
	}
	BT_CHECK(state == BP_CHANNEL_STATE_CLOSING || state == BP_CHANNEL_STATE_CLOSED);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "more than 16777216 bytes of unread packets"), 1);
	int32_t available = 0;
	wc_channel_get_available_packet_count(p.ch_b, &available);
	BT_CHECK(available >= 64);
	const uint8_t *data = NULL;
	size_t length = 0;
	BT_EQ(wc_channel_get_packet(p.ch_b, &data, &length), BP_CORE_STATUS_OK);
	BT_EQ(length, 256 * KIB);
	tc_pair_free(&p);
}

/* Negotiated on both ends: a channel received in-band reports itself reliable (README,
 * "Known limits"), so only an out-of-band channel knows it is unreliable on both sides. */
static void test_unreliable_receive_limit_drops_oldest(void) {
	tc_pair p;
	BT_EQ(tc_connect(&p, "{\"negotiated\":true,\"id\":3,\"maxRetransmits\":0}", 20000), 0);
	static uint8_t chunk[64 * KIB];
	uint64_t total = 0;
	uint64_t deadline = tc_now_ms() + 20000;
	while (total < 40ull * 1024 * 1024 && tc_now_ms() < deadline) {
		memcpy(chunk, &total, sizeof(total));
		if (wc_channel_put_packet(p.ch_a, chunk, sizeof(chunk)) == BP_CORE_STATUS_OK) {
			total += sizeof(chunk);
		} else {
			wc_wait(2);
		}
	}
	uint64_t dropped = 0;
	deadline = tc_now_ms() + 10000;
	while (tc_now_ms() < deadline && dropped == 0) {
		wc_wait(10);
		wc_channel_get_dropped_count(p.ch_b, &dropped);
	}
	int64_t buffered = 1;
	for (int i = 0; i < 200 && buffered != 0; i++) {
		wc_wait(10);
		wc_channel_get_buffered_amount(p.ch_a, &buffered);
	}
	wc_channel_get_dropped_count(p.ch_b, &dropped);
	int32_t state = -1;
	wc_channel_get_ready_state(p.ch_b, &state);
	BT_EQ(state, BP_CHANNEL_STATE_OPEN);
	BT_CHECK(dropped > 0);
	int32_t available = 0;
	wc_channel_get_available_packet_count(p.ch_b, &available);
	BT_CHECK((uint64_t)available * sizeof(chunk) <= BP_RECEIVE_LIMIT_BYTES);
	/* The oldest went first: the first packet left is not the first sent. */
	const uint8_t *data = NULL;
	size_t length = 0;
	uint64_t first = 0;
	BT_EQ(wc_channel_get_packet(p.ch_b, &data, &length), BP_CORE_STATUS_OK);
	if (data != NULL && length >= sizeof(first)) {
		memcpy(&first, data, sizeof(first));
	}
	BT_CHECK(first > 0);
	tc_logs_clear();
	wc_channel_poll(p.ch_b);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_WARNING, "oldest unread packets"), 1);
	tc_pair_free(&p);
}

static void test_doorbell_quiet_while_worker_awake(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	static uint8_t chunk[KIB];
	wc_stats before;
	wc_get_stats(&before);
	int sent = 0;
	int received = 0;
	uint64_t deadline = tc_now_ms() + 30000;
	while (received < 5000 && tc_now_ms() < deadline) {
		if (sent < 5000 && wc_channel_put_packet(pair.ch_a, chunk, sizeof(chunk)) == BP_CORE_STATUS_OK) {
			sent++;
			continue;
		}
		const uint8_t *data;
		size_t length;
		while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
			received++;
		}
		if (sent == 5000) {
			wc_wait(2);
		}
	}
	wc_stats after;
	wc_get_stats(&after);
	uint64_t rings = after.doorbell_rings - before.doorbell_rings;
	fprintf(stderr, "  5000 x 1 KiB: %llu doorbell rings on the send path\n", (unsigned long long)rings);
	BT_EQ(received, 5000);
	BT_CHECK(rings * 10 < 5000);
}

/* A game sends once a frame: the worker keeps checking the ring between frames, so the
 * game's thread rings no doorbell (no system call) after the first frame (issue 10). */
static void test_no_doorbell_at_frame_cadence(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	static uint8_t message[64];
	const int frames = 30;
	wc_stats before;
	wc_stats after;
	int received = 0;
	for (int frame = 0; frame < frames; frame++) {
		if (frame == 1) {
			wc_get_stats(&before); /* the first frame may find the worker asleep */
		}
		BT_EQ(wc_channel_put_packet(pair.ch_a, message, sizeof(message)), BP_CORE_STATUS_OK);
		struct timespec frame_time = { 0, 16 * 1000000L };
		nanosleep(&frame_time, NULL);
		const uint8_t *data;
		size_t length;
		while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
			received++;
		}
	}
	wc_get_stats(&after);
	uint64_t deadline = tc_now_ms() + 5000;
	while (received < frames && tc_now_ms() < deadline) {
		const uint8_t *data;
		size_t length;
		while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
			received++;
		}
		wc_wait(2);
	}
	uint64_t rings = after.doorbell_rings - before.doorbell_rings;
	fprintf(stderr, "  %d frames of 16 ms, one packet each: %llu doorbell rings after the first\n", frames,
			(unsigned long long)rings);
	BT_EQ(received, frames);
	BT_EQ(rings, 0);
}

typedef struct sender {
	wc_handle channel;
	int sent;
	int errors;
} sender;

static void *send_from_thread(void *p_arg) {
	sender *s = p_arg;
	uint8_t message[512];
	while (s->sent < 2000) {
		memcpy(message, &s->sent, sizeof(s->sent));
		wc_status status = wc_channel_put_packet(s->channel, message, sizeof(message));
		if (status == BP_CORE_STATUS_OK) {
			s->sent++;
		} else if (status != BP_CORE_STATUS_BUSY) {
			s->errors++;
			return NULL;
		}
		int64_t buffered = 0;
		wc_channel_get_buffered_amount(s->channel, &buffered); /* getters from two threads too */
	}
	return NULL;
}

/* Two threads put on the two ends while this one reads both: one lock, nothing lost. */
static void test_calls_from_several_threads(void) {
	BT_CHECK(connected);
	if (!connected) {
		return;
	}
	sender senders[2] = { { pair.ch_a, 0, 0 }, { pair.ch_b, 0, 0 } };
	pthread_t threads[2];
	for (int i = 0; i < 2; i++) {
		pthread_create(&threads[i], NULL, send_from_thread, &senders[i]);
	}
	int next[2] = { 0, 0 };
	wc_handle readers[2] = { pair.ch_b, pair.ch_a };
	uint64_t deadline = tc_now_ms() + 30000;
	while ((next[0] < 2000 || next[1] < 2000) && tc_now_ms() < deadline) {
		for (int i = 0; i < 2; i++) {
			const uint8_t *data;
			size_t length;
			while (wc_channel_get_packet(readers[i], &data, &length) == BP_CORE_STATUS_OK) {
				int seq = -1;
				memcpy(&seq, data, sizeof(seq));
				BT_EQ(seq, next[i]);
				next[i]++;
			}
		}
		wc_wait(2);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(threads[i], NULL);
		BT_EQ(senders[i].errors, 0);
		BT_EQ(next[i], 2000);
	}
}

static void test_one_worker_serves_every_peer(void) {
	wc_stats stats;
	wc_get_stats(&stats);
	BT_EQ(stats.workers_started, 1);
	BT_CHECK(stats.worker_pid > 0);
	BT_CHECK(tc_process_alive(stats.worker_pid));
}

static void test_shutdown_leaves_nothing(void) {
	wc_stats stats;
	wc_get_stats(&stats);
	tc_pair_free(&pair);
	wc_shutdown();
	BT_CHECK(!tc_process_alive(stats.worker_pid));
	BT_EQ(tc_bridge_memory_left(), 0);
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	tc_configure();
	BT_RUN(test_pair_connects_with_signals_in_order);
	BT_RUN(test_signals_only_after_poll);
	BT_RUN(test_thousand_messages_each_way);
	BT_RUN(test_largest_message_fits_one_record);
	BT_RUN(test_put_packet_local_checks);
	BT_RUN(test_bad_input_returns_core_statuses);
	BT_RUN(test_stale_handles_are_statuses);
	BT_RUN(test_doorbell_quiet_while_worker_awake);
	BT_RUN(test_no_doorbell_at_frame_cadence);
	BT_RUN(test_calls_from_several_threads);
	BT_RUN(test_busy_then_reliable_receive_limit_closes_loudly);
	BT_RUN(test_unreliable_receive_limit_drops_oldest);
	BT_RUN(test_one_worker_serves_every_peer);
	BT_RUN(test_shutdown_leaves_nothing);
	return bt_finish();
}
