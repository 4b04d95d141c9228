/* wc_platform.h for Linux and macOS (bridge/README.md, "The region and how the worker gets
 * it").
 *
 * Spawning: a socketpair doorbell; posix_spawn with file actions that move the region and
 * the doorbell above fd 64 and then dup2 them onto BP_REGION_FD and BP_DOORBELL_FD
 * (protocol.json; dup2 clears close-on-exec on the child's copies only), stdin from
 * /dev/null, every other inherited descriptor closed, default signal mask and dispositions,
 * and its own process group (a Ctrl-C in Godot's terminal does not kill the worker before
 * Godot can close its connections). "Every other descriptor closed" is one closefrom action
 * on glibc 2.34+, POSIX_SPAWN_CLOEXEC_DEFAULT on Apple, and elsewhere a close action for each
 * descriptor open without close-on-exec at the spawn (wc_spawn_close_listed;
 * -DWC_SPAWN_CLOSE_BY_LIST selects it anywhere, for tests).
 *
 * Death: Linux sees the doorbell's end close with POLLRDHUP (the watcher never reads the
 * API thread's bytes). Elsewhere (BR_PLATFORM_POSIX) poll() reports only POLLHUP/POLLERR, so
 * the watcher also asks waitpid(WNOHANG) at each wake: a death is seen within the watcher's
 * interval at worst.
 *
 * Godot dying: the worker reads EOF on the doorbell (the kernel closes Godot's end) and
 * exits by itself; nothing else is needed on POSIX. */
#define _GNU_SOURCE
#define _DARWIN_C_SOURCE
#include "wc_platform.h"

#if !defined(BR_PLATFORM_WINDOWS)

#include <dirent.h>
#include <dlfcn.h>
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

extern char **environ;

/* Linux reports a peer's close as POLLRDHUP; macOS has no such flag (Apple lines: none here,
 * the portable branch is used). */
#if defined(BR_PLATFORM_LINUX)
#define WC_POLL_CLOSED POLLRDHUP
#else
#define WC_POLL_CLOSED 0
#endif
/* macOS has no SOCK_CLOEXEC: set the flag after socketpair (no other thread of ours spawns
 * in between: wc_os_spawn runs under the client lock). */
#if defined(SOCK_CLOEXEC)
#define WC_SOCK_CLOEXEC SOCK_CLOEXEC
#else
#define WC_SOCK_CLOEXEC 0
#endif
/* Writes to a socket whose reader is gone must not raise SIGPIPE: MSG_NOSIGNAL on Linux,
 * SO_NOSIGPIPE on Apple (set once on the socket). */
#if defined(MSG_NOSIGNAL)
#define WC_SEND_FLAGS (MSG_NOSIGNAL | MSG_DONTWAIT)
#else
#define WC_SEND_FLAGS MSG_DONTWAIT
#endif

void wc_os_init(wc_os_worker *r_os) {
	memset(r_os, 0, sizeof(*r_os));
	r_os->pid = -1;
	r_os->doorbell = -1;
}

uint64_t wc_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void wc_sleep_ms(int p_ms) {
	struct timespec pause = { p_ms / 1000, (long)(p_ms % 1000) * 1000000L };
	while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
	}
}

char *wc_os_absolute_path(const char *p_path) {
	return realpath(p_path, NULL);
}

char *wc_os_module_path(const void *p_address) {
	Dl_info info;
	if (dladdr((void *)(uintptr_t)p_address, &info) != 0 && info.dli_fname != NULL && info.dli_fname[0] == '/') {
		return strdup(info.dli_fname);
	}
	return NULL;
}

void wc_os_ring(wc_os_worker *p_os) {
	static const unsigned char one = 1;
	/* EAGAIN means bytes are already pending: the worker wakes anyway. */
	(void)!send(p_os->doorbell, &one, 1, WC_SEND_FLAGS);
}

int wc_os_doorbell_wait(wc_os_worker *p_os, int p_timeout_ms) {
	struct pollfd pfd = { p_os->doorbell, POLLIN, 0 };
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
	unsigned char sink[64];
	ssize_t got = recv(p_os->doorbell, sink, sizeof(sink), MSG_DONTWAIT);
	if (got == 0) {
		return -1; /* EOF: the worker's end is closed */
	}
	if (got < 0) {
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 1 : -1;
	}
	return 1;
}

bool wc_os_watch(wc_os_worker *p_os, int p_timeout_ms) {
	struct pollfd pfd = { p_os->doorbell, WC_POLL_CLOSED, 0 };
	int rc = poll(&pfd, 1, p_timeout_ms);
	if (rc > 0 && (pfd.revents & (WC_POLL_CLOSED | POLLHUP | POLLERR | POLLNVAL)) != 0) {
		return true;
	}
#if !defined(BR_PLATFORM_LINUX)
	/* No POLLRDHUP: ask whether it ended (the caller reaps under its lock right after). */
	if (p_os->pid > 0) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)p_os->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == p_os->pid) {
			return true;
		}
	}
#endif
	return false;
}

void wc_os_kill(wc_os_worker *p_os) {
	if (p_os->pid > 0) {
		kill(p_os->pid, SIGKILL);
	}
}

