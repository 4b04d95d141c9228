/* Two-process stress test, C (this process, sanitized, in Godot's place) <-> TypeScript
 * (a Node child running bridge/node/stress-child.ts, in the worker's place), over a memfd
 * region and a doorbell socketpair:
 *   c2ts    C produces COMMANDS, TypeScript consumes
 *   ts2c    TypeScript produces EVENTS, C consumes
 *   duplex  both at once
 * Records have random sizes (0 and the maximum included), and every byte is checked on
 * the other side; nothing may be lost, reordered or changed. Two negative controls prove
 * the checks can fail: a byte flipped by either producer must be reported by the consumer.
 * Neither side spins: each sleeps on the doorbell when it cannot progress.
 *
 *   stress --child stress-child.mjs [--node node] [--records N] [--seed S] [--ring-size B]
 */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../region.h"
#include "../ring.h"
#include "bt.h"
#include "peer.h"
#include "records.h"

#define ST_BATCH 64u
#define ST_STALL_MS 15000
#define ST_NEGATIVE_RECORDS 20000u

typedef struct st_options {
	const char *node;
	const char *child;
	uint32_t records;
	uint32_t seed;
	uint64_t ring_size;
} st_options;

typedef struct st_run {
	bt_peer peer;
	br_producer producer;
	br_consumer consumer;
	int sending;
	int receiving;
	uint32_t total;
	uint32_t seed;
	uint32_t sent;
	uint32_t received;
	uint32_t blocked_length;
	int64_t corrupt_at;
	uint64_t bytes;
	uint64_t sleeps;
	char error[256];
} st_run;

static int st_send_some(st_run *p_run) {
	uint32_t count = 0;
	while (count < ST_BATCH && p_run->sent < p_run->total) {
		uint32_t seq = p_run->sent;
		uint32_t length = sr_length(p_run->seed, seq, p_run->producer.ring.max_payload);
		void *at = NULL;
		bp_status status = br_producer_reserve(&p_run->producer, length, &at);
		if (status == BP_STATUS_FULL) {
			p_run->blocked_length = length;
			break;
		}
		if (status != BP_STATUS_OK) {
			snprintf(p_run->error, sizeof(p_run->error), "producer: %s at record %u", bp_status_name(status), seq);
			return -1;
		}
		sr_fill(p_run->seed, seq, (uint8_t *)at, length);
		if ((int64_t)seq == p_run->corrupt_at && length > 0) {
			((uint8_t *)at)[length / 2] ^= 0x40;
		}
		br_producer_commit(&p_run->producer, sr_type(p_run->seed, seq), length);
		p_run->sent++;
		count++;
	}
	if (br_producer_publish(&p_run->producer)) {
		bt_peer_ring(&p_run->peer);
	}
	return count > 0;
}

static int st_receive_some(st_run *p_run) {
	uint32_t count = 0;
	while (count < ST_BATCH && p_run->received < p_run->total) {
		uint32_t seq = p_run->received;
		br_record record;
		bp_status status = br_consumer_peek(&p_run->consumer, &record);
		if (status == BP_STATUS_EMPTY) {
			break;
		}
		if (status != BP_STATUS_OK) {
			snprintf(p_run->error, sizeof(p_run->error), "consumer: %s at record %u", bp_status_name(status), seq);
			return -1;
		}
		uint32_t length = sr_length(p_run->seed, seq, p_run->consumer.ring.max_payload);
		if (record.length != length || record.type != sr_type(p_run->seed, seq)) {
			snprintf(p_run->error, sizeof(p_run->error), "record %u: length %u type %u, expected %u / %u", seq,
					record.length, record.type, length, sr_type(p_run->seed, seq));
			return -1;
		}
		int64_t bad = sr_check(p_run->seed, seq, record.payload, length);
		if (bad >= 0) {
			snprintf(p_run->error, sizeof(p_run->error), "record %u: byte %lld of %u differs (checksum mismatch)", seq,
					(long long)bad, length);
			return -1;
		}
		br_consumer_advance(&p_run->consumer);
		p_run->bytes += length;
		p_run->received++;
		count++;
	}
	if (br_consumer_publish(&p_run->consumer)) {
		bt_peer_ring(&p_run->peer);
	}
	return count > 0;
}

