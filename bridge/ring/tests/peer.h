/* The Godot side's part in two-process tests and benchmarks: create the region (memfd),
 * a doorbell socketpair, and start a Node child with the region on BP_REGION_FD and the
 * doorbell on BP_DOORBELL_FD (extra descriptors right after it), as the C client will start
 * the worker. */
#ifndef BRIDGE_PEER_H
#define BRIDGE_PEER_H

#include <stdint.h>
#include <sys/types.h>

#include "../shm.h"

#define BT_PEER_EXTRA_FD (BP_DOORBELL_FD + 1)
_Static_assert(BP_DOORBELL_FD == BP_REGION_FD + 1, "the region, the doorbell and the extras are consecutive");

typedef struct bt_peer {
	br_shm shm;
	pid_t pid;
	int doorbell; /* our end, blocking with a receive timeout, close-on-exec */
	int timeout_ms; /* the receive timeout currently set on it */
	uint64_t rings; /* bytes we sent: one system call each */
	uint64_t wakeups; /* times a wait returned because a byte arrived */
} bt_peer;

/* Create a region with these data sizes and start `p_argv` (argv[0] = the node binary),
 * passing p_extra_count more descriptors at 5, 6, ... Returns 0, or -1 with a message on
 * stderr. */
int bt_peer_start(bt_peer *r_peer, uint64_t p_commands_size, uint64_t p_events_size, char *const p_argv[],
		const int *p_extra_fds, int p_extra_count);

/* Send one doorbell byte. */
void bt_peer_ring(bt_peer *p_peer);

/* Wait up to p_timeout_ms for a doorbell byte, then drain all pending bytes.
 * Returns 1 (rung), 0 (timeout) or -1 (the child closed its end: it exited). */
int bt_peer_wait(bt_peer *p_peer, int p_timeout_ms);

/* Wait up to p_timeout_ms for the child to exit (then kill it). Returns its exit code, or
 * 128 + signal, or -1 on timeout. Closes the doorbell and destroys the region. */
int bt_peer_finish(bt_peer *p_peer, int p_timeout_ms);

/* Monotonic clock in nanoseconds. */
uint64_t bt_now_ns(void);

#endif /* BRIDGE_PEER_H */
