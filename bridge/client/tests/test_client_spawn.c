/* The worker inherits none of Godot's descriptors (issue 9): it starts holding 0, 1, 2, the
 * region (3) and the doorbell (4), however many others Godot has open without close-on-exec.
 * Built twice: test_client_spawn closes them the way this C library allows (one closefrom
 * action on glibc 2.34+), test_client_spawn_list with -DWC_SPAWN_CLOSE_BY_LIST, the close
 * action per listed descriptor used where closefrom is missing.
 *
 * Deterministic: the "node" the client starts is this program (BP_ENV_NODE). Started
 * with the worker's arguments, it writes down the descriptors exec left it, before anything
 * has opened one, then execs the real node with the same arguments, so the start completes
 * as usual. The running worker's /proc/<pid>/fd is then checked as well: none of Godot's
 * descriptors is among them (whatever Node opened since is ignored).
 *
 * Linked with -Wl,--wrap=posix_spawn_file_actions_adddup2 (bridge/Makefile): a file action
 * that cannot be added fails the start with one line, and leaves no worker and no descriptor.
 *
 *   test_client_spawn --worker build/worker/worker.mjs --node node --shm-addon shm.node
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "../../ring/platform.h"
#include "../../ring/tests/bt.h"
#include "tc.h"

#define WC_FIRST_FREE_FD (BP_DOORBELL_FD + 1) /* the worker's region and doorbell are below */
#define PROBE_NODE_ENV "TC_PROBE_NODE" /* the real node the probe execs */
#define PROBE_OUT_ENV "TC_PROBE_OUT" /* where it writes "fd target" lines */

/* The probe: list this process's descriptors, then become the real node. */
static int run_probe(char **p_argv) {
	char listing[8192];
	size_t used = 0;
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	while (dir != NULL && (entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.' || atoi(entry->d_name) == dirfd(dir)) {
			continue;
		}
		char path[300];
		char target[PATH_MAX] = "";
		snprintf(path, sizeof(path), "/proc/self/fd/%s", entry->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (used < sizeof(listing)) {
			used += (size_t)snprintf(listing + used, sizeof(listing) - used, "%s %s\n", entry->d_name, target);
		}
	}
	if (dir != NULL) {
		closedir(dir);
	}
	used = used < sizeof(listing) ? used : sizeof(listing) - 1;
	int out = open(getenv(PROBE_OUT_ENV), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || write(out, listing, used) != (ssize_t)used) {
		perror("probe: " PROBE_OUT_ENV);
	}
	if (out >= 0) {
		close(out);
	}
	p_argv[0] = getenv(PROBE_NODE_ENV);
	execvp(p_argv[0], p_argv);
	perror("probe: exec node");
	return 127;
}

/* Descriptors without close-on-exec, as a game's own files, sockets and pipes are. */
typedef struct extras {
	char path[64];
	int fds[6];
	int count;
} extras;

static void extras_open(extras *r_extras) {
	memset(r_extras, 0, sizeof(*r_extras));
	snprintf(r_extras->path, sizeof(r_extras->path), "/tmp/wc-spawn-test-XXXXXX");
	int file = mkstemp(r_extras->path); /* no close-on-exec */
	BT_CHECK(file >= 0);
	r_extras->fds[r_extras->count++] = file;
	if (fcntl(WC_FIRST_FREE_FD, F_GETFD) < 0) { /* right above the doorbell's number */
		r_extras->fds[r_extras->count++] = dup2(file, WC_FIRST_FREE_FD);
	}
	r_extras->fds[r_extras->count++] = dup2(file, 200);
	r_extras->fds[r_extras->count++] = open(r_extras->path, O_RDONLY);
	int pipe_ends[2];
	BT_EQ(pipe(pipe_ends), 0);
	r_extras->fds[r_extras->count++] = pipe_ends[0];
	r_extras->fds[r_extras->count++] = pipe_ends[1];
	for (int i = 0; i < r_extras->count; i++) {
		BT_CHECK(r_extras->fds[i] > 2 && (fcntl(r_extras->fds[i], F_GETFD) & FD_CLOEXEC) == 0);
	}
}

static void extras_close(extras *p_extras) {
	for (int i = 0; i < p_extras->count; i++) {
		close(p_extras->fds[i]);
	}
	unlink(p_extras->path);
}

/* Whether p_target (a /proc/<pid>/fd link) is one of ours. */
static bool extras_own(const extras *p_extras, const char *p_target) {
	for (int i = 0; i < p_extras->count; i++) {
		char path[64];
		char mine[PATH_MAX] = "";
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p_extras->fds[i]);
		ssize_t n = readlink(path, mine, sizeof(mine) - 1);
		if (n > 0) {
			mine[n] = '\0';
			if (strcmp(mine, p_target) == 0) {
				return true;
			}
		}
	}
	return false;
}

/* ---- a file action that cannot be added ---- */

int __real_posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *p_actions, int p_fd, int p_new_fd);
static int fail_dup2_to = -1; /* the target descriptor whose dup2 action fails; -1: none */

int __wrap_posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *p_actions, int p_fd, int p_new_fd) {
	if (p_new_fd == fail_dup2_to) {
		return ENOMEM;
	}
	return __real_posix_spawn_file_actions_adddup2(p_actions, p_fd, p_new_fd);
}

static int open_descriptor_count(void) {
	int count = 0;
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	while (dir != NULL && (entry = readdir(dir)) != NULL) {
		count += entry->d_name[0] != '.';
	}
	if (dir != NULL) {
		closedir(dir);
	}
	return count;
}

