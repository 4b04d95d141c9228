/* The worker process: spawn it with the region and the doorbell, watch it, stop it.
 *
 * Spawning (bridge/README.md, "The region and how the worker gets it"): a memfd region
 * (br_shm_create) and a socketpair; posix_spawn with file actions that move both above fd 64
 * and then dup2 them onto 3 and 4 (dup2 clears close-on-exec on the child's copies only),
 * stdin from /dev/null, every other inherited descriptor closed, default signal mask and
 * dispositions, and its own process group (a Ctrl-C in Godot's terminal does not kill the
 * worker before Godot can close its connections).
 *
 * Watching: one thread per worker, which never touches Godot or the client's state. It
 * sleeps in poll() on the doorbell for POLLRDHUP only (the API thread reads the doorbell's
 * bytes; the watcher only notices its end), waking every WC_WATCH_INTERVAL_MS to compare
 * the heartbeat: unchanged for more than BP_HEARTBEAT_STALE_MS means hung, and it kills the
 * worker. Either way it reaps the process and sets `dead`; the API thread notices the flag
 * (one atomic load per call) and cleans up. kill() and waitpid() happen under proc_lock, so
 * a signal can never reach a recycled pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wc_private.h"

extern char **environ;

#define WC_REGION_FD 3
#define WC_DOORBELL_FD 4
#define WC_SHM_ADDON_ENV "GODOT_WEBRTC_SHM_ADDON"

uint64_t wc_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void wc_sleep_ms(int p_ms) {
	struct timespec pause = { p_ms / 1000, (long)(p_ms % 1000) * 1000000L };
	while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
	}
}

int wc_doorbell_wait(int p_fd, int p_timeout_ms) {
	struct pollfd pfd = { p_fd, POLLIN, 0 };
	int rc;
	do {
		rc = poll(&pfd, 1, p_timeout_ms);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		return 0;
	}
	if (rc < 0) {
		return -1;
	}
	uint8_t sink[64];
	ssize_t got = recv(p_fd, sink, sizeof(sink), MSG_DONTWAIT);
	if (got == 0) {
		return -1; /* EOF: the worker's end is closed */
	}
	if (got < 0) {
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 1 : -1;
	}
	return 1;
}

/* environ plus NAME=value (replacing an inherited NAME); NULL value: environ itself. */
static char **wc_child_environment(const char *p_shm_addon, char **r_owned) {
	*r_owned = NULL;
	if (p_shm_addon == NULL) {
		return environ;
	}
	size_t count = 0;
	while (environ[count] != NULL) {
		count++;
	}
	char **envp = calloc(count + 2u, sizeof(*envp));
	size_t length = strlen(WC_SHM_ADDON_ENV) + 1u + strlen(p_shm_addon) + 1u;
	char *entry = malloc(length);
	if (envp == NULL || entry == NULL) {
		free(envp);
		free(entry);
		return NULL;
	}
	snprintf(entry, length, "%s=%s", WC_SHM_ADDON_ENV, p_shm_addon);
	size_t at = 0;
	for (size_t i = 0; i < count; i++) {
		if (strncmp(environ[i], WC_SHM_ADDON_ENV "=", strlen(WC_SHM_ADDON_ENV) + 1u) != 0) {
			envp[at++] = environ[i];
		}
	}
	envp[at++] = entry;
	envp[at] = NULL;
	*r_owned = entry;
	return envp;
}

static int wc_spawn_process(wc_worker *p_worker, int p_peer_end, const char *p_node, bool p_search_path,
		const char *p_script, const char *p_shm_addon, char *r_reason, size_t p_reason_size) {
	int sources[2] = { fcntl(p_worker->shm.fd, F_DUPFD_CLOEXEC, 64), fcntl(p_peer_end, F_DUPFD_CLOEXEC, 64) };
	if (sources[0] < 0 || sources[1] < 0) {
		snprintf(r_reason, p_reason_size, "fcntl: %s", strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (sources[i] >= 0) {
				close(sources[i]);
			}
		}
		return -1;
	}
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, sources[0], WC_REGION_FD);
	posix_spawn_file_actions_adddup2(&actions, sources[1], WC_DOORBELL_FD);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	posix_spawn_file_actions_addclosefrom_np(&actions, WC_DOORBELL_FD + 1);
#endif
	posix_spawnattr_t attributes;
	posix_spawnattr_init(&attributes);
	sigset_t none;
	sigset_t all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attributes, &none);
	posix_spawnattr_setsigdefault(&attributes, &all);
	posix_spawnattr_setpgroup(&attributes, 0);
	posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	char *owned = NULL;
	char **envp = wc_child_environment(p_shm_addon, &owned);
	char *argv[] = { (char *)p_node, (char *)p_script, (char *)"--bridge", NULL };
	int rc = ENOMEM;
	if (envp != NULL) {
		rc = p_search_path ? posix_spawnp(&p_worker->pid, p_node, &actions, &attributes, argv, envp)
						   : posix_spawn(&p_worker->pid, p_node, &actions, &attributes, argv, envp);
	}
	if (envp != environ) {
		free(envp);
	}
	free(owned);
	posix_spawnattr_destroy(&attributes);
	posix_spawn_file_actions_destroy(&actions);
	close(sources[0]);
	close(sources[1]);
	if (rc != 0) {
		p_worker->pid = -1;
		snprintf(r_reason, p_reason_size, "%s: %s", p_node, strerror(rc));
		return -1;
	}
	return 0;
}