/* Drive the C side until done; sleep on the doorbell whenever nothing can progress. */
static int st_loop(st_run *p_run) {
	while ((p_run->sending && p_run->sent < p_run->total) || (p_run->receiving && p_run->received < p_run->total)) {
		int progress = 0;
		if (p_run->sending && p_run->sent < p_run->total) {
			int r = st_send_some(p_run);
			if (r < 0) {
				return -1;
			}
			progress |= r;
		}
		if (p_run->receiving && p_run->received < p_run->total) {
			int r = st_receive_some(p_run);
			if (r < 0) {
				return -1;
			}
			progress |= r;
		}
		if (progress) {
			continue;
		}
		int may_wait = 1;
		int slept = 0;
		int waited = 0;
		if (p_run->receiving && p_run->received < p_run->total) {
			slept = br_consumer_prepare_sleep(&p_run->consumer);
			may_wait = slept;
		}
		if (may_wait && p_run->sending && p_run->sent < p_run->total) {
			waited = br_producer_prepare_wait(&p_run->producer, p_run->blocked_length);
			may_wait = waited;
		}
		if (may_wait) {
			p_run->sleeps++;
			int r = bt_peer_wait(&p_run->peer, ST_STALL_MS);
			if (r <= 0) {
				snprintf(p_run->error, sizeof(p_run->error), "doorbell %s (sent %u, received %u)",
						r == 0 ? "stalled" : "closed: the child exited", p_run->sent, p_run->received);
				return -1;
			}
		}
		if (slept) {
			br_consumer_end_sleep(&p_run->consumer);
		}
		if (waited) {
			br_producer_end_wait(&p_run->producer);
		}
	}
	br_record record;
	if (p_run->receiving && br_consumer_peek(&p_run->consumer, &record) != BP_STATUS_EMPTY) {
		snprintf(p_run->error, sizeof(p_run->error), "records after the last expected one");
		return -1;
	}
	return 0;
}

/* Start the child in p_role and run our side. Returns the child's exit code (or -1), and
 * our own verdict in *r_ok. */
static int st_scenario(const st_options *p_options, const char *p_role, uint32_t p_records, int64_t p_c_corrupt_at,
		int64_t p_child_corrupt_at, st_run *r_run) {
	memset(r_run, 0, sizeof(*r_run));
	r_run->total = p_records;
	r_run->seed = p_options->seed;
	r_run->corrupt_at = p_c_corrupt_at;
	r_run->sending = strcmp(p_role, "consume") == 0 || strcmp(p_role, "duplex") == 0;
	r_run->receiving = strcmp(p_role, "produce") == 0 || strcmp(p_role, "duplex") == 0;
	char records[32];
	char seed[32];
	char corrupt[48];
	snprintf(records, sizeof(records), "%u", p_records);
	snprintf(seed, sizeof(seed), "%u", p_options->seed);
	snprintf(corrupt, sizeof(corrupt), "--corrupt-at=%lld", (long long)p_child_corrupt_at);
	char *argv[] = { (char *)p_options->node, (char *)p_options->child, "--role", (char *)p_role, "--records", records,
		"--seed", seed, corrupt, NULL };
	if (bt_peer_start(&r_run->peer, p_options->ring_size, p_options->ring_size, argv, NULL, 0) != 0) {
		snprintf(r_run->error, sizeof(r_run->error), "could not start the child");
		return -1;
	}
	br_ring commands;
	br_ring events;
	if (br_region_ring(r_run->peer.shm.base, r_run->peer.shm.size, BP_RING_COMMANDS, &commands) != BP_STATUS_OK ||
			br_region_ring(r_run->peer.shm.base, r_run->peer.shm.size, BP_RING_EVENTS, &events) != BP_STATUS_OK ||
			br_producer_init(&r_run->producer, &commands) != BP_STATUS_OK ||
			br_consumer_init(&r_run->consumer, &events) != BP_STATUS_OK) {
		snprintf(r_run->error, sizeof(r_run->error), "region setup failed");
		bt_peer_finish(&r_run->peer, 0);
		return -1;
	}
	uint64_t start = bt_now_ns();
	int loop = st_loop(r_run);
	int code = bt_peer_finish(&r_run->peer, loop == 0 ? 60000 : 5000);
	double seconds = (double)(bt_now_ns() - start) / 1e9;
	fprintf(stderr, "stress %s: C sent %u, C received %u (%.1f MB checked), %.2f s; C slept %llu times, rang %llu; child exit %d%s%s\n",
			p_role, r_run->sent, r_run->received, (double)r_run->bytes / 1e6, seconds, (unsigned long long)r_run->sleeps,
			(unsigned long long)r_run->peer.rings, code, loop == 0 ? "" : "; C: ", loop == 0 ? "" : r_run->error);
	if (loop != 0) {
		return code == 0 ? -2 : code; /* our side failed */
	}
	return code;
}

