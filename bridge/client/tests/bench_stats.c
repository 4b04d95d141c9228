/* A measurement, not a test (no pass or fail): wc_peer_get_stats / wc_channel_get_stats on a
 * connected loopback pair, 2000 calls each, median, p99 and max.
 *
 *   cc -std=c11 -O2 -pthread -o bench_stats bridge/client/tests/bench_stats.c bridge/client/wc_*.c \
 *       bridge/ring/ring.c bridge/ring/region.c bridge/ring/shm_*.c
 *   ./bench_stats --worker build/worker/worker.mjs --node $(command -v node) --shm-addon build/worker/shm.node
 */
#define _GNU_SOURCE
#include "tc.h"

static tc_pair pair;

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
	tc_parse(argc, argv);
	tc_configure();
	if (tc_connect(&pair, "{}", 20000) != 0) return 1;
	static uint64_t t[2000];
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 2000; i++) {
			uint64_t s = now_ns();
			if (k == 0) { wc_peer_stats st; wc_peer_get_stats(pair.a, &st); }
			else { wc_channel_stats st; wc_channel_get_stats(pair.ch_a, &st); }
			t[i] = now_ns() - s;
		}
		qsort(t, 2000, sizeof(t[0]), cmp);
		printf("%s: median %.1f us, p99 %.1f us, max %.1f us\n", k == 0 ? "wc_peer_get_stats" : "wc_channel_get_stats",
				t[1000] / 1000.0, t[1980] / 1000.0, t[1999] / 1000.0);
	}
	tc_pair_free(&pair);
	wc_shutdown();
	return 0;
}