int wc_worker_spawn(wc_worker *r_worker, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, char *r_reason, size_t p_reason_size) {
	memset(r_worker, 0, sizeof(*r_worker));
	r_worker->pid = -1;
	r_worker->doorbell = -1;
	r_worker->shm.fd = -1;
	pthread_mutex_init(&r_worker->proc_lock, NULL);
	bp_status status = br_shm_create(BP_RING_DATA_SIZE_DEFAULT, BP_RING_DATA_SIZE_DEFAULT, &r_worker->shm);
	if (status != BP_STATUS_OK) {
		snprintf(r_reason, p_reason_size, "shared memory: %s (%s)", bp_status_name(status), strerror(errno));
		pthread_mutex_destroy(&r_worker->proc_lock);
		return -1;
	}
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
		snprintf(r_reason, p_reason_size, "socketpair: %s", strerror(errno));
		br_shm_destroy(&r_worker->shm);
		pthread_mutex_destroy(&r_worker->proc_lock);
		return -1;
	}
	r_worker->doorbell = pair[0];
	int rc = wc_spawn_process(r_worker, pair[1], p_node, p_search_path, p_script, p_shm_addon, r_reason, p_reason_size);
	close(pair[1]);
	if (rc != 0) {
		close(r_worker->doorbell);
		r_worker->doorbell = -1;
		br_shm_destroy(&r_worker->shm);
		pthread_mutex_destroy(&r_worker->proc_lock);
		return -1;
	}
	return 0;
}

/* kill, under proc_lock so the pid cannot have been reaped and recycled meanwhile. */
static void wc_worker_kill(wc_worker *p_worker) {
	pthread_mutex_lock(&p_worker->proc_lock);
	if (p_worker->pid > 0) {
		kill(p_worker->pid, SIGKILL);
	}
	pthread_mutex_unlock(&p_worker->proc_lock);
}

/* Reap, giving it p_grace_ms to exit by itself first (then SIGKILL). */
static void wc_worker_reap(wc_worker *p_worker, int p_grace_ms) {
	uint64_t deadline = wc_now_ns() + (uint64_t)p_grace_ms * 1000000ull;
	bool killed = false;
	for (;;) {
		pthread_mutex_lock(&p_worker->proc_lock);
		if (p_worker->pid <= 0) {
			pthread_mutex_unlock(&p_worker->proc_lock);
			return;
		}
		int status = 0;
		pid_t done = waitpid(p_worker->pid, &status, WNOHANG);
		if (done == p_worker->pid || (done < 0 && errno == ECHILD)) {
			/* ECHILD: SIGCHLD is ignored in this process, the kernel reaped it. */
			p_worker->wait_status = done == p_worker->pid ? status : 0;
			p_worker->reaped = done == p_worker->pid;
			p_worker->pid = -1;
			pthread_mutex_unlock(&p_worker->proc_lock);
			return;
		}
		if (!killed && wc_now_ns() >= deadline) {
			kill(p_worker->pid, SIGKILL);
			killed = true;
		}
		pthread_mutex_unlock(&p_worker->proc_lock);
		wc_sleep_ms(2);
	}
}

static void *wc_watch(void *p_arg) {
	wc_worker *w = p_arg;
	uint64_t last = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
	uint64_t changed = wc_now_ns();
	struct pollfd pfd = { w->doorbell, POLLRDHUP, 0 };
	while (!atomic_load(&w->stopping)) {
		int rc = poll(&pfd, 1, WC_WATCH_INTERVAL_MS);
		if (rc > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) {
			break;
		}
		uint64_t beat = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
		uint64_t now = wc_now_ns();
		if (beat != last) {
			last = beat;
			changed = now;
		} else if (now - changed > (uint64_t)BP_HEARTBEAT_STALE_MS * 1000000ull) {
			atomic_store(&w->hung, 1);
			wc_worker_kill(w);
			break;
		}
	}
	wc_worker_reap(w, atomic_load(&w->stopping) ? WC_EXIT_GRACE_MS : 200);
	atomic_store(&w->dead, 1);
	return NULL;
}

int wc_worker_watch(wc_worker *p_worker) {
	if (pthread_create(&p_worker->watcher, NULL, wc_watch, p_worker) != 0) {
		return -1;
	}
	p_worker->watching = true;
	return 0;
}

void wc_worker_stop(wc_worker *p_worker, bool p_kill) {
	if (p_kill) {
		wc_worker_kill(p_worker);
	}
	atomic_store(&p_worker->stopping, 1);
	/* The worker reads EOF and exits; our own poll() wakes with POLLHUP. */
	if (p_worker->doorbell >= 0) {
		shutdown(p_worker->doorbell, SHUT_RDWR);
	}
	if (p_worker->watching) {
		pthread_join(p_worker->watcher, NULL);
		p_worker->watching = false;
	} else {
		wc_worker_reap(p_worker, p_kill ? 0 : WC_EXIT_GRACE_MS);
	}
	if (p_worker->doorbell >= 0) {
		close(p_worker->doorbell);
		p_worker->doorbell = -1;
	}
	br_shm_destroy(&p_worker->shm);
	pthread_mutex_destroy(&p_worker->proc_lock);
	atomic_store(&p_worker->dead, 1);
}

void wc_worker_describe_exit(const wc_worker *p_worker, char *r_text, size_t p_size) {
	int status = p_worker->wait_status;
	if (atomic_load(&p_worker->hung)) {
		snprintf(r_text, p_size, "stopped answering (no heartbeat for %u ms) and was killed", BP_HEARTBEAT_STALE_MS);
	} else if (!p_worker->reaped) {
		snprintf(r_text, p_size, "exited");
	} else if (WIFEXITED(status)) {
		snprintf(r_text, p_size, "exited with code %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		snprintf(r_text, p_size, "was killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(r_text, p_size, "ended");
	}
}
