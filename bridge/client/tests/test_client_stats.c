/* wc_peer_get_stats / wc_channel_get_stats against the REAL worker (build/worker/worker.mjs):
 * two peers of one client on loopback through node-datachannel. Names and numbers are the
 * ones extension/src/api/stats.test.ts checks on the TypeScript facade.
 *
 *   test_client_stats --worker build/worker/worker.mjs --node node --shm-addon shm.node
 */
#define _GNU_SOURCE
#include <signal.h>

#include "../../ring/tests/bt.h"
#include "tc.h"

static tc_pair pair;

static const int sizes_a[] = { 10, 20, 30, 40, 50, 1, 1, 1 };
static const int sizes_b[] = { 7, 8, 9 };
#define COUNT_A ((int)(sizeof(sizes_a) / sizeof(sizes_a[0])))
#define COUNT_B ((int)(sizeof(sizes_b) / sizeof(sizes_b[0])))

static int64_t sum(const int *p_sizes, int p_count) {
	int64_t total = 0;
	for (int i = 0; i < p_count; i++) {
		total += p_sizes[i];
	}
	return total;
}

/* Poll both peers (and wait on the doorbell) for up to p_ms. */
static void pump(int p_ms) {
	uint64_t until = tc_now_ms() + (uint64_t)p_ms;
	while (tc_now_ms() < until) {
		tc_relay(&pair, pair.a, pair.b);
		tc_relay(&pair, pair.b, pair.a);
		wc_wait(5);
	}
}

static int32_t read_all(wc_handle p_channel) {
	int32_t read = 0;
	const uint8_t *data = NULL;
	size_t length = 0;
	while (wc_channel_get_packet(p_channel, &data, &length) == BP_CORE_STATUS_OK) {
		read++;
	}
	return read;
}

static void test_new_peer_is_answered_without_a_worker(void) {
	wc_handle pc = 0;
	BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
	wc_stats before;
	wc_get_stats(&before);
	wc_peer_stats s;
	BT_EQ(wc_peer_get_stats(pc, &s), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(s.connection_state, "new") == 0 && strcmp(s.ice_state, "new") == 0 && strcmp(s.dtls_state, "new") == 0);
	BT_CHECK(strcmp(s.gathering_state, "new") == 0 && strcmp(s.signaling_state, "stable") == 0);
	BT_EQ(s.bytes_sent + s.bytes_received + s.packets_sent + s.packets_received + s.connected_msec, 0);
	BT_CHECK(s.rtt_msec == 0.0 && !s.has_selected_pair);
	wc_stats after;
	wc_get_stats(&after);
	BT_EQ(after.workers_started, before.workers_started); /* no worker was started for it */
	BT_EQ(wc_peer_free(pc), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_get_stats(pc, &s), BP_CORE_STATUS_STALE_HANDLE);
}