static st_options st_opts;

static void test_c_to_typescript(void) {
	st_run run;
	BT_EQ(st_scenario(&st_opts, "consume", st_opts.records, -1, -1, &run), 0);
	BT_EQ(run.sent, st_opts.records);
}

static void test_typescript_to_c(void) {
	st_run run;
	BT_EQ(st_scenario(&st_opts, "produce", st_opts.records, -1, -1, &run), 0);
	BT_EQ(run.received, st_opts.records);
}

static void test_duplex(void) {
	st_run run;
	BT_EQ(st_scenario(&st_opts, "duplex", st_opts.records, -1, -1, &run), 0);
	BT_EQ(run.sent, st_opts.records);
	BT_EQ(run.received, st_opts.records);
}

static void test_typescript_detects_a_flipped_byte(void) {
	st_run run;
	setenv("STRESS_NEGATIVE_CONTROL", "1", 1);
	int code = st_scenario(&st_opts, "consume", ST_NEGATIVE_RECORDS, 12345, -1, &run);
	unsetenv("STRESS_NEGATIVE_CONTROL");
	BT_EQ(code, 3); /* the child must fail with its record mismatch exit code */
}

static void test_c_detects_a_flipped_byte(void) {
	st_run run;
	setenv("STRESS_NEGATIVE_CONTROL", "1", 1);
	int code = st_scenario(&st_opts, "produce", ST_NEGATIVE_RECORDS, -1, 12345, &run);
	unsetenv("STRESS_NEGATIVE_CONTROL");
	BT_CHECK(code != 0); /* our side stopped: the child is left blocked, then ended */
	BT_CHECK(strstr(run.error, "record 12345: byte") != NULL);
}

int main(int argc, char **argv) {
	st_opts.node = "node";
	st_opts.child = NULL;
	st_opts.records = 1000000;
	st_opts.seed = 20261122;
	st_opts.ring_size = BP_RING_DATA_SIZE_MIN;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--node") == 0) {
			st_opts.node = argv[i + 1];
		} else if (strcmp(argv[i], "--child") == 0) {
			st_opts.child = argv[i + 1];
		} else if (strcmp(argv[i], "--records") == 0) {
			st_opts.records = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		} else if (strcmp(argv[i], "--seed") == 0) {
			st_opts.seed = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		} else if (strcmp(argv[i], "--ring-size") == 0) {
			st_opts.ring_size = strtoull(argv[i + 1], NULL, 10);
		} else {
			fprintf(stderr, "stress: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (st_opts.child == NULL || st_opts.records < 3) {
		fprintf(stderr, "usage: stress --child stress-child.mjs [--node node] [--records N>=3] [--seed S] [--ring-size B]\n");
		return 2;
	}
	BT_RUN(test_c_to_typescript);
	BT_RUN(test_typescript_to_c);
	BT_RUN(test_duplex);
	BT_RUN(test_typescript_detects_a_flipped_byte);
	BT_RUN(test_c_detects_a_flipped_byte);
	return bt_finish();
}
