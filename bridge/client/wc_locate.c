/* Where the addon's run-time files are: one rule, from the path of the shim library itself,
 * for both shims and for the addon folder as well as an exported game.
 *
 *   addon layout   <addon>/lib/<shim>          <addon>/worker/worker.mjs,
 *                                              <addon>/runtime/<platform>/node (node.exe)
 *   export layout  <game folder>/<shim>        <game folder>/worker.mjs, <game folder>/node
 *
 * <platform> is Godot's feature tag of this build (WC_OS_PLATFORM_FOLDER: linux.x86_64,
 * windows.x86_64, ...): one addon folder holds every platform's runtime side by side. The
 * worker finds its native modules the same way (worker/<platform>/shm.node and
 * node_datachannel.node, else beside itself: bridge/node/platform-folder.ts).
 *
 * The engines copy an extension's [dependencies] flat beside the exported executable (and
 * the shim with them), so an export holds the worker's files in the shim's own folder. The
 * addon layout is tried first. When neither holds worker.mjs, the path the layout implies
 * is named anyway (the addon's when the shim sits in a lib/ folder), so the error line says
 * which file is missing.
 *
 * On Windows a path may use '\\' as well as '/': both separate, and what comes back uses '/'.
 *
 * An export or an unzipped release may lose the runtime's executable bit (Godot copies
 * files with default permissions; zip extractors often drop the bit): it is set again
 * here, for whoever may read the file. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wc_locate.h"

#define WC_WORKER_FILE "worker.mjs"

const wc_locate_rule wc_locate_rule_here = {
	.platform_folder = WC_OS_PLATFORM_FOLDER,
	.runtime_file = WC_OS_RUNTIME_FILE,
#if defined(BR_PLATFORM_WINDOWS)
	.backslash_separates = true,
	.execute_bit = false, /* no execute bit: a .exe runs */
#else
	.backslash_separates = false,
	.execute_bit = true,
#endif
};

/* p_directory "/" p_name, malloc'd; NULL when out of memory. */
static char *wc_join(const char *p_directory, const char *p_name) {
	size_t length = strlen(p_directory) + 1u + strlen(p_name) + 1u;
	char *path = malloc(length);
	if (path != NULL) {
		snprintf(path, length, "%s/%s", p_directory, p_name);
	}
	return path;
}

/* The folder holding p_path, malloc'd ("." for a bare name); NULL when out of memory. */
static char *wc_parent(const char *p_path) {
	const char *slash = strrchr(p_path, '/');
	if (slash == NULL) {
		return strdup(".");
	}
	size_t length = slash == p_path ? 1u : (size_t)(slash - p_path);
	char *parent = malloc(length + 1u);
	if (parent != NULL) {
		memcpy(parent, p_path, length);
		parent[length] = '\0';
	}
	return parent;
}

/* A runtime that is there but not executable is made so (read bits become execute bits). */
static bool wc_runtime_ready(const wc_locate_rule *p_rule, const char *p_path) {
	struct stat info;
	if (stat(p_path, &info) != 0 || !S_ISREG(info.st_mode)) {
		return false;
	}
	if (!p_rule->execute_bit) {
		return true;
	}
#if defined(BR_PLATFORM_WINDOWS)
	return true; /* a POSIX rule asked on Windows (a test): there is no execute bit to check */
#else
	if (access(p_path, X_OK) == 0) {
		return true;
	}
	mode_t readable = info.st_mode & (S_IRUSR | S_IRGRP | S_IROTH);
	mode_t mode = (info.st_mode & 07777) | (readable >> 2); /* r -> x for the same class */
	if (chmod(p_path, mode) != 0) {
		wc_log(BP_LOG_LEVEL_WARNING, "godot-webrtc: the bundled runtime %s is not executable and cannot be made so (%s)",
				p_path, strerror(errno));
		return false;
	}
	return access(p_path, X_OK) == 0;
#endif
}

void wc_locate(const char *p_library_path, wc_location *r_location) {
	wc_locate_with(&wc_locate_rule_here, p_library_path, r_location);
}

void wc_locate_with(const wc_locate_rule *p_rule, const char *p_library_path, wc_location *r_location) {
	memset(r_location, 0, sizeof(*r_location));
	if (p_library_path == NULL || p_library_path[0] == '\0') {
		return;
	}
	char *library_path = strdup(p_library_path);
	if (library_path == NULL) {
		return;
	}
	for (char *c = library_path; p_rule->backslash_separates && *c != '\0'; c++) {
		if (*c == '\\') {
			*c = '/';
		}
	}
	char *library_folder = wc_parent(library_path);
	free(library_path);
	char *addon = library_folder != NULL ? wc_parent(library_folder) : NULL;
	char *addon_worker = addon != NULL ? wc_join(addon, "worker") : NULL;
	char *runtimes = addon != NULL ? wc_join(addon, "runtime") : NULL;
	char *addon_runtime = runtimes != NULL ? wc_join(runtimes, p_rule->platform_folder) : NULL;
	free(runtimes);
	const char *homes[2][2] = { { addon_worker, addon_runtime }, { library_folder, library_folder } };
	for (int i = 0; i < 2 && r_location->worker_script == NULL; i++) {
		if (homes[i][0] == NULL) {
			continue;
		}
		char *script = wc_join(homes[i][0], WC_WORKER_FILE);
		if (script != NULL && access(script, R_OK) == 0) {
			r_location->worker_script = script;
			char *runtime = homes[i][1] != NULL ? wc_join(homes[i][1], p_rule->runtime_file) : NULL;
			if (runtime != NULL && wc_runtime_ready(p_rule, runtime)) {
				r_location->runtime = runtime;
			} else {
				free(runtime);
			}
		} else {
			free(script);
		}
	}
	if (r_location->worker_script == NULL && library_folder != NULL) {
		/* Named in the error line: the addon layout when the shim sits in a lib/ folder, else
		 * the export layout. */
		const char *base = strrchr(library_folder, '/');
		bool in_lib = strcmp(base != NULL ? base + 1 : library_folder, "lib") == 0;
		r_location->worker_script = wc_join(in_lib && addon_worker != NULL ? addon_worker : library_folder, WC_WORKER_FILE);
	}
	free(addon_runtime);
	free(addon_worker);
	free(addon);
	free(library_folder);
}

void wc_location_free(wc_location *p_location) {
	free(p_location->worker_script);
	free(p_location->runtime);
	memset(p_location, 0, sizeof(*p_location));
}
