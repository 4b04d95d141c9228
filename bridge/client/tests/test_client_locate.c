/* The one rule that finds the worker from the shim's own path (wc_locate.c), on real folders
 * in a temporary directory: the addon layout, an export's flat layout, which wins when both
 * could apply, what is named when nothing is there, and a runtime that lost its executable
 * bit; one addon folder holding two platforms' runtimes; and Windows' rule (node.exe,
 * backslashes, no execute bit) checked here on Linux. Needs no worker.
 *
 * It builds for Windows too (make -f bridge/windows.mk windows-locate-test, run under Wine by
 * scripts/run-windows-tests.sh): there the first cases check this machine's rule with node.exe
 * in a real Windows folder, and a runtime without an execute bit is taken as it is. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(_WIN32)
#include <direct.h>
#include <io.h>
#include <windows.h>
#define tl_mkdir(p_path) _mkdir(p_path)
#else
#define tl_mkdir(p_path) mkdir(p_path, 0755)
#endif

#include "../../ring/tests/bt.h"
#include "../wc_locate.h"

#define TL_RUNTIME WC_OS_RUNTIME_FILE

static char tl_root[256];
static char tl_base[200];

/* Creates the file (and its folders) with p_mode. */
static void tl_file(const char *p_relative, mode_t p_mode) {
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tl_root, p_relative);
	for (char *slash = strchr(path + strlen(tl_root) + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		tl_mkdir(path);
		*slash = '/';
	}
	FILE *file = fopen(path, "w");
	if (file != NULL) {
		fputs("x", file);
		fclose(file);
	}
	chmod(path, p_mode);
}

static char *tl_path(const char *p_relative) {
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tl_root, p_relative);
	return path;
}

static int tl_same(const char *p_actual, const char *p_relative) {
	return p_actual != NULL && strcmp(p_actual, tl_path(p_relative)) == 0;
}

static void tl_fresh(const char *p_name) {
	snprintf(tl_root, sizeof(tl_root), "%s/%s", tl_base, p_name);
	tl_mkdir(tl_root);
}

static void test_addon_layout(void) {
	tl_fresh("addon");
	tl_file("addons/webrtc_ts/lib/libshim.so", 0755);
	tl_file("addons/webrtc_ts/worker/worker.mjs", 0644);
	tl_file("addons/webrtc_ts/runtime/" WC_OS_PLATFORM_FOLDER "/" TL_RUNTIME, 0755);
	wc_location found;
	wc_locate(tl_path("addons/webrtc_ts/lib/libshim.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "addons/webrtc_ts/worker/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "addons/webrtc_ts/runtime/" WC_OS_PLATFORM_FOLDER "/" TL_RUNTIME));
	wc_location_free(&found);
}

/* Linux and Windows in one addon folder: each rule takes its own platform's runtime, never
 * the other's, and a runtime left flat in runtime/ (an older layout) is not taken. */
static const wc_locate_rule tl_windows = { "windows.x86_64", "node.exe", true, false };
static const wc_locate_rule tl_linux = { "linux.x86_64", "node", false, true };

