/* Worker death and process lifetime, with the REAL worker:
 *   - no Node anywhere: one clear error line, NO_WORKER, nothing leaked;
 *   - kill -9 of the worker during traffic: every peer FAILED and every channel CLOSED
 *     within 1 s, no worker process and no shared memory left, and a new initialize()
 *     starts a fresh worker that works;
 *   - a call waiting for its reply when the worker dies returns NO_WORKER at once;
 *   - a worker stopped for 3 s (SIGSTOP, then SIGCONT) keeps its connections: a stall is not
 *     a death (issue 9);
 *   - a hung worker (SIGSTOP: no heartbeat) is killed after its heartbeat window (30 s,
 *     BP_HEARTBEAT_STALE_MS; shortened here through wc_test_hang_ms);
 *   - kill -9 of the client's process (Godot's) leaves no worker behind;
 *   - a corrupted record framing in the events ring is a lost worker: FAILED, one line,
 *     the worker killed, nothing left, and the next initialize() starts a fresh one.
 *
 *   test_client_death --worker build/worker/worker.mjs --node node --shm-addon shm.node
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "../../ring/tests/bt.h"
#include "tc.h"
#include "../wc_private.h" /* the events consumer, to corrupt what it has not read */

extern char **environ;

static int baseline_fds;
static int baseline_shm;

static int32_t worker_pid(void) {
	wc_stats stats;
	wc_get_stats(&stats);
	return stats.worker_pid;
}

static void expect_nothing_left(int32_t p_pid) {
	BT_CHECK(p_pid <= 0 || !tc_process_alive(p_pid));
	BT_EQ(tc_bridge_memory_left(), 0);
	BT_EQ(tc_count_dir("/proc/self/fd"), baseline_fds);
	BT_EQ(tc_count_dir("/dev/shm"), baseline_shm);
}

static void test_no_node_anywhere_is_one_clear_line(void) {
	char *path = strdup(getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");
	setenv(BP_ENV_NODE, "/nonexistent/bin/node", 1);
	setenv("PATH", "/nonexistent", 1);
	wc_config config = { .worker_script = tc_opt.worker, .shm_addon = tc_opt.shm_addon, .bundled_node = "/nonexistent/addon/runtime/node" };
	wc_configure(&config);
	tc_logs_clear();
	wc_handle pc = 0;
	wc_peer_create(&pc);
	wc_status status = wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK));
	BT_EQ(status, BP_CORE_STATUS_NO_WORKER);
	BT_EQ(bp_core_status_to_godot_error(status), BP_GODOT_ERR_CANT_CONNECT);
	BT_EQ(tc_log_count, 1);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "reinstall the addon to restore it"), 1); /* the shipped runtime first */
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "install Node.js 20 or newer"), 1);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "/nonexistent/bin/node: No such file"), 1); /* what was tried */
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "/nonexistent/addon/runtime/node: No such file"), 1); /* and the configured one */
	BT_EQ(worker_pid(), 0);
	wc_peer_free(pc);
	setenv("PATH", path, 1);
	free(path);
	tc_configure();
	expect_nothing_left(0);
}

