/* The C-client side of scripts/bench/godot.mjs: the bridge's client (bridge/client) with no
 * Godot above it, driven by lines on stdin, so the benchmark can set it beside node-datachannel
 * alone and beside Godot in one run. It extends bridge/client/tests/bench_client.c (reliable
 * throughput only) to every measure of the Godot scene, and every loop here is the loop the
 * scene runs (godot-project/bench/godot3/lib/measure.gd), call for call: the difference
 * between the two is what the engine and the shim add.
 *
 *   stdin (one command a line)           stdout (one JSON line per command)
 *   open                                 {"t":"reply","pid","worker","ms"}  the bench pair
 *   throughput <bytes> <reliable> <ms>   {"t":"reply","messages","bytes","seconds","lost"}
 *   rtt <count>                          {"t":"reply","rtts":[µs...],"lost"}
 *   calls <batches>                      {"t":"reply","put64","put1k","put16k","get"}  µs per call
 *   setup <pairs> <repeat>               {"t":"reply","times":[ms...],"failed"}
 *   warm                                 {"t":"reply","pid","worker"}   worker started, no pair
 *   fleet <connections>                  {"t":"reply","opened","ms","poll":{"1","32","256"}}
 *   idle <ms>                            {"t":"reply","frames"}   60 Hz poll() of the fleet
 *   steady <messages> <per frame> <frame µs>   {"t":"reply","sent","received","frames"}
 *   remote offer|answer                  {"t":"signal",...} lines, then {"t":"reply","open":true}
 *   desc <type> <base64 sdp>             (during remote) the other process's description
 *   cand <index> <base64 mid> <base64 candidate>
 *   ping <count> / echo <count> <ms>     the two-process round trip
 *   stats                                {"t":"reply","rings","waits","commands","events","overflowed"} so far
 *   quit
 *
 * Every configuration pins ICE to loopback (TC_LOOPBACK). Every loop is bounded in count and
 * in time. Built optimized and unsanitized by scripts/bench/godot.mjs: it measures. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/tc.h"
#include "wc_private.h" /* wc_now_ns */

#define WINDOW (1 << 20) /* bytes in flight, as in scripts/bench/core-vs-ndc.ts */
#define STALL_US 200000 /* an unreliable window with nothing arriving this long is lost */
#define IDLE_US 50 /* the sleep of a loop iteration that moved nothing */
#define MAX_PAIRS 512
#define MARK_BEGIN "/nonexistent-godot-webrtc-bench/steady-begin"
#define MARK_END "/nonexistent-godot-webrtc-bench/steady-end"
#define UNRELIABLE "{\"ordered\":false,\"maxRetransmits\":0}"

typedef struct cp_pair {
	wc_handle a;
	wc_handle b;
	wc_handle rel_a; /* "rel" on a, and as b received it */
	wc_handle rel_b;
	wc_handle unrel_a;
	wc_handle unrel_b;
	int failures;
	double opened_ms; /* 0 until both ends are open */
} cp_pair;

static cp_pair cp_bench;
static cp_pair cp_pairs[MAX_PAIRS];
static int cp_pair_count;
static uint8_t cp_payload[256 * 1024];

static double cp_now_us(void) {
	return (double)wc_now_ns() / 1000.0;
}

static void cp_sleep_us(double p_us) {
	if (p_us <= 0) {
		return;
	}
	struct timespec ts = { (time_t)(p_us / 1e6), (long)((p_us - (double)(time_t)(p_us / 1e6) * 1e6) * 1000.0) };
	nanosleep(&ts, NULL);
}

/* ---- stdin lines (read(2) and a buffer of our own, so poll(2) on the descriptor never
 * misses a line a stdio buffer already holds) ---- */

static char cp_in[1 << 20];
static size_t cp_in_used;

/* The next line, NUL-terminated and without its newline, in r_line (valid until the next
 * call): 1, or 0 when none came within p_timeout_ms (-1: wait), or -1 at end of input. */
