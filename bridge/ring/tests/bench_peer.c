/* Benchmark peer, C side (Godot's place), for scripts/bench-ring.mjs: creates the region,
 * a doorbell socketpair and two pipes, starts the Node side with the region on BP_REGION_FD,
 * the doorbell on BP_DOORBELL_FD, and right after them the C-to-Node pipe's read end, the
 * Node-to-C pipe's write end and a raw socketpair end, then measures, in one run and
 * between the same two processes:
 *   - 64 B round trips over the rings (spin then doorbell; doorbell only), over the pipes,
 *     and over a raw socketpair (what a doorbell-only round trip costs in wakeups alone),
 *   - one-way 16 KiB throughput C -> Node over the ring and over a pipe,
 *   - doorbell rings (system calls) on the ring's sending path.
 * Prints one line "BENCH_RESULT {json}". Control messages travel on the rings. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../region.h"
#include "../ring.h"
#include "peer.h"

enum {
	BC_PING = BP_RECORD_TYPE_MESSAGE_FIRST, /* C -> Node, echoed as PONG */
	BC_PONG,
	BC_DATA, /* C -> Node, copied out and counted */
	BC_END, /* C -> Node: answer with ACK */
	BC_ACK, /* Node -> C: [u32 records, u32 sleeps, u32 rings, u32 wakeups] */
	BC_MODE, /* C -> Node: [u32 spin_ns]; answered with ACK */
	BC_PIPE_RTT, /* C -> Node: [u32 rounds] of 64 B ping-pong on the pipes, then ACK */
	BC_PIPE_DATA, /* C -> Node: [u32 records] framed 16 KiB records on the pipe, then ACK */
	BC_QUIT,
	BC_SOCKET_RTT, /* C -> Node: [u32 rounds] of 64 B ping-pong on a raw socketpair, then ACK */
};

#define BC_SMALL 64u
#define BC_LARGE 16384u
#define BC_STALL_MS 10000

typedef struct bc_bench {
	bt_peer peer;
	br_producer out;
	br_consumer in;
	uint64_t spin_ns;
	uint64_t producer_waits;
	uint64_t consumer_sleeps;
	int to_node; /* pipe write end */
	int from_node; /* pipe read end */
	int raw_socket; /* a socketpair end like the doorbell's, for raw round trips */
} bc_bench;

static void bc_die(const char *p_what) {
	fprintf(stderr, "bench_peer: %s\n", p_what);
	exit(1);
}

/* Next record on EVENTS: spin up to spin_ns, then sleep on the doorbell. */
static void bc_next(bc_bench *p_b, br_record *r_record) {
	for (;;) {
		bp_status status = br_consumer_peek(&p_b->in, r_record);
		if (status == BP_STATUS_OK) {
			return;
		}
		if (status != BP_STATUS_EMPTY) {
			bc_die(bp_status_name(status));
		}
		if (br_consumer_publish(&p_b->in)) {
			bt_peer_ring(&p_b->peer);
		}
		uint64_t deadline = bt_now_ns() + p_b->spin_ns;
		while (p_b->spin_ns != 0 && bt_now_ns() < deadline) {
			if (br_consumer_peek(&p_b->in, r_record) == BP_STATUS_OK) {
				return;
			}
		}
		if (br_consumer_prepare_sleep(&p_b->in)) {
			p_b->consumer_sleeps++;
			if (bt_peer_wait(&p_b->peer, BC_STALL_MS) <= 0) {
				bc_die("the Node side stalled or exited");
			}
			br_consumer_end_sleep(&p_b->in);
		}
	}
}

/* Reserve on COMMANDS: spin up to spin_ns while FULL, then wait on the doorbell. */
static void *bc_reserve(bc_bench *p_b, uint32_t p_length) {
	for (;;) {
		void *at = NULL;
		bp_status status = br_producer_reserve(&p_b->out, p_length, &at);
		if (status == BP_STATUS_OK) {
			return at;
		}
		if (status != BP_STATUS_FULL) {
			bc_die(bp_status_name(status));
		}
		if (br_producer_publish(&p_b->out)) {
			bt_peer_ring(&p_b->peer);
		}
		uint64_t deadline = bt_now_ns() + p_b->spin_ns;
		while (p_b->spin_ns != 0 && bt_now_ns() < deadline) {
			if (br_producer_reserve(&p_b->out, p_length, &at) == BP_STATUS_OK) {
				return at;
			}
		}
		if (br_producer_prepare_wait(&p_b->out, p_length)) {
			p_b->producer_waits++;
			if (bt_peer_wait(&p_b->peer, BC_STALL_MS) <= 0) {
				bc_die("the Node side stalled or exited");
			}
			br_producer_end_wait(&p_b->out);
		}
	}
}