static void test_kill_during_traffic_fails_everything_within_a_second(void) {
	tc_pair pair;
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	int32_t pid = worker_pid();
	BT_CHECK(pid > 0);
	static uint8_t chunk[4096];
	for (int i = 0; i < 200; i++) {
		wc_channel_put_packet(pair.ch_a, chunk, sizeof(chunk));
		wc_channel_put_packet(pair.ch_b, chunk, sizeof(chunk));
	}
	tc_logs_clear();
	uint64_t killed_at = tc_now_ms();
	kill(pid, SIGKILL);
	uint64_t failed_at = 0;
	while (tc_now_ms() - killed_at < 3000) {
		wc_channel_put_packet(pair.ch_a, chunk, sizeof(chunk)); /* traffic goes on */
		int32_t a = -1;
		int32_t b = -1;
		int32_t ca = -1;
		int32_t cb = -1;
		wc_peer_get_connection_state(pair.a, &a);
		wc_peer_get_connection_state(pair.b, &b);
		wc_channel_get_ready_state(pair.ch_a, &ca);
		wc_channel_get_ready_state(pair.ch_b, &cb);
		if (a == BP_CONNECTION_STATE_FAILED && b == BP_CONNECTION_STATE_FAILED && ca == BP_CHANNEL_STATE_CLOSED &&
				cb == BP_CHANNEL_STATE_CLOSED) {
			failed_at = tc_now_ms();
			break;
		}
		struct timespec pause = { 0, 2000000 };
		nanosleep(&pause, NULL);
	}
	BT_CHECK(failed_at != 0);
	fprintf(stderr, "  FAILED reported %llu ms after kill -9\n", (unsigned long long)(failed_at - killed_at));
	BT_CHECK(failed_at - killed_at < 500); /* from the process (doorbell EOF), not the heartbeat */
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "was killed by signal 9"), 1);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "2 peer connections are now FAILED"), 1);
	expect_nothing_left(pid);
	/* Everything on the dead worker answers with a status, never a crash. */
	BT_EQ(wc_channel_put_packet(pair.ch_a, chunk, 1), BP_CORE_STATUS_WRONG_STATE);
	BT_EQ(wc_peer_create_offer(pair.a), BP_CORE_STATUS_WRONG_STATE);
	const uint8_t *data = NULL;
	size_t length = 0;
	while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
	} /* packets received before the death stay readable */
	BT_EQ(wc_wait(1), BP_CORE_STATUS_NO_WORKER);
	/* The next initialize() starts a fresh worker, and it works. */
	BT_EQ(wc_peer_initialize(pair.a, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	int32_t fresh = worker_pid();
	BT_CHECK(fresh > 0 && fresh != pid);
	tc_pair_free(&pair);
	tc_pair again;
	BT_EQ(tc_connect(&again, "{}", 20000), 0);
	BT_EQ(wc_channel_put_packet(again.ch_a, (const uint8_t *)"after", 5), BP_CORE_STATUS_OK);
	int32_t available = 0;
	for (int i = 0; i < 500 && available == 0; i++) {
		wc_wait(10);
		wc_channel_get_available_packet_count(again.ch_b, &available);
	}
	BT_EQ(available, 1);
	BT_EQ(worker_pid(), fresh);
	tc_pair_free(&again);
}

static void *kill_later(void *p_pid) {
	struct timespec pause = { 0, 300000000 };
	nanosleep(&pause, NULL);
	kill((pid_t)(intptr_t)p_pid, SIGKILL);
	return NULL;
}

static void test_pending_call_returns_no_worker_when_the_worker_dies(void) {
	wc_handle pc = 0;
	wc_handle ch = 0;
	wc_peer_create(&pc);
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_create_data_channel(pc, "c", 1, NULL, 0, &ch), BP_CORE_STATUS_OK);
	int32_t pid = worker_pid();
	kill(pid, SIGSTOP); /* it will never answer */
	pthread_t killer;
	pthread_create(&killer, NULL, kill_later, (void *)(intptr_t)pid);
	uint64_t start = tc_now_ms();
	wc_status status = wc_peer_create_offer(pc);
	uint64_t took = tc_now_ms() - start;
	pthread_join(killer, NULL);
	BT_EQ(status, BP_CORE_STATUS_NO_WORKER);
	BT_CHECK(took >= 250 && took < 900); /* the death, not the heartbeat (30 s) nor the timeout (10 s) */
	int32_t state = -1;
	wc_peer_get_connection_state(pc, &state);
	BT_EQ(state, BP_CONNECTION_STATE_FAILED);
	expect_nothing_left(pid);
	wc_channel_free(ch);
	wc_peer_free(pc);
}

/* Issue 9: a stall shorter than the hang window is not a death. A worker stopped for 3 s
 * (as a long GC pause, a debugger or a saturated machine would stop it) and continued keeps
 * every connection and channel, and data flows both ways afterwards, what was put during
 * the stop included. */
