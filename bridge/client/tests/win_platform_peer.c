/* Windows check of the platform layer with a real worker process (run under Wine or on
 * Windows): create a region (shm_windows.c), start node.exe on a small script through
 * wc_os_spawn (handle list, job object, named-pipe doorbell), and check that the script
 * mapped the region (it writes a marker into the header's reserved bytes), rang the doorbell,
 * answers a ring, exits on hang-up; then start one more and kill it.
 *
 *   win_platform_peer.exe <node.exe> <script.cjs> <shm.node>   prints "N passed, N failed" */
#include <stdio.h>
#include <string.h>

#include "../../ring/shm.h"
#include "../wc_platform.h"

static int passed;
static int failed;
#define WP_CHECK(c) do { if (c) { passed++; } else { failed++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); } } while (0)

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s <node.exe> <script.cjs> <shm.node>\n", argv[0]);
		return 2;
	}
	br_shm shm;
	WP_CHECK(br_shm_create(BP_RING_DATA_SIZE_MIN, BP_RING_DATA_SIZE_MIN, &shm) == BP_STATUS_OK);
	volatile uint8_t *marker = (volatile uint8_t *)shm.base + 2048;
	wc_os_worker os;
	char reason[256] = "";
	int spawned = wc_os_spawn(&os, &shm, argv[1], false, argv[2], argv[3], NULL, reason, sizeof(reason));
	if (spawned != 0) {
		fprintf(stderr, "spawn: %s\n", reason);
	}
	WP_CHECK(spawned == 0);
	uint64_t start = wc_now_ns();
	int rung = spawned == 0 ? wc_os_doorbell_wait(&os, 60000) : -1;
	fprintf(stderr, "  first ring after %llu ms: %d, marker %u\n", (unsigned long long)((wc_now_ns() - start) / 1000000u), rung, (unsigned)*marker);
	WP_CHECK(rung == 1);
	WP_CHECK(*marker == 0x5a); /* the script wrote into our mapping */
	wc_os_ring(&os); /* the script answers with a second byte */
	rung = wc_os_doorbell_wait(&os, 20000);
	WP_CHECK(rung == 1);
	WP_CHECK(*marker == 0x5b);
	wc_os_hang_up(&os);
	bool ended = false;
	for (int i = 0; i < 200 && !ended; i++) {
		ended = wc_os_watch(&os, 100);
	}
	WP_CHECK(ended);
	WP_CHECK(wc_os_reap(&os));
	char how[64];
	wc_os_describe_exit(&os, how, sizeof(how));
	fprintf(stderr, "  after hang-up the script %s\n", how);
	WP_CHECK(strcmp(how, "exited with code 0") == 0);
	wc_os_close(&os);
	/* Kill: seen by the watcher, described as terminated. */
	*marker = 0;
	spawned = wc_os_spawn(&os, &shm, argv[1], false, argv[2], argv[3], NULL, reason, sizeof(reason));
	WP_CHECK(spawned == 0);
	WP_CHECK(wc_os_doorbell_wait(&os, 60000) == 1);
	wc_os_kill(&os);
	ended = false;
	for (int i = 0; i < 100 && !ended; i++) {
		ended = wc_os_watch(&os, 100);
	}
	WP_CHECK(ended);
	WP_CHECK(wc_os_reap(&os));
	wc_os_describe_exit(&os, how, sizeof(how));
	WP_CHECK(strcmp(how, "was terminated") == 0);
	WP_CHECK(wc_os_doorbell_wait(&os, 1000) == -1);
	wc_os_close(&os);
	br_shm_destroy(&shm);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
