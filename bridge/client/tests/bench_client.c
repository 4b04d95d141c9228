/* The C side of scripts/bench-bridge.mjs (optimized, unsanitized: it measures, it does not
 * test): one client, two peers connected through the worker on loopback, driven by lines on
 * stdin so the script can alternate it with node-datachannel alone in one run.
 *
 *   stdin:  "throughput <bytes> <ms>"  stream <bytes>-byte messages a -> b for <ms>
 *           "quit"
 *   stdout: "ready <worker pid>", then one JSON line per run:
 *           {"size","messages","bytes","seconds","rings","waits","commands","overflowed"}
 *
 * Back-pressure as in scripts/bench/core-vs-ndc.ts: put while get_buffered_amount() is
 * below 1 MiB; when there is nothing to do, sleep on the doorbell (wc_wait), never spin.
 * "rings" counts doorbell bytes this side sent, i.e. system calls on the send path. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wc_private.h" /* wc_now_ns */
#include "tc.h"

#define WINDOW (1 << 20)

static void drain(wc_handle p_channel, uint64_t *r_messages, uint64_t *r_bytes) {
	const uint8_t *data;
	size_t length;
	while (wc_channel_get_packet(p_channel, &data, &length) == BP_CORE_STATUS_OK) {
		(*r_messages)++;
		*r_bytes += length;
	}
}

static void throughput(const tc_pair *p_pair, size_t p_size, int p_ms) {
	static uint8_t payload[256 * 1024];
	memset(payload, 7, p_size);
	wc_stats before;
	wc_get_stats(&before);
	uint64_t messages = 0;
	uint64_t bytes = 0;
	uint64_t start = wc_now_ns();
	uint64_t end = start + (uint64_t)p_ms * 1000000ull;
	uint64_t now = start;
	while (now < end) {
		bool progress = false;
		int64_t buffered = 0;
		wc_channel_get_buffered_amount(p_pair->ch_a, &buffered);
		while (buffered < WINDOW && wc_channel_put_packet(p_pair->ch_a, payload, p_size) == BP_CORE_STATUS_OK) {
			buffered += (int64_t)p_size;
			progress = true;
		}
		uint64_t before_bytes = bytes;
		drain(p_pair->ch_b, &messages, &bytes);
		progress = progress || bytes != before_bytes;
		if (!progress) {
			wc_wait(1);
		}
		now = wc_now_ns();
	}
	double seconds = (double)(now - start) / 1e9;
	wc_stats after;
	wc_get_stats(&after);
	printf("{\"size\":%zu,\"messages\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"rings\":%llu,\"waits\":%llu,\"commands\":%llu,"
		   "\"overflowed\":%llu}\n",
			p_size, (unsigned long long)messages, (unsigned long long)bytes, seconds,
			(unsigned long long)(after.doorbell_rings - before.doorbell_rings),
			(unsigned long long)(after.doorbell_waits - before.doorbell_waits),
			(unsigned long long)(after.commands - before.commands),
			(unsigned long long)(after.overflowed - before.overflowed));
	fflush(stdout);
	/* Let the window drain so the next run starts empty. */
	uint64_t deadline = wc_now_ns() + 10000000000ull;
	int64_t buffered = 1;
	while (buffered != 0 && wc_now_ns() < deadline) {
		drain(p_pair->ch_b, &messages, &bytes);
		wc_channel_get_buffered_amount(p_pair->ch_a, &buffered);
		wc_wait(2);
	}
	for (int i = 0; i < 20; i++) {
		wc_wait(2);
		drain(p_pair->ch_b, &messages, &bytes);
	}
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	tc_configure();
	tc_pair pair;
	if (tc_connect(&pair, "{}", 20000) != 0) {
		fprintf(stderr, "bench_client: the pair did not connect\n");
		return 1;
	}
	wc_stats stats;
	wc_get_stats(&stats);
	printf("ready %d\n", (int)stats.worker_pid);
	fflush(stdout);
	char line[128];
	while (fgets(line, sizeof(line), stdin) != NULL) {
		size_t size = 0;
		int ms = 0;
		if (sscanf(line, "throughput %zu %d", &size, &ms) == 2 && size > 0 && size <= 256 * 1024 && ms > 0) {
			throughput(&pair, size, ms);
		} else if (strncmp(line, "quit", 4) == 0) {
			break;
		} else {
			printf("{\"error\":\"bad command\"}\n");
			fflush(stdout);
		}
	}
	tc_pair_free(&pair);
	wc_shutdown();
	return 0;
}
