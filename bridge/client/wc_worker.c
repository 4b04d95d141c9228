/* The worker process: spawn it with the region and the doorbell, watch it, stop it.
 *
 * Spawning (bridge/README.md, "The region and how the worker gets it"): a memfd region
 * (br_shm_create) and a socketpair; posix_spawn with file actions that move both above fd 64
 * and then dup2 them onto BP_REGION_FD and BP_DOORBELL_FD (protocol.json; dup2 clears
 * close-on-exec on the child's copies only),
 * stdin from /dev/null, every other inherited descriptor closed, default signal mask and
 * dispositions, and its own process group (a Ctrl-C in Godot's terminal does not kill the
 * worker before Godot can close its connections). "Every other descriptor closed" is one
 * closefrom action on glibc 2.34+, POSIX_SPAWN_CLOEXEC_DEFAULT on Apple, and elsewhere a close
 * action for each descriptor open without close-on-exec at the spawn (wc_spawn_close_listed;
 * -DWC_SPAWN_CLOSE_BY_LIST selects it anywhere, for tests).
 *
 * Watching: one thread per worker, which never touches Godot or the client's state. It
 * sleeps in poll() on the doorbell for POLLRDHUP only (the API thread reads the doorbell's
 * bytes; the watcher only notices its end), so a death is seen at once. It wakes every
 * WC_WATCH_INTERVAL_MS to compare the heartbeat: unchanged for more than
 * BP_HEARTBEAT_STALE_MS (30 s, why in protocol.json) means hung, and it kills the worker.
 * Time the watcher itself did not run (Godot stopped, the whole machine paused) counts for
 * nothing: after such a gap the window starts over. Either way it reaps the process and sets
 * `dead`; the API thread notices the flag
 * (one atomic load per call) and cleans up. kill() and waitpid() happen under proc_lock, so
 * a signal can never reach a recycled pid.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
	size_t length = strlen(BP_ENV_SHM_ADDON) + 1u + strlen(p_shm_addon) + 1u;
	char *entry = malloc(length);
	if (envp == NULL || entry == NULL) {
		free(envp);
		free(entry);
		return NULL;
	}
	snprintf(entry, length, "%s=%s", BP_ENV_SHM_ADDON, p_shm_addon);
	size_t at = 0;
	for (size_t i = 0; i < count; i++) {
		if (strncmp(environ[i], BP_ENV_SHM_ADDON "=", strlen(BP_ENV_SHM_ADDON) + 1u) != 0) {
			envp[at++] = environ[i];
		}
	}
	envp[at++] = entry;
	envp[at] = NULL;
	*r_owned = entry;
	return envp;
}

#if defined(WC_SPAWN_CLOSE_BY_LIST)
#define WC_SPAWN_CLOSE_LISTED 1
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define WC_SPAWN_CLOSEFROM 1
#elif defined(__APPLE__)
#define WC_SPAWN_CLOEXEC_DEFAULT 1
#else
#define WC_SPAWN_CLOSE_LISTED 1
#endif

#if defined(WC_SPAWN_CLOSE_LISTED)
/* A close action for p_fd if it is open and would survive exec. 0 or an error number. */
static int wc_spawn_close_one(posix_spawn_file_actions_t *p_actions, int p_fd) {
	int flags = fcntl(p_fd, F_GETFD);
	if (flags < 0 || (flags & FD_CLOEXEC) != 0) {
		return 0; /* not open, or closed by exec anyway */
	}
	return posix_spawn_file_actions_addclose(p_actions, p_fd);
}

/* Where posix_spawn cannot close every other descriptor by itself: a close action for each
 * descriptor above the doorbell's that is open without close-on-exec now, as /proc/self/fd
 * lists them (Linux), else for every number below the descriptor limit. A descriptor another
 * thread opens between this and the spawn is not covered. 0 or an error number. */
static int wc_spawn_close_listed(posix_spawn_file_actions_t *p_actions) {
	DIR *dir = opendir("/proc/self/fd");
	if (dir != NULL) {
		int rc = 0;
		struct dirent *entry;
		while (rc == 0 && (entry = readdir(dir)) != NULL) {
			char *end = NULL;
			long fd = strtol(entry->d_name, &end, 10);
			if (end != entry->d_name && *end == '\0' && fd > BP_DOORBELL_FD && fd <= INT_MAX && fd != dirfd(dir)) {
				rc = wc_spawn_close_one(p_actions, (int)fd);
			}
		}
		closedir(dir);
		return rc;
	}
	long limit = sysconf(_SC_OPEN_MAX);
	if (limit < 0 || limit > 65536) {
		limit = 65536;
	}
	int rc = 0;
	for (int fd = BP_DOORBELL_FD + 1; rc == 0 && fd < (int)limit; fd++) {
		rc = wc_spawn_close_one(p_actions, fd);
	}
	return rc;
}
#endif

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
	posix_spawn_file_actions_adddup2(&actions, sources[0], BP_REGION_FD);
	posix_spawn_file_actions_adddup2(&actions, sources[1], BP_DOORBELL_FD);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
#if defined(WC_SPAWN_CLOSEFROM)
	posix_spawn_file_actions_addclosefrom_np(&actions, BP_DOORBELL_FD + 1);
#elif defined(WC_SPAWN_CLOEXEC_DEFAULT)
	/* Only descriptors named by an action survive: 0, the region and the doorbell are; stdout
	 * and stderr too. */
	posix_spawn_file_actions_addinherit_np(&actions, STDOUT_FILENO);
	posix_spawn_file_actions_addinherit_np(&actions, STDERR_FILENO);
#else
	int listed = wc_spawn_close_listed(&actions);
	if (listed != 0) {
		snprintf(r_reason, p_reason_size, "cannot close Godot's descriptors in the worker: %s", strerror(listed));
		posix_spawn_file_actions_destroy(&actions);
		close(sources[0]);
		close(sources[1]);
		return -1;
	}
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
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP;
#if defined(WC_SPAWN_CLOEXEC_DEFAULT)
	flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
	posix_spawnattr_setflags(&attributes, flags);
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

uint32_t wc_test_hang_ms;

static void *wc_watch(void *p_arg) {
	wc_worker *w = p_arg;
	const uint64_t window = (uint64_t)w->hang_ms * 1000000ull;
	const uint64_t gap = (uint64_t)WC_WATCH_GAP_MS * 1000000ull;
	uint64_t last = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
	uint64_t changed = wc_now_ns();
	uint64_t awake = changed;
	struct pollfd pfd = { w->doorbell, POLLRDHUP, 0 };
	while (!atomic_load(&w->stopping)) {
		int rc = poll(&pfd, 1, WC_WATCH_INTERVAL_MS);
		if (rc > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) {
			break;
		}
		uint64_t beat = atomic_load_explicit(w->heartbeat, memory_order_relaxed);
		uint64_t now = wc_now_ns();
		if (now - awake > gap) {
			changed = now; /* we did not run either: no judgement over that time */
		}
		awake = now;
		if (beat != last) {
			last = beat;
			changed = now;
		} else if (now - changed > window) {
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
	p_worker->hang_ms = wc_test_hang_ms != 0 ? wc_test_hang_ms : BP_HEARTBEAT_STALE_MS;
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
		snprintf(r_text, p_size, "stopped answering (no heartbeat for %u ms) and was killed", (unsigned)p_worker->hang_ms);
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