static void bc_send(bc_bench *p_b, uint32_t p_type, const void *p_payload, uint32_t p_length) {
	void *at = bc_reserve(p_b, p_length);
	if (p_length != 0) {
		memcpy(at, p_payload, p_length);
	}
	br_producer_commit(&p_b->out, p_type, p_length);
	if (br_producer_publish(&p_b->out)) {
		bt_peer_ring(&p_b->peer);
	}
}

/* Send a control record and wait for the ACK; returns its four counters. */
static void bc_control(bc_bench *p_b, uint32_t p_type, uint32_t p_argument, uint32_t r_ack[4]) {
	bc_send(p_b, p_type, &p_argument, sizeof(p_argument));
	br_record record;
	bc_next(p_b, &record);
	if (record.type != BC_ACK || record.length != 16) {
		bc_die("expected an ACK");
	}
	memcpy(r_ack, record.payload, 16);
	br_consumer_advance(&p_b->in);
}

static int bc_compare(const void *p_a, const void *p_b) {
	uint64_t a = *(const uint64_t *)p_a;
	uint64_t b = *(const uint64_t *)p_b;
	return a < b ? -1 : a > b;
}

typedef struct bc_latency {
	double p50_us;
	double p99_us;
} bc_latency;

static bc_latency bc_percentiles(uint64_t *p_samples, uint32_t p_count) {
	qsort(p_samples, p_count, sizeof(uint64_t), bc_compare);
	bc_latency l = { (double)p_samples[p_count / 2] / 1000.0, (double)p_samples[(uint64_t)p_count * 99 / 100] / 1000.0 };
	return l;
}

static bc_latency bc_ring_rtt(bc_bench *p_b, uint64_t p_spin_ns, uint32_t p_rounds, uint32_t p_warmup, uint64_t *p_samples,
		uint64_t *r_rings) {
	uint32_t ack[4];
	p_b->spin_ns = p_spin_ns;
	bc_control(p_b, BC_MODE, (uint32_t)p_spin_ns, ack);
	uint8_t ping[BC_SMALL];
	memset(ping, 0x5A, sizeof(ping));
	uint64_t rings = p_b->peer.rings;
	for (uint32_t i = 0; i < p_warmup + p_rounds; i++) {
		if (i == p_warmup) {
			rings = p_b->peer.rings;
		}
		uint64_t start = bt_now_ns();
		bc_send(p_b, BC_PING, ping, sizeof(ping));
		br_record record;
		bc_next(p_b, &record);
		if (record.type != BC_PONG || record.length != BC_SMALL) {
			bc_die("expected a PONG");
		}
		br_consumer_advance(&p_b->in);
		if (i >= p_warmup) {
			p_samples[i - p_warmup] = bt_now_ns() - start;
		}
	}
	*r_rings = p_b->peer.rings - rings;
	return bc_percentiles(p_samples, p_rounds);
}

static void bc_write_all(int p_fd, const void *p_data, size_t p_length) {
	const uint8_t *at = (const uint8_t *)p_data;
	while (p_length > 0) {
		ssize_t n = write(p_fd, at, p_length);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			bc_die("pipe write failed");
		}
		at += n;
		p_length -= (size_t)n;
	}
}

static void bc_read_all(int p_fd, void *p_data, size_t p_length) {
	uint8_t *at = (uint8_t *)p_data;
	while (p_length > 0) {
		ssize_t n = read(p_fd, at, p_length);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			bc_die("pipe read failed");
		}
		at += n;
		p_length -= (size_t)n;
	}
}

/* 64 B ping-pong without the ring: over the pipes (p_type BC_PIPE_RTT) or over a raw
 * socketpair like the doorbell's (BC_SOCKET_RTT). */
static bc_latency bc_plain_rtt(bc_bench *p_b, uint32_t p_type, uint32_t p_rounds, uint32_t p_warmup, uint64_t *p_samples) {
	uint32_t total = p_warmup + p_rounds;
	bc_send(p_b, p_type, &total, sizeof(total));
	int out = p_type == BC_PIPE_RTT ? p_b->to_node : p_b->raw_socket;
	int in = p_type == BC_PIPE_RTT ? p_b->from_node : p_b->raw_socket;
	uint8_t ping[BC_SMALL];
	memset(ping, 0x5A, sizeof(ping));
	for (uint32_t i = 0; i < total; i++) {
		uint64_t start = bt_now_ns();
		bc_write_all(out, ping, sizeof(ping));
		bc_read_all(in, ping, sizeof(ping));
		if (i >= p_warmup) {
			p_samples[i - p_warmup] = bt_now_ns() - start;
		}
	}
	br_record record;
	bc_next(p_b, &record);
	if (record.type != BC_ACK) {
		bc_die("expected an ACK after the plain round trips");
	}
	br_consumer_advance(&p_b->in);
	return bc_percentiles(p_samples, p_rounds);
}