static int cp_read_line(char **r_line, int p_timeout_ms) {
	static size_t consumed;
	if (consumed > 0) {
		memmove(cp_in, cp_in + consumed, cp_in_used - consumed);
		cp_in_used -= consumed;
		consumed = 0;
	}
	for (;;) {
		char *newline = memchr(cp_in, '\n', cp_in_used);
		if (newline != NULL) {
			*newline = '\0';
			*r_line = cp_in;
			consumed = (size_t)(newline - cp_in) + 1;
			return 1;
		}
		if (cp_in_used == sizeof(cp_in)) {
			return -1; /* a line longer than the buffer: not ours */
		}
		struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
		int ready = poll(&in, 1, p_timeout_ms);
		if (ready == 0) {
			return 0;
		}
		if (ready < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		ssize_t got = read(STDIN_FILENO, cp_in + cp_in_used, sizeof(cp_in) - cp_in_used);
		if (got <= 0) {
			return -1;
		}
		cp_in_used += (size_t)got;
	}
}

/* ---- JSON and base64 ---- */

static void cp_json_string(const char *p_text, size_t p_length) {
	putchar('"');
	for (size_t i = 0; i < p_length; i++) {
		unsigned char ch = (unsigned char)p_text[i];
		if (ch == '"' || ch == '\\') {
			printf("\\%c", ch);
		} else if (ch == '\n') {
			fputs("\\n", stdout);
		} else if (ch == '\r') {
			fputs("\\r", stdout);
		} else if (ch < 0x20) {
			printf("\\u%04x", ch);
		} else {
			putchar(ch);
		}
	}
	putchar('"');
}

static int cp_b64_value(char p_ch) {
	if (p_ch >= 'A' && p_ch <= 'Z') return p_ch - 'A';
	if (p_ch >= 'a' && p_ch <= 'z') return p_ch - 'a' + 26;
	if (p_ch >= '0' && p_ch <= '9') return p_ch - '0' + 52;
	if (p_ch == '+') return 62;
	if (p_ch == '/') return 63;
	return -1;
}

/* Decodes in place; returns the length. */
static size_t cp_b64_decode(char *p_text) {
	size_t out = 0;
	uint32_t bits = 0;
	int count = 0;
	for (const char *at = p_text; *at != '\0'; at++) {
		int v = cp_b64_value(*at);
		if (v < 0) {
			continue;
		}
		bits = (bits << 6) | (uint32_t)v;
		count += 6;
		if (count >= 8) {
			count -= 8;
			p_text[out++] = (char)((bits >> count) & 0xff);
		}
	}
	p_text[out] = '\0';
	return out;
}

static int cp_compare(const void *p_a, const void *p_b) {
	double a = *(const double *)p_a;
	double b = *(const double *)p_b;
	return a < b ? -1 : a > b ? 1 : 0;
}

static double cp_median(double *p_values, int p_count) {
	qsort(p_values, (size_t)p_count, sizeof(double), cp_compare);
	return p_count > 0 ? p_values[p_count / 2] : 0;
}

/* ---- pairs: both peers here, signalled by direct calls ---- */

static void cp_relay(cp_pair *p_pair, wc_handle p_self, wc_handle p_other) {
	uint32_t count = 0;
	if (wc_peer_poll(p_self, &count) != BP_CORE_STATUS_OK) {
		return;
	}
	wc_signal signal;
	while (wc_peer_next_signal(p_self, &signal) == BP_CORE_STATUS_OK) {
		if (signal.kind == WC_SIGNAL_SESSION_DESCRIPTION_CREATED) {
			if (wc_peer_set_local_description(p_self, signal.type.data, signal.type.length, signal.sdp.data, signal.sdp.length) != 0 ||
					wc_peer_set_remote_description(p_other, signal.type.data, signal.type.length, signal.sdp.data, signal.sdp.length) != 0) {
				p_pair->failures++;
			}
		} else if (signal.kind == WC_SIGNAL_ICE_CANDIDATE_CREATED) {
			if (wc_peer_add_ice_candidate(p_other, signal.mid.data, signal.mid.length, signal.index, signal.candidate.data,
						signal.candidate.length) != 0) {
				p_pair->failures++;
			}
		} else if (signal.kind == WC_SIGNAL_DATA_CHANNEL_RECEIVED) {
			wc_channel_info info;
			bool unrel = wc_channel_get_info(signal.channel, &info) == BP_CORE_STATUS_OK && info.label.length == 5;
			*(unrel ? &p_pair->unrel_b : &p_pair->rel_b) = signal.channel;
		}
	}
}

static bool cp_open(wc_handle p_channel) {
	return tc_ready(p_channel) == BP_CHANNEL_STATE_OPEN;
}

static bool cp_pair_open(const cp_pair *p_pair) {
	return cp_open(p_pair->rel_a) && cp_open(p_pair->rel_b) &&
			(p_pair->unrel_a == 0 || (cp_open(p_pair->unrel_a) && cp_open(p_pair->unrel_b)));
}

static void cp_pair_poll(cp_pair *p_pair) {
	cp_relay(p_pair, p_pair->a, p_pair->b);
	cp_relay(p_pair, p_pair->b, p_pair->a);
}

/* new + initialize both, the channels on a ("rel", and "unrel" when asked), create_offer. */
static int cp_pair_start(cp_pair *r_pair, bool p_unreliable_too) {
	memset(r_pair, 0, sizeof(*r_pair));
	if (wc_peer_create(&r_pair->a) != 0 || wc_peer_create(&r_pair->b) != 0 ||
			wc_peer_initialize(r_pair->a, TC_LOOPBACK, strlen(TC_LOOPBACK)) != 0 ||
			wc_peer_initialize(r_pair->b, TC_LOOPBACK, strlen(TC_LOOPBACK)) != 0 ||
			wc_peer_create_data_channel(r_pair->a, "rel", 3, "{}", 2, &r_pair->rel_a) != 0) {
		return -1;
	}
	if (p_unreliable_too &&
			wc_peer_create_data_channel(r_pair->a, "unrel", 5, UNRELIABLE, strlen(UNRELIABLE), &r_pair->unrel_a) != 0) {
		return -1;
	}
	return wc_peer_create_offer(r_pair->a) == 0 ? 0 : -1;
}

static void cp_pair_free(cp_pair *p_pair) {
	wc_handle channels[4] = { p_pair->rel_a, p_pair->rel_b, p_pair->unrel_a, p_pair->unrel_b };
	for (int i = 0; i < 4; i++) {
		if (channels[i] != 0) {
			wc_channel_free(channels[i]);
		}
	}
	wc_peer_free(p_pair->a);
	wc_peer_free(p_pair->b);
	memset(p_pair, 0, sizeof(*p_pair));
}

/* Start p_count pairs at once and poll them all (every 200 µs) until all are open: each
 * pair's opened_ms counts from the start of the batch. Returns how many opened. */
static int cp_pairs_open(cp_pair *p_pairs, int p_count, int p_timeout_ms) {
	double start = cp_now_us();
	for (int i = 0; i < p_count; i++) {
		if (cp_pair_start(&p_pairs[i], false) != 0) {
			p_pairs[i].failures++;
		}
	}
	int opened = 0;
	double deadline = start + p_timeout_ms * 1000.0;
	while (opened < p_count && cp_now_us() < deadline) {
		for (int i = 0; i < p_count; i++) {
			cp_pair_poll(&p_pairs[i]);
			if (p_pairs[i].opened_ms == 0 && cp_pair_open(&p_pairs[i])) {
				p_pairs[i].opened_ms = (cp_now_us() - start) / 1000.0;
				opened++;
			}
		}
		cp_sleep_us(200);
	}
	return opened;
}

/* ---- the measures ---- */

static void cp_reply_pids(double p_ms) {
	wc_stats stats;
	wc_get_stats(&stats);
	printf("{\"t\":\"reply\",\"pid\":%d,\"worker\":%d,\"ms\":%.3f}\n", (int)getpid(), (int)stats.worker_pid, p_ms);
}

static void cp_open_bench(void) {
	double start = cp_now_us();
	if (cp_pair_start(&cp_bench, true) != 0) {
		printf("{\"t\":\"reply\",\"error\":\"the bench pair did not start\"}\n");
		return;
	}
	double deadline = start + 20e6;
	while (!cp_pair_open(&cp_bench) && cp_now_us() < deadline) {
		cp_pair_poll(&cp_bench);
		cp_sleep_us(200);
	}
	if (!cp_pair_open(&cp_bench)) {
		printf("{\"t\":\"reply\",\"error\":\"the bench pair did not open\"}\n");
		return;
	}
	cp_reply_pids((cp_now_us() - start) / 1000.0);
}

/* Read everything waiting on p_rx; returns the bytes. */
static uint64_t cp_drain(wc_handle p_rx, uint64_t *r_messages) {
	uint64_t bytes = 0;
	int32_t count = 0;
	wc_channel_get_available_packet_count(p_rx, &count);
	for (int32_t i = 0; i < count; i++) {
		const uint8_t *data;
		size_t length;
		if (wc_channel_get_packet(p_rx, &data, &length) == BP_CORE_STATUS_OK) {
			bytes += length;
			(*r_messages)++;
		}
	}
	return bytes;
}

/* Read until nothing has arrived for 100 ms (5 s at most), so the next measure starts empty. */
static void cp_settle(wc_handle p_rx) {
	double deadline = cp_now_us() + 5e6;
	double quiet_since = cp_now_us();
	uint64_t messages = 0;
	while (cp_now_us() < deadline && cp_now_us() - quiet_since < 100000) {
		cp_pair_poll(&cp_bench);
		if (cp_drain(p_rx, &messages) > 0) {
			quiet_since = cp_now_us();
		}
		cp_sleep_us(1000);
	}
}

static void cp_throughput(size_t p_size, bool p_reliable, int p_ms) {
	wc_handle tx = p_reliable ? cp_bench.rel_a : cp_bench.unrel_a;
	wc_handle rx = p_reliable ? cp_bench.rel_b : cp_bench.unrel_b;
	memset(cp_payload, 7, p_size);
	uint64_t sent = 0, got = 0, messages = 0, lost = 0;
	double start = cp_now_us();
	double end = start + p_ms * 1000.0;
	double now = start;
	double last = start;
	while (now < end) {
		cp_pair_poll(&cp_bench);
		bool progress = false;
		while (sent - got < WINDOW) {
			if (wc_channel_put_packet(tx, cp_payload, p_size) != BP_CORE_STATUS_OK) {
				break;
			}
			sent += p_size;
			progress = true;
		}
		uint64_t bytes = cp_drain(rx, &messages);
		got += bytes;
		now = cp_now_us();
		if (bytes > 0) {
			progress = true;
			last = now;
		} else if (!p_reliable && sent > got && now - last > STALL_US) {
			lost += sent - got;
			sent = got;
			last = now;
		}
		if (!progress) {
			cp_sleep_us(IDLE_US);
		}
	}
	double seconds = (now - start) / 1e6;
	cp_settle(rx);
	printf("{\"t\":\"reply\",\"messages\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"lost\":%llu}\n", (unsigned long long)messages,
			(unsigned long long)got, seconds, (unsigned long long)(lost / p_size));
}

static void cp_rtt(int p_count) {
	memset(cp_payload, 1, 64);
	printf("{\"t\":\"reply\",\"rtts\":[");
	int lost = 0;
	for (int i = 0; i < p_count; i++) {
		double t0 = cp_now_us();
		wc_channel_put_packet(cp_bench.rel_a, cp_payload, 64);
		double deadline = t0 + 1e6;
		for (;;) {
			int32_t count = 0;
			const uint8_t *data;
			size_t length;
			wc_channel_get_available_packet_count(cp_bench.rel_b, &count);
			if (count > 0 && wc_channel_get_packet(cp_bench.rel_b, &data, &length) == BP_CORE_STATUS_OK) {
				wc_channel_put_packet(cp_bench.rel_b, data, length);
			}
			wc_channel_get_available_packet_count(cp_bench.rel_a, &count);
			if (count > 0) {
				wc_channel_get_packet(cp_bench.rel_a, &data, &length);
				printf("%s%.1f", i > lost ? "," : "", cp_now_us() - t0);
				break;
			}
			if (cp_now_us() > deadline) {
				lost++;
				break;
			}
		}
	}
	printf("],\"lost\":%d}\n", lost);
}

/* Wait (polling every ms, 5 s at most) until p_want packets wait on p_rx. */
static bool cp_wait_count(wc_handle p_rx, int32_t p_want) {
	double deadline = cp_now_us() + 5e6;
	int32_t count = 0;
	while (cp_now_us() < deadline) {
		cp_pair_poll(&cp_bench);
		wc_channel_get_available_packet_count(p_rx, &count);
		if (count >= p_want) {
			return true;
		}
		cp_sleep_us(1000);
	}
	return false;
}

static double cp_put_cost(size_t p_size, int p_n, int p_batches) {
	double per[64];
	memset(cp_payload, 7, p_size);
	for (int batch = 0; batch < p_batches && batch < 64; batch++) {
		double t0 = cp_now_us();
		for (int i = 0; i < p_n; i++) {
			wc_channel_put_packet(cp_bench.rel_a, cp_payload, p_size);
		}
		per[batch] = (cp_now_us() - t0) / p_n;
		cp_wait_count(cp_bench.rel_b, p_n);
		uint64_t messages = 0;
		cp_drain(cp_bench.rel_b, &messages);
	}
	return cp_median(per, p_batches < 64 ? p_batches : 64);
}

static double cp_get_cost(int p_n, int p_batches) {
	double per[64];
	memset(cp_payload, 7, 64);
	for (int batch = 0; batch < p_batches && batch < 64; batch++) {
		for (int i = 0; i < p_n; i++) {
			wc_channel_put_packet(cp_bench.rel_a, cp_payload, 64);
		}
		cp_wait_count(cp_bench.rel_b, p_n);
		const uint8_t *data;
		size_t length;
		double t0 = cp_now_us();
		for (int i = 0; i < p_n; i++) {
			wc_channel_get_packet(cp_bench.rel_b, &data, &length);
		}
		per[batch] = (cp_now_us() - t0) / p_n;
	}
	return cp_median(per, p_batches < 64 ? p_batches : 64);
}

static void cp_calls(int p_batches) {
	cp_settle(cp_bench.rel_b);
	double put64 = cp_put_cost(64, 1000, p_batches);
	double put1k = cp_put_cost(1024, 1000, p_batches);
	double put16k = cp_put_cost(16384, 200, p_batches);
	double get = cp_get_cost(1000, p_batches);
	printf("{\"t\":\"reply\",\"put64\":%.4f,\"put1k\":%.4f,\"put16k\":%.4f,\"get\":%.4f}\n", put64, put1k, put16k, get);
}

static void cp_close_pairs(void) {
	for (int i = 0; i < cp_pair_count; i++) {
		cp_pair_free(&cp_pairs[i]);
	}
	cp_pair_count = 0;
}

static void cp_setup(int p_pairs, int p_repeat) {
	if (p_pairs > MAX_PAIRS) {
		p_pairs = MAX_PAIRS;
	}
	printf("{\"t\":\"reply\",\"times\":[");
	int failed = 0;
	int printed = 0;
	for (int r = 0; r < p_repeat; r++) {
		cp_pair_count = p_pairs;
		cp_pairs_open(cp_pairs, p_pairs, 30000);
		for (int i = 0; i < p_pairs; i++) {
			if (cp_pairs[i].opened_ms > 0) {
				printf("%s%.3f", printed++ > 0 ? "," : "", cp_pairs[i].opened_ms);
			} else {
				failed++;
			}
		}
		cp_close_pairs();
	}
	printf("],\"failed\":%d}\n", failed);
}

static void cp_warm(void) {
	wc_handle peer = 0;
	wc_peer_create(&peer);
	wc_peer_initialize(peer, TC_LOOPBACK, strlen(TC_LOOPBACK)); /* starts the worker */
	cp_reply_pids(0);
}

static double cp_poll_cost(int p_peers, int p_reps) {
	double per[256];
	if (p_reps > 256) {
		p_reps = 256;
	}
	uint32_t count = 0;
	for (int r = 0; r < p_reps; r++) {
		double t0 = cp_now_us();
		for (int i = 0; i < p_peers; i++) {
			wc_peer_poll(i % 2 == 0 ? cp_pairs[i / 2].a : cp_pairs[i / 2].b, &count);
		}
		per[r] = cp_now_us() - t0;
		cp_sleep_us(1000);
	}
	return cp_median(per, p_reps);
}

static void cp_fleet(int p_connections) {
	int pairs = p_connections / 2 > MAX_PAIRS ? MAX_PAIRS : p_connections / 2;
	double start = cp_now_us();
	int opened = 0;
	for (int at = 0; at < pairs; at += 32) {
		int batch = pairs - at < 32 ? pairs - at : 32;
		opened += cp_pairs_open(&cp_pairs[at], batch, 60000);
		cp_pair_count = at + batch;
	}
	double ms = (cp_now_us() - start) / 1000.0;
	/* Let the last signals and states settle, then measure poll() of idle connections. */
	for (int k = 0; k < 50; k++) {
		for (int i = 0; i < cp_pair_count; i++) {
			cp_pair_poll(&cp_pairs[i]);
		}
		cp_sleep_us(2000);
	}
	double p1 = cp_poll_cost(1, 200);
	double p32 = cp_poll_cost(32 <= 2 * cp_pair_count ? 32 : 2 * cp_pair_count, 200);
	double p256 = cp_poll_cost(256 <= 2 * cp_pair_count ? 256 : 2 * cp_pair_count, 200);
	printf("{\"t\":\"reply\",\"opened\":%d,\"ms\":%.1f,\"poll\":{\"1\":%.3f,\"32\":%.3f,\"256\":%.3f}}\n", 2 * opened, ms, p1, p32,
			p256);
}

static void cp_idle(int p_ms) {
	double start = cp_now_us();
	double frame = 1e6 / 60.0;
	int frames = 0;
	uint32_t count = 0;
	while (cp_now_us() - start < p_ms * 1000.0) {
		double t0 = cp_now_us();
		for (int i = 0; i < cp_pair_count; i++) {
			wc_peer_poll(cp_pairs[i].a, &count);
			wc_peer_poll(cp_pairs[i].b, &count);
		}
		frames++;
		cp_sleep_us(frame - (cp_now_us() - t0));
	}
	printf("{\"t\":\"reply\",\"frames\":%d}\n", frames);
}

/* 64-byte messages a -> b, p_per_frame each frame of p_frame_us, as a game sends them; 30
 * frames first to reach steady state, then the measured window between the two marker
 * look-ups (an strace of this thread counts what lies between them). */
static void cp_steady(int p_messages, int p_per_frame, int p_frame_us) {
	memset(cp_payload, 5, 64);
	uint64_t ignored = 0;
	for (int f = 0; f < 30; f++) {
		double t0 = cp_now_us();
		cp_pair_poll(&cp_bench);
		for (int i = 0; i < p_per_frame; i++) {
			wc_channel_put_packet(cp_bench.rel_a, cp_payload, 64);
		}
		cp_drain(cp_bench.rel_b, &ignored);
		cp_sleep_us(p_frame_us - (cp_now_us() - t0));
	}
	int sent = 0;
	uint64_t received = 0;
	int frames = 0;
	double deadline = cp_now_us() + 20e6;
	(void)!access(MARK_BEGIN, F_OK);
	while ((received < (uint64_t)p_messages || sent < p_messages) && cp_now_us() < deadline) {
		double t0 = cp_now_us();
		cp_pair_poll(&cp_bench);
		for (int i = 0; i < p_per_frame && sent < p_messages; i++, sent++) {
			wc_channel_put_packet(cp_bench.rel_a, cp_payload, 64);
		}
		cp_drain(cp_bench.rel_b, &received);
		frames++;
		cp_sleep_us(p_frame_us - (cp_now_us() - t0));
	}
	(void)!access(MARK_END, F_OK);
	printf("{\"t\":\"reply\",\"sent\":%d,\"received\":%llu,\"frames\":%d}\n", sent, (unsigned long long)received, frames);
}

/* ---- one peer of two processes, signalled through the benchmark's relay ---- */

static wc_handle cp_remote_pc;
static wc_handle cp_remote_ch;

static void cp_remote_signals(void) {
	uint32_t count = 0;
	if (wc_peer_poll(cp_remote_pc, &count) != BP_CORE_STATUS_OK) {
		return;
	}
	wc_signal signal;
	while (wc_peer_next_signal(cp_remote_pc, &signal) == BP_CORE_STATUS_OK) {
		if (signal.kind == WC_SIGNAL_SESSION_DESCRIPTION_CREATED) {
			wc_peer_set_local_description(cp_remote_pc, signal.type.data, signal.type.length, signal.sdp.data, signal.sdp.length);
			printf("{\"t\":\"signal\",\"kind\":\"desc\",\"type\":");
			cp_json_string(signal.type.data, signal.type.length);
			printf(",\"sdp\":");
			cp_json_string(signal.sdp.data, signal.sdp.length);
			printf("}\n");
		} else if (signal.kind == WC_SIGNAL_ICE_CANDIDATE_CREATED) {
			printf("{\"t\":\"signal\",\"kind\":\"cand\",\"index\":%d,\"mid\":", (int)signal.index);
			cp_json_string(signal.mid.data, signal.mid.length);
			printf(",\"name\":");
			cp_json_string(signal.candidate.data, signal.candidate.length);
			printf("}\n");
		} else if (signal.kind == WC_SIGNAL_DATA_CHANNEL_RECEIVED) {
			cp_remote_ch = signal.channel;
		}
	}
	fflush(stdout);
}

/* A "desc"/"cand" line from the other process. */
static void cp_remote_apply(char *p_line) {
	char *save = NULL;
	char *word = strtok_r(p_line, " \n", &save);
	if (word != NULL && strcmp(word, "desc") == 0) {
		char *type = strtok_r(NULL, " \n", &save);
		char *sdp = strtok_r(NULL, " \n", &save);
		if (type != NULL && sdp != NULL) {
			size_t length = cp_b64_decode(sdp);
			wc_peer_set_remote_description(cp_remote_pc, type, strlen(type), sdp, length);
		}
	} else if (word != NULL && strcmp(word, "cand") == 0) {
		char *index = strtok_r(NULL, " \n", &save);
		char *mid = strtok_r(NULL, " \n", &save);
		char *name = strtok_r(NULL, " \n", &save);
		if (index != NULL && mid != NULL && name != NULL) {
			size_t mid_length = cp_b64_decode(mid);
			size_t name_length = cp_b64_decode(name);
			wc_peer_add_ice_candidate(cp_remote_pc, mid, mid_length, atoi(index), name, name_length);
		}
	}
}

static void cp_remote(const char *p_role) {
	wc_peer_create(&cp_remote_pc);
	wc_peer_initialize(cp_remote_pc, TC_LOOPBACK, strlen(TC_LOOPBACK));
	if (strcmp(p_role, "offer") == 0) {
		wc_peer_create_data_channel(cp_remote_pc, "rel", 3, "{}", 2, &cp_remote_ch);
		wc_peer_create_offer(cp_remote_pc);
	}
	double deadline = cp_now_us() + 30e6;
	while (!cp_open(cp_remote_ch) && cp_now_us() < deadline) {
		cp_remote_signals();
		char *line = NULL;
		int got = cp_read_line(&line, 1);
		if (got < 0) {
			break;
		}
		if (got > 0) {
			cp_remote_apply(line);
		}
	}
	printf("{\"t\":\"reply\",\"open\":%s}\n", cp_open(cp_remote_ch) ? "true" : "false");
}

static void cp_ping(int p_count) {
	memset(cp_payload, 1, 64);
	printf("{\"t\":\"reply\",\"rtts\":[");
	int lost = 0;
	for (int i = 0; i < p_count; i++) {
		double t0 = cp_now_us();
		wc_channel_put_packet(cp_remote_ch, cp_payload, 64);
		double deadline = t0 + 1e6;
		for (;;) {
			int32_t count = 0;
			wc_channel_get_available_packet_count(cp_remote_ch, &count);
			if (count > 0) {
				const uint8_t *data;
				size_t length;
				wc_channel_get_packet(cp_remote_ch, &data, &length);
				printf("%s%.1f", i > lost ? "," : "", cp_now_us() - t0);
				break;
			}
			if (cp_now_us() > deadline) {
				lost++;
				break;
			}
		}
	}
	printf("],\"lost\":%d}\n", lost);
}

static void cp_echo(int p_count, int p_ms) {
	int echoed = 0;
	double deadline = cp_now_us() + p_ms * 1000.0;
	while (echoed < p_count && cp_now_us() < deadline) {
		int32_t count = 0;
		wc_channel_get_available_packet_count(cp_remote_ch, &count);
		if (count > 0) {
			const uint8_t *data;
			size_t length;
			wc_channel_get_packet(cp_remote_ch, &data, &length);
			wc_channel_put_packet(cp_remote_ch, data, length);
			echoed++;
		}
	}
	printf("{\"t\":\"reply\",\"echoed\":%d}\n", echoed);
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	tc_configure();
	tc_log_echo = 1;
	char *line = NULL;
	while (cp_read_line(&line, -1) > 0) {
		char word[32] = "";
		char text[32] = "";
		long a = 0, b = 0, c = 0;
		int n = sscanf(line, "%31s %ld %ld %ld", word, &a, &b, &c);
		if (n < 1) {
			continue;
		}
		if (strcmp(word, "open") == 0) {
			cp_open_bench();
		} else if (strcmp(word, "throughput") == 0 && n == 4 && a > 0 && a <= 256 * 1024) {
			cp_throughput((size_t)a, b != 0, (int)c);
		} else if (strcmp(word, "rtt") == 0 && n >= 2) {
			cp_rtt((int)a);
		} else if (strcmp(word, "calls") == 0 && n >= 2) {
			cp_calls((int)a);
		} else if (strcmp(word, "setup") == 0 && n >= 3) {
			cp_setup((int)a, (int)b);
		} else if (strcmp(word, "warm") == 0) {
			cp_warm();
		} else if (strcmp(word, "fleet") == 0 && n >= 2) {
			cp_fleet((int)a);
		} else if (strcmp(word, "idle") == 0 && n >= 2) {
			cp_idle((int)a);
		} else if (strcmp(word, "steady") == 0 && n == 4) {
			cp_steady((int)a, (int)b, (int)c);
		} else if (strcmp(word, "remote") == 0 && sscanf(line, "%*s %31s", text) == 1) {
			cp_remote(text);
		} else if (strcmp(word, "ping") == 0 && n >= 2) {
			cp_ping((int)a);
		} else if (strcmp(word, "echo") == 0 && n >= 3) {
			cp_echo((int)a, (int)b);
		} else if (strcmp(word, "stats") == 0) {
			wc_stats stats;
			wc_get_stats(&stats);
			printf("{\"t\":\"reply\",\"rings\":%llu,\"waits\":%llu,\"commands\":%llu,\"events\":%llu,\"overflowed\":%llu}\n",
					(unsigned long long)stats.doorbell_rings, (unsigned long long)stats.doorbell_waits, (unsigned long long)stats.commands,
					(unsigned long long)stats.events, (unsigned long long)stats.overflowed);
		} else if (strcmp(word, "quit") == 0) {
			break;
		} else {
			printf("{\"t\":\"reply\",\"error\":\"bad command\"}\n");
		}
		fflush(stdout);
	}
	cp_close_pairs();
	wc_shutdown();
	return 0;
}