static void test_issue9_stopped_worker_keeps_its_connections(void) {
	tc_pair pair;
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	int32_t pid = worker_pid();
	tc_logs_clear();
	kill(pid, SIGSTOP);
	uint64_t stopped_at = tc_now_ms();
	int put = 0;
	while (tc_now_ms() - stopped_at < 3000) { /* the game goes on polling and sending */
		int32_t state = -1;
		wc_peer_get_connection_state(pair.a, &state);
		if (wc_channel_put_packet(pair.ch_a, (const uint8_t *)"x", 1) == BP_CORE_STATUS_OK) {
			put++;
		}
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	}
	kill(pid, SIGCONT);
	BT_EQ(wc_channel_put_packet(pair.ch_a, (const uint8_t *)"after", 5), BP_CORE_STATUS_OK);
	BT_EQ(wc_channel_put_packet(pair.ch_b, (const uint8_t *)"back", 4), BP_CORE_STATUS_OK);
	int received_b = 0;
	int received_a = 0;
	bool last_b = false;
	uint64_t deadline = tc_now_ms() + 10000;
	while ((!last_b || received_a == 0) && tc_now_ms() < deadline) {
		wc_wait(10);
		const uint8_t *data = NULL;
		size_t length = 0;
		while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
			received_b++;
			last_b = length == 5 && memcmp(data, "after", 5) == 0;
		}
		while (wc_channel_get_packet(pair.ch_a, &data, &length) == BP_CORE_STATUS_OK) {
			received_a++;
		}
	}
	fprintf(stderr, "  after a 3 s stop: %d packets put during it, %d received after it\n", put, received_b - 1);
	BT_CHECK(put > 50);
	BT_EQ(received_b, put + 1);
	BT_CHECK(last_b);
	BT_EQ(received_a, 1);
	int32_t a = -1;
	int32_t b = -1;
	wc_peer_get_connection_state(pair.a, &a);
	wc_peer_get_connection_state(pair.b, &b);
	BT_EQ(a, BP_CONNECTION_STATE_CONNECTED);
	BT_EQ(b, BP_CONNECTION_STATE_CONNECTED);
	BT_EQ(tc_ready(pair.ch_a), BP_CHANNEL_STATE_OPEN);
	BT_EQ(tc_ready(pair.ch_b), BP_CHANNEL_STATE_OPEN);
	BT_EQ(worker_pid(), pid);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, NULL), 0);
	tc_pair_free(&pair);
}

#define TEST_HANG_MS 1500u

static void test_hung_worker_is_killed_after_a_stale_heartbeat(void) {
	wc_test_hang_ms = TEST_HANG_MS; /* for the worker started below */
	wc_shutdown();
	wc_handle pc = 0;
	wc_peer_create(&pc);
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	int32_t pid = worker_pid();
	tc_logs_clear();
	uint64_t stopped_at = tc_now_ms();
	kill(pid, SIGSTOP);
	int32_t state = -1;
	while (tc_now_ms() - stopped_at < 4000) {
		wc_peer_get_connection_state(pc, &state);
		if (state == BP_CONNECTION_STATE_FAILED) {
			break;
		}
		struct timespec pause = { 0, 10000000 };
		nanosleep(&pause, NULL);
	}
	uint64_t took = tc_now_ms() - stopped_at;
	fprintf(stderr, "  hung worker declared dead after %llu ms\n", (unsigned long long)took);
	BT_EQ(state, BP_CONNECTION_STATE_FAILED);
	/* stale = no change for the window, and the last beat came up to one interval before the
	 * stop */
	BT_CHECK(took >= TEST_HANG_MS - BP_HEARTBEAT_INTERVAL_MS - 100 && took < TEST_HANG_MS + 1000);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "no heartbeat for 1500 ms"), 1);
	expect_nothing_left(pid);
	wc_peer_free(pc);
	wc_test_hang_ms = 0;
}

/* The "Godot" process of the next test: connect a pair, report the worker's pid, send
 * forever. */
static int run_godot_child(void) {
	tc_log_echo = 0;
	tc_configure();
	tc_pair pair;
	if (tc_connect(&pair, "{}", 20000) != 0) {
		return 1;
	}
	printf("%d\n", (int)worker_pid());
	fflush(stdout);
	static uint8_t chunk[2048];
	for (;;) {
		wc_channel_put_packet(pair.ch_a, chunk, sizeof(chunk));
		const uint8_t *data;
		size_t length;
		while (wc_channel_get_packet(pair.ch_b, &data, &length) == BP_CORE_STATUS_OK) {
		}
		wc_wait(1);
	}
}