/* Each dup2 action failing in turn: initialize() is NO_WORKER with one line naming the
 * action, no worker runs, no descriptor is left open; the next initialize() starts one. */
static void test_issue9_a_failed_file_action_stops_the_start(void) {
	const int targets[] = { BP_REGION_FD, BP_DOORBELL_FD };
	const char *names[] = { "the region's dup2 action: ", "the doorbell's dup2 action: " };
	for (int i = 0; i < 2; i++) {
		tc_configure();
		tc_logs_clear();
		int before = open_descriptor_count();
		fail_dup2_to = targets[i];
		wc_handle pc = 0;
		BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
		BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_NO_WORKER);
		wc_stats stats;
		wc_get_stats(&stats);
		BT_EQ(stats.worker_pid, 0);
		BT_EQ(tc_log_count, 1);
		BT_CHECK(strstr(tc_log_text[0], names[i]) != NULL);
		BT_CHECK(strstr(tc_log_text[0], strerror(ENOMEM)) != NULL);
		BT_EQ(open_descriptor_count(), before);
		fail_dup2_to = -1;
		BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
		wc_get_stats(&stats);
		BT_CHECK(stats.worker_pid > 0);
		wc_peer_free(pc);
		wc_shutdown();
	}
}

static void test_issue9_worker_inherits_only_its_descriptors(void) {
	extras ours;
	extras_open(&ours);
	char self[PATH_MAX] = "";
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	BT_CHECK(n > 0);
	self[n > 0 ? n : 0] = '\0';
	char listing_path[64];
	snprintf(listing_path, sizeof(listing_path), "/tmp/wc-spawn-listing-%d", (int)getpid());
	setenv(PROBE_NODE_ENV, tc_opt.node, 1);
	setenv(PROBE_OUT_ENV, listing_path, 1);
	setenv(BP_ENV_NODE, self, 1); /* the probe, first in the search order */
	wc_config config = { .worker_script = tc_opt.worker, .shm_addon = tc_opt.shm_addon };
	wc_configure(&config);
	wc_set_log(tc_log, NULL);

	wc_handle pc = 0;
	BT_EQ(wc_peer_create(&pc), BP_CORE_STATUS_OK);
	BT_EQ(wc_peer_initialize(pc, TC_LOOPBACK, strlen(TC_LOOPBACK)), BP_CORE_STATUS_OK);
	wc_stats stats;
	wc_get_stats(&stats);
	BT_CHECK(stats.worker_pid > 0);

	/* What exec left the worker: exactly 0, 1, 2, the region and the doorbell. */
	FILE *listing = fopen(listing_path, "r");
	BT_CHECK(listing != NULL);
	bool seen[WC_FIRST_FREE_FD] = { false };
	int others = 0;
	char line[PATH_MAX + 32];
	while (listing != NULL && fgets(line, sizeof(line), listing) != NULL) {
		int fd = atoi(line);
		const char *target = strchr(line, ' ');
		target = target != NULL ? target + 1 : "";
		if (fd >= 0 && fd < WC_FIRST_FREE_FD) {
			seen[fd] = true;
		} else {
			others++;
			fprintf(stderr, "  the worker inherited descriptor %s", line);
		}
		if (fd == 3) {
#if defined(BR_PLATFORM_LINUX)
			BT_CHECK(strstr(target, "godot-webrtc-bridge") != NULL); /* the memfd */
#else
			BT_CHECK(strstr(target, "/gwrb-") != NULL && strstr(target, "(deleted)") != NULL); /* shm_open, unlinked */
#endif
		} else if (fd == 4) {
			BT_CHECK(strncmp(target, "socket:", 7) == 0);
		}
	}
	if (listing != NULL) {
		fclose(listing);
	}
	unlink(listing_path);
	for (int fd = 0; fd < WC_FIRST_FREE_FD; fd++) {
		BT_CHECK(seen[fd]);
	}
	BT_EQ(others, 0);

	/* And the running worker holds none of ours. */
	char fd_dir[64];
	snprintf(fd_dir, sizeof(fd_dir), "/proc/%d/fd", (int)stats.worker_pid);
	DIR *dir = opendir(fd_dir);
	BT_CHECK(dir != NULL);
	struct dirent *entry;
	int held = 0;
	while (dir != NULL && (entry = readdir(dir)) != NULL) {
		char path[400];
		char target[PATH_MAX] = "";
		snprintf(path, sizeof(path), "%s/%s", fd_dir, entry->d_name);
		ssize_t length = readlink(path, target, sizeof(target) - 1);
		if (entry->d_name[0] != '.' && length > 0) {
			target[length] = '\0';
			if (extras_own(&ours, target)) {
				held++;
				fprintf(stderr, "  the worker holds our descriptor as its %s: %s\n", entry->d_name, target);
			}
		}
	}
	if (dir != NULL) {
		closedir(dir);
	}
	BT_EQ(held, 0);

	wc_peer_free(pc);
	wc_shutdown();
	extras_close(&ours);
	unsetenv(BP_ENV_NODE);
}

int main(int p_argc, char **p_argv) {
	if (getenv(PROBE_NODE_ENV) != NULL && p_argc >= 2 && strcmp(p_argv[p_argc - 1], "--bridge") == 0) {
		return run_probe(p_argv);
	}
	tc_parse(p_argc, p_argv);
	BT_RUN(test_issue9_worker_inherits_only_its_descriptors);
	BT_RUN(test_issue9_a_failed_file_action_stops_the_start);
	return bt_finish();
}