typedef struct bc_throughput {
	double bytes_per_s;
	uint64_t rings;
	uint64_t producer_waits;
	uint32_t node_sleeps;
	uint32_t node_rings;
} bc_throughput;

static bc_throughput bc_ring_throughput(bc_bench *p_b, uint64_t p_spin_ns, uint32_t p_records, const uint8_t *p_source) {
	uint32_t ack[4];
	p_b->spin_ns = p_spin_ns;
	bc_control(p_b, BC_MODE, (uint32_t)p_spin_ns, ack);
	uint64_t rings = p_b->peer.rings;
	uint64_t waits = p_b->producer_waits;
	uint64_t start = bt_now_ns();
	for (uint32_t i = 0; i < p_records; i++) {
		bc_send(p_b, BC_DATA, p_source + (i % 64u) * 64u, BC_LARGE);
	}
	bc_control(p_b, BC_END, 0, ack);
	uint64_t elapsed = bt_now_ns() - start;
	if (ack[0] != p_records) {
		bc_die("the Node side counted a different number of records");
	}
	bc_throughput t = { (double)p_records * BC_LARGE / ((double)elapsed / 1e9), p_b->peer.rings - rings,
		p_b->producer_waits - waits, ack[1], ack[2] };
	return t;
}

static double bc_pipe_throughput(bc_bench *p_b, uint32_t p_records, const uint8_t *p_source) {
	static uint8_t frame[8 + BC_LARGE];
	uint32_t header[2] = { BC_LARGE, BC_DATA };
	memcpy(frame, header, 8);
	bc_send(p_b, BC_PIPE_DATA, &p_records, sizeof(p_records));
	uint64_t start = bt_now_ns();
	for (uint32_t i = 0; i < p_records; i++) {
		memcpy(frame + 8, p_source + (i % 64u) * 64u, 64); /* vary the bytes a little */
		bc_write_all(p_b->to_node, frame, sizeof(frame));
	}
	uint8_t ack;
	bc_read_all(p_b->from_node, &ack, 1);
	uint64_t elapsed = bt_now_ns() - start;
	br_record record;
	bc_next(p_b, &record);
	if (record.type != BC_ACK || ((const uint32_t *)(const void *)record.payload)[0] != p_records) {
		bc_die("the Node side counted a different number of pipe records");
	}
	br_consumer_advance(&p_b->in);
	return (double)p_records * BC_LARGE / ((double)elapsed / 1e9);
}