static void test_godot_killed_leaves_no_worker(void) {
	/* As a subreaper this process inherits the orphaned worker, so it can see it exit. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int out[2];
	BT_EQ(pipe(out), 0);
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&actions, out[0]);
	char *argv[] = { "/proc/self/exe", "--godot-child", "--worker", (char *)tc_opt.worker, "--node", (char *)tc_opt.node,
		"--shm-addon", (char *)(tc_opt.shm_addon != NULL ? tc_opt.shm_addon : ""), NULL };
	pid_t godot = -1;
	BT_EQ(posix_spawn(&godot, "/proc/self/exe", &actions, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&actions);
	close(out[1]);
	char line[32] = "";
	FILE *from = fdopen(out[0], "r");
	BT_CHECK(from != NULL && fgets(line, sizeof(line), from) != NULL);
	if (from != NULL) {
		fclose(from);
	}
	int worker = atoi(line);
	BT_CHECK(worker > 0 && tc_process_alive(worker));
	struct timespec pause = { 0, 200000000 };
	nanosleep(&pause, NULL); /* traffic is flowing */
	kill(godot, SIGKILL);
	int status = 0;
	waitpid(godot, &status, 0);
	BT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	uint64_t start = tc_now_ms();
	while (worker > 0 && tc_now_ms() - start < 5000) {
		waitpid(-1, NULL, WNOHANG); /* reap the orphan once it exits */
		if (!tc_process_alive(worker)) {
			break;
		}
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	fprintf(stderr, "  worker gone %llu ms after its Godot was killed\n", (unsigned long long)(tc_now_ms() - start));
	BT_CHECK(worker > 0 && !tc_process_alive(worker));
	while (waitpid(-1, NULL, WNOHANG) > 0) {
	}
}

static void test_corrupt_events_ring_is_a_lost_worker(void) {
	wc_handle pc = 0;
	wc_handle ch = 0;
	wc_peer_create(&pc);
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_create_data_channel(pc, "c", 1, NULL, 0, &ch), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_create_offer(pc), BP_CORE_STATUS_OK);
	/* Leave the API alone so the offer's event waits unread, then freeze the writer. */
	struct timespec pause = { 0, 300000000 };
	nanosleep(&pause, NULL);
	int32_t pid = worker_pid();
	kill(pid, SIGSTOP);
	br_consumer *events = &wc_g.events;
	uint64_t produced = atomic_load(&events->ring.control->producer_position);
	BT_CHECK(produced > events->head); /* something is waiting to be read */
	uint32_t *length = (uint32_t *)(void *)(events->ring.data + (events->head & (events->ring.capacity - 1)));
	*length = 0xFFFFFFF0u; /* a record longer than anything published */
	tc_logs_clear();
	uint32_t count = 0;
	wc_peer_poll(pc, &count);
	int32_t state = -1;
	int32_t ready = -1;
	wc_peer_get_connection_state(pc, &state);
	wc_channel_get_ready_state(ch, &ready);
	BT_EQ(state, BP_CONNECTION_STATE_FAILED);
	BT_EQ(ready, BP_CHANNEL_STATE_CLOSED);
	BT_EQ(tc_logs_count(BP_LOG_LEVEL_ERROR, "events ring corrupt"), 1);
	for (int i = 0; i < 200 && tc_process_alive(pid); i++) {
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	expect_nothing_left(pid);
	/* The next initialize() starts a fresh worker. */
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	int32_t fresh = worker_pid();
	BT_CHECK(fresh > 0 && fresh != pid);
	wc_channel_free(ch);
	wc_peer_free(pc);
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	if (p_argc > 1 && strcmp(p_argv[1], "--godot-child") == 0) {
		return run_godot_child();
	}
	tc_configure();
	baseline_fds = tc_count_dir("/proc/self/fd");
	baseline_shm = tc_count_dir("/dev/shm");
	BT_RUN(test_no_node_anywhere_is_one_clear_line);
	BT_RUN(test_kill_during_traffic_fails_everything_within_a_second);
	BT_RUN(test_pending_call_returns_no_worker_when_the_worker_dies);
	BT_RUN(test_issue9_stopped_worker_keeps_its_connections);
	BT_RUN(test_hung_worker_is_killed_after_a_stale_heartbeat);
	BT_RUN(test_godot_killed_leaves_no_worker);
	BT_RUN(test_corrupt_events_ring_is_a_lost_worker);
	wc_shutdown();
	BT_EQ(tc_bridge_memory_left(), 0);
	return bt_finish();
}