static void test_two_platforms_in_one_addon(void) {
	tl_fresh("two");
	tl_file("addons/webrtc_ts/lib/libwebrtc_ts_gdextension.linux.x86_64.so", 0755);
	tl_file("addons/webrtc_ts/lib/libwebrtc_ts_gdextension.windows.x86_64.dll", 0644);
	tl_file("addons/webrtc_ts/worker/worker.mjs", 0644);
	tl_file("addons/webrtc_ts/runtime/linux.x86_64/node", 0755);
	tl_file("addons/webrtc_ts/runtime/windows.x86_64/node.exe", 0644);
	tl_file("addons/webrtc_ts/runtime/node", 0755);
	wc_location found;
	wc_locate_with(&tl_linux, tl_path("addons/webrtc_ts/lib/libwebrtc_ts_gdextension.linux.x86_64.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "addons/webrtc_ts/worker/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "addons/webrtc_ts/runtime/linux.x86_64/node"));
	wc_location_free(&found);
	wc_locate_with(&tl_windows, tl_path("addons/webrtc_ts/lib/libwebrtc_ts_gdextension.windows.x86_64.dll"), &found);
	BT_CHECK(tl_same(found.worker_script, "addons/webrtc_ts/worker/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "addons/webrtc_ts/runtime/windows.x86_64/node.exe"));
	wc_location_free(&found);
}

/* Windows' rule: a library path with backslashes (as GetModuleFileNameW gives it) finds the
 * same files, named with '/'; node.exe needs no execute bit and is left as it is; an export
 * holds node.exe beside the DLL. */
static void test_windows_rule(void) {
	tl_fresh("windows");
	tl_file("addons/webrtc_ts/lib/shim.dll", 0644);
	tl_file("addons/webrtc_ts/worker/worker.mjs", 0644);
	tl_file("addons/webrtc_ts/runtime/windows.x86_64/node.exe", 0644);
	tl_file("game/shim.dll", 0644);
	tl_file("game/worker.mjs", 0644);
	tl_file("game/node.exe", 0644);
	char backslashed[512];
	snprintf(backslashed, sizeof(backslashed), "%s", tl_path("addons/webrtc_ts/lib/shim.dll"));
	for (char *c = backslashed + strlen(tl_root); *c != '\0'; c++) {
		if (*c == '/') {
			*c = '\\';
		}
	}
	wc_location found;
	wc_locate_with(&tl_windows, backslashed, &found);
	BT_CHECK(tl_same(found.worker_script, "addons/webrtc_ts/worker/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "addons/webrtc_ts/runtime/windows.x86_64/node.exe"));
	wc_location_free(&found);
#if !defined(_WIN32)
	struct stat info;
	BT_CHECK(stat(tl_path("addons/webrtc_ts/runtime/windows.x86_64/node.exe"), &info) == 0 && (info.st_mode & 0777) == 0644);
#endif
	wc_locate_with(&tl_windows, tl_path("game/shim.dll"), &found);
	BT_CHECK(tl_same(found.worker_script, "game/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "game/node.exe"));
	wc_location_free(&found);
	/* Linux's rule does not take a backslash as a separator: that name is one file, not there. */
	wc_locate_with(&tl_linux, backslashed, &found);
	BT_CHECK(found.runtime == NULL && found.worker_script != NULL && strstr(found.worker_script, "\\worker.mjs") == NULL &&
			strstr(found.worker_script, "/worker.mjs") != NULL);
	wc_location_free(&found);
}

/* A drive-letter path with nothing behind it (as Godot names a library on Windows): the
 * addon's worker is named with '/' separators, and there is no runtime. */
static void test_windows_drive_path_named(void) {
	wc_location found;
	wc_locate_with(&tl_windows, "C:\\Games\\My Game\\addons\\webrtc_ts\\lib\\shim.dll", &found);
	BT_CHECK(found.worker_script != NULL && strcmp(found.worker_script, "C:/Games/My Game/addons/webrtc_ts/worker/worker.mjs") == 0);
	BT_CHECK(found.runtime == NULL);
	wc_location_free(&found);
	wc_locate_with(&tl_windows, "C:/Games/My Game/shim.dll", &found);
	BT_CHECK(found.worker_script != NULL && strcmp(found.worker_script, "C:/Games/My Game/worker.mjs") == 0);
	BT_CHECK(found.runtime == NULL);
	wc_location_free(&found);
}

static void test_export_layout(void) {
	tl_fresh("export");
	tl_file("game/libshim.so", 0644);
	tl_file("game/worker.mjs", 0644);
	tl_file("game/" TL_RUNTIME, 0755);
	wc_location found;
	wc_locate(tl_path("game/libshim.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "game/worker.mjs"));
	BT_CHECK(tl_same(found.runtime, "game/" TL_RUNTIME));
	wc_location_free(&found);
}

/* A folder holding both (the addon's lib/ beside a stray worker.mjs): the addon's wins. */
static void test_addon_layout_first(void) {
	tl_fresh("both");
	tl_file("a/lib/libshim.so", 0644);
	tl_file("a/lib/worker.mjs", 0644);
	tl_file("a/worker/worker.mjs", 0644);
	wc_location found;
	wc_locate(tl_path("a/lib/libshim.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "a/worker/worker.mjs"));
	BT_CHECK(found.runtime == NULL); /* none shipped: PATH comes next */
	wc_location_free(&found);
}

/* An export or an unzipped release loses the runtime's x bit: it is set again. On Windows
 * there is no such bit: a read-only node.exe is taken as it is. */
static void test_runtime_made_executable(void) {
	tl_fresh("mode");
	tl_file("game/libshim.so", 0644);
	tl_file("game/worker.mjs", 0644);
#if defined(_WIN32)
	tl_file("game/" TL_RUNTIME, 0444);
	wc_location found;
	wc_locate(tl_path("game/libshim.so"), &found);
	BT_CHECK(tl_same(found.runtime, "game/" TL_RUNTIME));
	chmod(tl_path("game/" TL_RUNTIME), 0644); /* so that it can be deleted */
#else
	tl_file("game/node", 0644);
	wc_location found;
	wc_locate(tl_path("game/libshim.so"), &found);
	BT_CHECK(tl_same(found.runtime, "game/node"));
	struct stat info;
	BT_CHECK(stat(tl_path("game/node"), &info) == 0 && (info.st_mode & 0777) == 0755);
#endif
	wc_location_free(&found);
}

/* Nothing there: the path the layout implies is named, and no runtime. */
static void test_missing_is_named(void) {
	tl_fresh("missing");
	tl_file("addons/x/lib/libshim.so", 0644);
	tl_file("game/libshim.so", 0644);
	wc_location found;
	wc_locate(tl_path("addons/x/lib/libshim.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "addons/x/worker/worker.mjs"));
	BT_CHECK(found.runtime == NULL);
	wc_location_free(&found);
	wc_locate(tl_path("game/libshim.so"), &found);
	BT_CHECK(tl_same(found.worker_script, "game/worker.mjs"));
	wc_location_free(&found);
	wc_locate(NULL, &found);
	BT_CHECK(found.worker_script == NULL && found.runtime == NULL);
}

int main(void) {
#if defined(_WIN32)
	char temp[MAX_PATH];
	DWORD length = GetTempPathA(sizeof(temp), temp);
	snprintf(tl_base, sizeof(tl_base), "%.*swc-locate-%lu", (int)length, temp, (unsigned long)GetCurrentProcessId());
	for (char *c = tl_base; *c != '\0'; c++) {
		if (*c == '\\') {
			*c = '/'; /* the rule names what it finds with '/' */
		}
	}
	if (tl_mkdir(tl_base) != 0) {
		perror(tl_base);
		return 1;
	}
	const char *base = tl_base;
#else
	char base[] = "/tmp/wc-locate-XXXXXX";
	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(tl_base, sizeof(tl_base), "%s", base);
#endif
	BT_RUN(test_addon_layout);
	BT_RUN(test_export_layout);
	BT_RUN(test_addon_layout_first);
	BT_RUN(test_runtime_made_executable);
	BT_RUN(test_missing_is_named);
	BT_RUN(test_two_platforms_in_one_addon);
	BT_RUN(test_windows_rule);
	BT_RUN(test_windows_drive_path_named);
	char command[300];
#if defined(_WIN32)
	snprintf(command, sizeof(command), "rmdir /s /q \"%s\"", base);
	for (char *c = command; *c != '\0'; c++) {
		if (*c == '/') {
			*c = '\\';
		}
	}
	memcpy(command, "rmdir /s /q", 11); /* its switches keep their slashes */
#else
	snprintf(command, sizeof(command), "rm -rf '%s'", base);
#endif
	if (system(command) != 0) {
		fprintf(stderr, "could not remove %s\n", base);
	}
	return bt_finish();
}
