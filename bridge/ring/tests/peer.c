#define _GNU_SOURCE
#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define BT_PEER_MAX_FDS 8

uint64_t bt_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int bt_peer_start(bt_peer *r_peer, uint64_t p_commands_size, uint64_t p_events_size, char *const p_argv[],
		const int *p_extra_fds, int p_extra_count) {
	memset(r_peer, 0, sizeof(*r_peer));
	r_peer->pid = -1;
	r_peer->doorbell = -1;
	if (p_extra_count < 0 || p_extra_count > BT_PEER_MAX_FDS - 2) {
		return -1;
	}
	bp_status status = br_shm_create(p_commands_size, p_events_size, &r_peer->shm);
	if (status != BP_STATUS_OK) {
		fprintf(stderr, "peer: br_shm_create: %s (%s)\n", bp_status_name(status), strerror(errno));
		return -1;
	}
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
		fprintf(stderr, "peer: socketpair: %s\n", strerror(errno));
		br_shm_destroy(&r_peer->shm);
		return -1;
	}
	r_peer->doorbell = pair[0];
	r_peer->timeout_ms = -1;
	/* Move every source above the target range first, so no dup2 overwrites a source. The
	 * copies are close-on-exec; dup2 onto 3, 4, ... clears the flag on the child's copies
	 * only: the memfd stays close-on-exec in this process. */
	int sources[BT_PEER_MAX_FDS];
	int count = 2 + p_extra_count;
	sources[0] = fcntl(r_peer->shm.fd, F_DUPFD_CLOEXEC, 64);
	sources[1] = fcntl(pair[1], F_DUPFD_CLOEXEC, 64);
	for (int i = 0; i < p_extra_count; i++) {
		sources[2 + i] = fcntl(p_extra_fds[i], F_DUPFD_CLOEXEC, 64);
	}
	close(pair[1]);
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	for (int i = 0; i < count; i++) {
		posix_spawn_file_actions_adddup2(&actions, sources[i], BP_REGION_FD + i);
	}
	int rc = posix_spawnp(&r_peer->pid, p_argv[0], &actions, NULL, p_argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	for (int i = 0; i < count; i++) {
		close(sources[i]);
	}
	if (rc != 0) {
		fprintf(stderr, "peer: posix_spawnp %s: %s\n", p_argv[0], strerror(rc));
		r_peer->pid = -1;
		close(r_peer->doorbell);
		br_shm_destroy(&r_peer->shm);
		return -1;
	}
	return 0;
}

void bt_peer_ring(bt_peer *p_peer) {
	static const uint8_t one = 1;
	p_peer->rings++;
	/* EAGAIN means bytes are already pending: the other side will wake anyway. */
	(void)!send(p_peer->doorbell, &one, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int bt_peer_wait(bt_peer *p_peer, int p_timeout_ms) {
	/* One blocking recv per wakeup (it also drains up to 64 pending bytes); the timeout is a
	 * socket option, set again only when it changes. */
	if (p_peer->timeout_ms != p_timeout_ms) {
		struct timeval tv = { p_timeout_ms / 1000, (p_timeout_ms % 1000) * 1000 };
		setsockopt(p_peer->doorbell, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		p_peer->timeout_ms = p_timeout_ms;
	}
	uint8_t sink[64];
	ssize_t got;
	do {
		got = recv(p_peer->doorbell, sink, sizeof(sink), 0);
	} while (got < 0 && errno == EINTR);
	if (got == 0) {
		return -1;
	}
	if (got < 0) {
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	}
	p_peer->wakeups++;
	return 1;
}

int bt_peer_finish(bt_peer *p_peer, int p_timeout_ms) {
	int code = -1;
	/* Closing our end first tells a child still waiting on the doorbell that we are gone. */
	if (p_peer->doorbell >= 0) {
		close(p_peer->doorbell);
		p_peer->doorbell = -1;
	}
	if (p_peer->pid > 0) {
		uint64_t deadline = bt_now_ns() + (uint64_t)p_timeout_ms * 1000000ull;
		int wstatus = 0;
		pid_t done = 0;
		while ((done = waitpid(p_peer->pid, &wstatus, WNOHANG)) == 0 && bt_now_ns() < deadline) {
			struct timespec pause = { 0, 2000000 };
			nanosleep(&pause, NULL);
		}
		if (done == 0) {
			kill(p_peer->pid, SIGKILL);
			waitpid(p_peer->pid, &wstatus, 0);
		} else if (WIFEXITED(wstatus)) {
			code = WEXITSTATUS(wstatus);
		} else if (WIFSIGNALED(wstatus)) {
			code = 128 + WTERMSIG(wstatus);
		}
		p_peer->pid = -1;
	}
	br_shm_destroy(&p_peer->shm);
	return code;
}