static int bc_compare_double(const void *p_a, const void *p_b) {
	double a = *(const double *)p_a;
	double b = *(const double *)p_b;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
	const char *node = "node";
	const char *script = NULL;
	uint32_t rounds = 50000;
	uint32_t records = 65536;
	uint64_t spin_ns = 50000;
	uint64_t pipe_size = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--node") == 0) {
			node = argv[i + 1];
		} else if (strcmp(argv[i], "--script") == 0) {
			script = argv[i + 1];
		} else if (strcmp(argv[i], "--rounds") == 0) {
			rounds = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		} else if (strcmp(argv[i], "--records") == 0) {
			records = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		} else if (strcmp(argv[i], "--pipe-size") == 0) {
			pipe_size = strtoull(argv[i + 1], NULL, 10);
		} else if (strcmp(argv[i], "--spin-ns") == 0) {
			spin_ns = strtoull(argv[i + 1], NULL, 10);
		}
	}
	if (script == NULL || rounds < 100 || records < 16) {
		fprintf(stderr, "usage: bench_peer --script bench-ring.mjs [--node node] [--rounds N] [--records N] [--spin-ns NS]\n");
		return 2;
	}
	int to_node[2];
	int from_node[2];
	int raw[2];
	if (pipe(to_node) != 0 || pipe(from_node) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, raw) != 0) {
		bc_die("pipe or socketpair failed");
	}
	bc_bench b;
	memset(&b, 0, sizeof(b));
	int extra[3] = { to_node[0], from_node[1], raw[1] };
	char *child_argv[] = { (char *)node, (char *)script, "--child", NULL };
	if (bt_peer_start(&b.peer, BP_RING_DATA_SIZE_DEFAULT, BP_RING_DATA_SIZE_DEFAULT, child_argv, extra, 3) != 0) {
		return 1;
	}
	close(to_node[0]);
	close(from_node[1]);
	close(raw[1]);
	b.raw_socket = raw[0];
	if (pipe_size > 0) {
		/* A larger pipe buffer than the default 64 KiB, so the pipe baseline is not a strawman. */
		if (fcntl(to_node[1], F_SETPIPE_SZ, (int)pipe_size) < 0 || fcntl(from_node[0], F_SETPIPE_SZ, (int)pipe_size) < 0) {
			bc_die("F_SETPIPE_SZ failed");
		}
	}
	b.to_node = to_node[1];
	b.from_node = from_node[0];
	br_ring commands;
	br_ring events;
	if (br_region_ring(b.peer.shm.base, b.peer.shm.size, BP_RING_COMMANDS, &commands) != BP_STATUS_OK ||
			br_region_ring(b.peer.shm.base, b.peer.shm.size, BP_RING_EVENTS, &events) != BP_STATUS_OK ||
			br_producer_init(&b.out, &commands) != BP_STATUS_OK || br_consumer_init(&b.in, &events) != BP_STATUS_OK) {
		bc_die("region setup failed");
	}
	uint8_t *source = (uint8_t *)malloc(BC_LARGE + 64u * 64u);
	uint64_t *samples = (uint64_t *)malloc(sizeof(uint64_t) * rounds);
	if (source == NULL || samples == NULL) {
		bc_die("out of memory");
	}
	for (uint32_t i = 0; i < BC_LARGE + 64u * 64u; i++) {
		source[i] = (uint8_t)(i * 131u + 7u);
	}
	uint32_t warmup = rounds / 10;
	uint64_t spin_rings = 0;
	uint64_t sleep_rings = 0;
	bc_latency ring_spin = bc_ring_rtt(&b, spin_ns, rounds, warmup, samples, &spin_rings);
	bc_latency ring_sleep = bc_ring_rtt(&b, 0, rounds, warmup, samples, &sleep_rings);
	bc_latency pipe_rtt = bc_plain_rtt(&b, BC_PIPE_RTT, rounds, warmup, samples);
	bc_latency socket_rtt = bc_plain_rtt(&b, BC_SOCKET_RTT, rounds, warmup, samples);
	/* Throughput: three alternating repetitions, medians. */
	double ring_rates[3];
	double pipe_rates[3];
	bc_throughput ring_runs[3];
	for (int r = 0; r < 3; r++) {
		ring_runs[r] = bc_ring_throughput(&b, spin_ns, records, source);
		ring_rates[r] = ring_runs[r].bytes_per_s;
		pipe_rates[r] = bc_pipe_throughput(&b, records, source);
	}
	double ring_sorted[3];
	memcpy(ring_sorted, ring_rates, sizeof(ring_sorted));
	qsort(ring_sorted, 3, sizeof(double), bc_compare_double);
	qsort(pipe_rates, 3, sizeof(double), bc_compare_double);
	bc_throughput median = ring_runs[0];
	for (int r = 0; r < 3; r++) {
		if (ring_runs[r].bytes_per_s == ring_sorted[1]) {
			median = ring_runs[r];
		}
	}
	bc_send(&b, BC_QUIT, NULL, 0);
	int code = bt_peer_finish(&b.peer, 10000);
	printf("BENCH_RESULT {\"rounds\":%u,\"records\":%u,\"record_bytes\":%u,\"spin_ns\":%llu,"
		   "\"ring_spin_rtt\":{\"p50_us\":%.3f,\"p99_us\":%.3f,\"rings\":%llu},"
		   "\"ring_doorbell_rtt\":{\"p50_us\":%.3f,\"p99_us\":%.3f,\"rings\":%llu},"
		   "\"pipe_rtt\":{\"p50_us\":%.3f,\"p99_us\":%.3f},\"socket_rtt\":{\"p50_us\":%.3f,\"p99_us\":%.3f},"
		   "\"ring_throughput\":{\"bytes_per_s\":%.0f,\"runs\":[%.0f,%.0f,%.0f],\"rings\":%llu,\"producer_waits\":%llu,"
		   "\"node_sleeps\":%u,\"node_rings\":%u},"
		   "\"pipe_throughput\":{\"bytes_per_s\":%.0f,\"runs\":[%.0f,%.0f,%.0f],\"writes\":%u,\"pipe_size\":%llu},\"child_exit\":%d}\n",
			rounds, records, BC_LARGE, (unsigned long long)spin_ns, ring_spin.p50_us, ring_spin.p99_us,
			(unsigned long long)spin_rings, ring_sleep.p50_us, ring_sleep.p99_us, (unsigned long long)sleep_rings,
			pipe_rtt.p50_us, pipe_rtt.p99_us, socket_rtt.p50_us, socket_rtt.p99_us, median.bytes_per_s, ring_rates[0], ring_rates[1], ring_rates[2],
			(unsigned long long)median.rings, (unsigned long long)median.producer_waits, median.node_sleeps,
			median.node_rings, pipe_rates[1], pipe_rates[0], pipe_rates[1], pipe_rates[2], records,
			(unsigned long long)pipe_size, code);
	free(source);
	free(samples);
	return code == 0 ? 0 : 1;
}