static void test_connected_pair(void) {
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	BT_CHECK(pair.ch_b != 0);
	/* a's messages spaced out, so SCTP measures an RTT from each delayed SACK. */
	uint8_t buffer[64];
	for (int i = 0; i < COUNT_A; i++) {
		memset(buffer, i, sizeof(buffer));
		BT_EQ(wc_channel_put_packet(pair.ch_a, buffer, (size_t)sizes_a[i]), BP_CORE_STATUS_OK);
		pump(30);
	}
	BT_EQ(wc_channel_set_write_mode(pair.ch_b, BP_CHANNEL_WRITE_MODE_TEXT), BP_CORE_STATUS_OK);
	for (int i = 0; i < COUNT_B; i++) {
		memset(buffer, 'x', sizeof(buffer));
		BT_EQ(wc_channel_put_packet(pair.ch_b, buffer, (size_t)sizes_b[i]), BP_CORE_STATUS_OK);
	}
	int32_t got_a = 0;
	int32_t got_b = 0;
	wc_peer_stats sa;
	wc_peer_stats sb;
	uint64_t deadline = tc_now_ms() + 10000;
	for (;;) {
		pump(10);
		got_b += read_all(pair.ch_b);
		got_a += read_all(pair.ch_a);
		BT_EQ(wc_peer_get_stats(pair.a, &sa), BP_CORE_STATUS_OK);
		BT_EQ(wc_peer_get_stats(pair.b, &sb), BP_CORE_STATUS_OK);
		bool settled = got_b == COUNT_A && got_a == COUNT_B && sa.rtt_msec > 0.0 && sa.bytes_sent == sb.bytes_received &&
				sb.bytes_sent == sa.bytes_received;
		if (settled || tc_now_ms() > deadline) {
			break;
		}
	}
	BT_EQ(got_b, COUNT_A);
	BT_EQ(got_a, COUNT_B);
	BT_CHECK(strcmp(sa.connection_state, "connected") == 0 && strcmp(sa.dtls_state, "connected") == 0);
	BT_CHECK(strcmp(sa.ice_state, "connected") == 0 || strcmp(sa.ice_state, "completed") == 0);
	BT_CHECK(strcmp(sa.gathering_state, "complete") == 0 && strcmp(sa.signaling_state, "stable") == 0);
	BT_CHECK(sa.connected_msec > 0);
	BT_CHECK(sa.rtt_msec > 0.0 && sa.rtt_msec < 1000.0);
	BT_CHECK(sa.rtt_smoothed_msec == sa.rtt_msec);
	BT_EQ(sa.bytes_sent, sum(sizes_a, COUNT_A));
	BT_EQ(sa.bytes_received, sum(sizes_b, COUNT_B));
	BT_EQ(sb.bytes_sent, sum(sizes_b, COUNT_B));
	BT_EQ(sb.bytes_received, sum(sizes_a, COUNT_A));
	BT_EQ(sa.packets_sent, COUNT_A);
	BT_EQ(sa.packets_received, COUNT_B);
	BT_EQ(sb.packets_sent, COUNT_B);
	BT_EQ(sb.packets_received, COUNT_A);
	BT_CHECK(sa.has_selected_pair && sb.has_selected_pair);
	BT_CHECK(strcmp(sa.local.type, "host") == 0 && strcmp(sa.remote.type, "host") == 0);
	BT_CHECK(strcmp(sa.local.address, "127.0.0.1") == 0 && strcmp(sa.remote.address, "127.0.0.1") == 0);
	BT_CHECK(strcmp(sa.local.transport, "udp") == 0 && strcmp(sb.remote.transport, "udp") == 0);
	/* b may name a's address peer-reflexive (a's candidates are held by the offerer's gate). */
	BT_CHECK(strcmp(sb.remote.type, "host") == 0 || strcmp(sb.remote.type, "prflx") == 0);
	BT_CHECK(sa.local.port > 0 && sa.local.port == sb.remote.port && sb.local.port == sa.remote.port);

	wc_channel_stats ca;
	BT_EQ(wc_channel_get_stats(pair.ch_a, &ca), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(ca.label.data, "chat") == 0 && strcmp(ca.ready_state, "open") == 0);
	int32_t state = 0;
	wc_channel_info info;
	BT_EQ(wc_channel_get_info(pair.ch_a, &info), BP_CORE_STATUS_OK);
	BT_EQ(ca.id, info.id);
	BT_EQ(ca.messages_sent, COUNT_A);
	BT_EQ(ca.bytes_sent, sum(sizes_a, COUNT_A));
	BT_EQ(ca.messages_received, COUNT_B);
	BT_EQ(ca.bytes_received, sum(sizes_b, COUNT_B));
	BT_EQ(ca.dropped_packets, 0);
	wc_channel_stats cb;
	BT_EQ(wc_channel_get_stats(pair.ch_b, &cb), BP_CORE_STATUS_OK);
	BT_EQ(cb.messages_sent, COUNT_B);
	BT_EQ(cb.messages_received, COUNT_A);
	BT_EQ(cb.bytes_received, sum(sizes_a, COUNT_A));
	(void)state;

	/* close(): states closed, no RTT or pair, the last counters kept. */
	BT_EQ(wc_peer_close(pair.a), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_get_stats(pair.a, &sa), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(sa.connection_state, "closed") == 0 && strcmp(sa.ice_state, "closed") == 0 &&
			strcmp(sa.dtls_state, "closed") == 0 && strcmp(sa.signaling_state, "closed") == 0);
	BT_CHECK(sa.rtt_msec == 0.0 && sa.connected_msec == 0 && !sa.has_selected_pair);
	BT_EQ(sa.bytes_sent, sum(sizes_a, COUNT_A));
	BT_EQ(sa.packets_sent, COUNT_A);
	BT_EQ(wc_channel_get_stats(pair.ch_a, &ca), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(ca.ready_state, "closed") == 0);
	BT_EQ(ca.messages_sent, COUNT_A);
	tc_pair_free(&pair);
	BT_EQ(wc_channel_get_stats(pair.ch_a, &ca), BP_CORE_STATUS_STALE_HANDLE);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, NULL), 0);
}

/* The worker dies: the peer answers locally (FAILED, no stack numbers), its channel CLOSED. */
static void test_worker_death(void) {
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	wc_stats stats;
	wc_get_stats(&stats);
	BT_CHECK(stats.worker_pid > 0);
	tc_log_echo = 0;
	kill(stats.worker_pid, SIGKILL);
	int32_t state = -1;
	uint64_t deadline = tc_now_ms() + 10000;
	while (tc_now_ms() < deadline && state != BP_CONNECTION_STATE_FAILED) {
		wc_wait(10);
		wc_peer_get_connection_state(pair.a, &state);
	}
	tc_log_echo = 1;
	BT_EQ(state, BP_CONNECTION_STATE_FAILED);
	wc_peer_stats s;
	BT_EQ(wc_peer_get_stats(pair.a, &s), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(s.connection_state, "failed") == 0 && strcmp(s.ice_state, "failed") == 0 && strcmp(s.dtls_state, "failed") == 0);
	BT_CHECK(s.rtt_msec == 0.0 && s.bytes_sent == 0 && s.packets_sent == 0 && !s.has_selected_pair);
	wc_channel_stats c;
	BT_EQ(wc_channel_get_stats(pair.ch_a, &c), BP_CORE_STATUS_OK);
	BT_CHECK(strcmp(c.ready_state, "closed") == 0 && c.messages_sent == 0 && c.bytes_received == 0);
	tc_pair_free(&pair);
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	tc_configure();
	BT_RUN(test_new_peer_is_answered_without_a_worker);
	BT_RUN(test_connected_pair);
	BT_RUN(test_worker_death);
	wc_shutdown();
	return bt_finish();
}