bool wc_os_reap(wc_os_worker *p_os) {
	if (p_os->pid <= 0) {
		return true;
	}
	int status = 0;
	pid_t done = waitpid(p_os->pid, &status, WNOHANG);
	if (done == p_os->pid || (done < 0 && errno == ECHILD)) {
		/* ECHILD: SIGCHLD is ignored in this process, the kernel reaped it. */
		p_os->wait_status = done == p_os->pid ? status : 0;
		p_os->reaped = done == p_os->pid;
		p_os->pid = -1;
		return true;
	}
	return false;
}

void wc_os_hang_up(wc_os_worker *p_os) {
	if (p_os->doorbell >= 0) {
		shutdown(p_os->doorbell, SHUT_RDWR);
	}
}

void wc_os_close(wc_os_worker *p_os) {
	if (p_os->doorbell >= 0) {
		close(p_os->doorbell);
		p_os->doorbell = -1;
	}
}

void wc_os_describe_exit(const wc_os_worker *p_os, char *r_text, size_t p_size) {
	int status = p_os->wait_status;
	if (!p_os->reaped) {
		snprintf(r_text, p_size, "exited");
	} else if (WIFEXITED(status)) {
		snprintf(r_text, p_size, "exited with code %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		snprintf(r_text, p_size, "was killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(r_text, p_size, "ended");
	}
}

/* environ plus each NAME=value whose value is not NULL (replacing an inherited NAME);
 * environ itself when there is none. r_owned[] (WC_CHILD_SET entries) gets the allocations. */
#define WC_CHILD_SET 2
static char **wc_child_environment(const char *const p_names[WC_CHILD_SET], const char *const p_values[WC_CHILD_SET],
		char *r_owned[WC_CHILD_SET]) {
	size_t setting = 0;
	for (size_t k = 0; k < WC_CHILD_SET; k++) {
		r_owned[k] = NULL;
		setting += p_values[k] != NULL ? 1u : 0u;
	}
	if (setting == 0) {
		return environ;
	}
	size_t count = 0;
	while (environ[count] != NULL) {
		count++;
	}
	char **envp = calloc(count + setting + 1u, sizeof(*envp));
	if (envp == NULL) {
		return NULL;
	}
	for (size_t k = 0; k < WC_CHILD_SET; k++) {
		if (p_values[k] == NULL) {
			continue;
		}
		size_t length = strlen(p_names[k]) + 1u + strlen(p_values[k]) + 1u;
		r_owned[k] = malloc(length);
		if (r_owned[k] == NULL) {
			for (size_t j = 0; j < k; j++) {
				free(r_owned[j]);
				r_owned[j] = NULL;
			}
			free(envp);
			return NULL;
		}
		snprintf(r_owned[k], length, "%s=%s", p_names[k], p_values[k]);
	}
	size_t at = 0;
	for (size_t i = 0; i < count; i++) {
		bool replaced = false;
		for (size_t k = 0; k < WC_CHILD_SET; k++) {
			size_t name = strlen(p_names[k]);
			replaced = replaced ||
					(p_values[k] != NULL && strncmp(environ[i], p_names[k], name) == 0 && environ[i][name] == '=');
		}
		if (!replaced) {
			envp[at++] = environ[i];
		}
	}
	for (size_t k = 0; k < WC_CHILD_SET; k++) {
		if (r_owned[k] != NULL) {
			envp[at++] = r_owned[k];
		}
	}
	envp[at] = NULL;
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

/* The worker's descriptors: the region and the doorbell at their fixed numbers, stdin from
 * /dev/null, stdout and stderr shared with Godot, every other one closed. 0 or the error
 * number of the first action that could not be added (its name in *r_what). */
static int wc_spawn_file_actions(posix_spawn_file_actions_t *p_actions, const int p_sources[2], const char **r_what) {
	int rc = posix_spawn_file_actions_adddup2(p_actions, p_sources[0], BP_REGION_FD);
	*r_what = "the region's dup2 action";
	if (rc == 0) {
		rc = posix_spawn_file_actions_adddup2(p_actions, p_sources[1], BP_DOORBELL_FD);
		*r_what = "the doorbell's dup2 action";
	}
	if (rc == 0) {
		rc = posix_spawn_file_actions_addopen(p_actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
		*r_what = "the stdin open action";
	}
#if defined(WC_SPAWN_CLOSEFROM)
	if (rc == 0) {
		rc = posix_spawn_file_actions_addclosefrom_np(p_actions, BP_DOORBELL_FD + 1);
		*r_what = "the closefrom action for Godot's descriptors";
	}
#elif defined(WC_SPAWN_CLOEXEC_DEFAULT)
	/* Only descriptors named by an action survive: 0, the region and the doorbell are; stdout
	 * and stderr too. */
	if (rc == 0) {
		rc = posix_spawn_file_actions_addinherit_np(p_actions, STDOUT_FILENO);
		*r_what = "the stdout inherit action";
	}
	if (rc == 0) {
		rc = posix_spawn_file_actions_addinherit_np(p_actions, STDERR_FILENO);
		*r_what = "the stderr inherit action";
	}
#else
	if (rc == 0) {
		rc = wc_spawn_close_listed(p_actions);
		*r_what = "the close actions for Godot's descriptors";
	}
#endif
	return rc;
}

/* Default signal handling and no blocked signal in the worker (whatever Godot's thread
 * masks), in a process group of its own (a terminal's Ctrl-C reaches Godot, which then stops
 * the worker itself). 0 or the error number of the first call that failed. */
static int wc_spawn_attributes(posix_spawnattr_t *p_attributes) {
	sigset_t none;
	sigset_t all;
	sigemptyset(&none);
	sigfillset(&all);
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP;
#if defined(WC_SPAWN_CLOEXEC_DEFAULT)
	flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
	int rc = posix_spawnattr_setsigmask(p_attributes, &none);
	if (rc == 0) {
		rc = posix_spawnattr_setsigdefault(p_attributes, &all);
	}
	if (rc == 0) {
		rc = posix_spawnattr_setpgroup(p_attributes, 0);
	}
	if (rc == 0) {
		rc = posix_spawnattr_setflags(p_attributes, flags);
	}
	return rc;
}

static int wc_spawn_process(wc_os_worker *p_os, int p_region, int p_peer_end, const char *p_node, bool p_search_path,
		const char *p_script, const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size) {
	int sources[2] = { fcntl(p_region, F_DUPFD_CLOEXEC, 64), fcntl(p_peer_end, F_DUPFD_CLOEXEC, 64) };
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
	posix_spawnattr_t attributes;
	bool have_actions = false;
	bool have_attributes = false;
	const char *what = "posix_spawn_file_actions_init";
	int rc = posix_spawn_file_actions_init(&actions);
	if (rc == 0) {
		have_actions = true;
		rc = wc_spawn_file_actions(&actions, sources, &what);
	}
	if (rc == 0) {
		what = "posix_spawnattr_init";
		rc = posix_spawnattr_init(&attributes);
		have_attributes = rc == 0;
	}
	if (rc == 0) {
		what = "the worker's signal and process-group attributes";
		rc = wc_spawn_attributes(&attributes);
	}
	if (rc == 0) {
		const char *const names[WC_CHILD_SET] = { BP_ENV_SHM_ADDON, BP_ENV_LOG_LEVEL };
		const char *const values[WC_CHILD_SET] = { p_shm_addon, p_log_level };
		char *owned[WC_CHILD_SET];
		char **envp = wc_child_environment(names, values, owned);
		char *argv[] = { (char *)p_node, (char *)p_script, (char *)"--bridge", NULL };
		pid_t pid = -1;
		what = p_node;
		rc = ENOMEM;
		if (envp != NULL) {
			rc = p_search_path ? posix_spawnp(&pid, p_node, &actions, &attributes, argv, envp)
							   : posix_spawn(&pid, p_node, &actions, &attributes, argv, envp);
		}
		if (envp != environ) {
			free(envp);
		}
		for (size_t k = 0; k < WC_CHILD_SET; k++) {
			free(owned[k]);
		}
		if (rc == 0) {
			p_os->pid = (int)pid;
			p_os->id = (int32_t)pid;
		}
	}
	if (have_attributes) {
		posix_spawnattr_destroy(&attributes);
	}
	if (have_actions) {
		posix_spawn_file_actions_destroy(&actions);
	}
	close(sources[0]);
	close(sources[1]);
	if (rc != 0) {
		snprintf(r_reason, p_reason_size, "%s: %s", what, strerror(rc));
		return -1;
	}
	return 0;
}

/* A socketpair, both ends close-on-exec (and no SIGPIPE where that is a socket option). */
static int wc_doorbell_pair(int r_pair[2]) {
	if (socketpair(AF_UNIX, SOCK_STREAM | WC_SOCK_CLOEXEC, 0, r_pair) != 0) {
		return -1;
	}
	for (int i = 0; i < 2; i++) {
#if !defined(SOCK_CLOEXEC)
		fcntl(r_pair[i], F_SETFD, FD_CLOEXEC);
#endif
#if defined(SO_NOSIGPIPE)
		int on = 1;
		setsockopt(r_pair[i], SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
#endif
	}
	return 0;
}

int wc_os_spawn(wc_os_worker *r_os, const br_shm *p_shm, const char *p_node, bool p_search_path, const char *p_script,
		const char *p_shm_addon, const char *p_log_level, char *r_reason, size_t p_reason_size) {
	wc_os_init(r_os);
	int pair[2];
	if (wc_doorbell_pair(pair) != 0) {
		snprintf(r_reason, p_reason_size, "socketpair: %s", strerror(errno));
		return -1;
	}
	int rc = wc_spawn_process(r_os, p_shm->fd, pair[1], p_node, p_search_path, p_script, p_shm_addon, p_log_level, r_reason,
			p_reason_size);
	close(pair[1]);
	if (rc != 0) {
		close(pair[0]);
		return -1;
	}
	r_os->doorbell = pair[0];
	return 0;
}

#else
typedef int wc_platform_posix_not_built; /* Windows: wc_platform_windows.c */
#endif
