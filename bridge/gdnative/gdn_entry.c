/* Entry points of the Godot 3 library (the only exported symbols, gdn.map), the WebRTC
 * library registration, where the worker lives, and the log.
 *
 * Flow (docs/abi.md section 7, verified under godot3-server 3.2.3):
 *   godot_gdnative_init       keep the API table; hand the client this library's path
 *                             (active_library_path), from which it finds the worker
 *   godot_gdnative_singleton  set_webrtc_library(&gdn_library): WebRTCPeerConnection.new()
 *                             now calls gdn_library.create_peer_connection
 *   godot_nativescript_init   register the two NativeScript classes (object lifetime)
 *   godot_gdnative_terminate  unregister, stop the worker (wc_shutdown)
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../client/wc_platform.h"
#include "gdn_shim.h"

gdn_state gdn_g;

#define GDN_LOG_FUNCTION "webrtc_ts"
/* Where Godot's "At:" line points: the addon, not this build machine's source path. */
#define GDN_LOG_FILE "addons/webrtc_ts"

/* ---- log ---- */

/* Client and core lines (one line each) into Godot's log. Runs
 * under the client's lock: it must not call wc_*, and does not. */
static void gdn_log(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	/* Godot already names us ("ERROR: webrtc_ts: ..."): drop the client's own prefix. */
	static const char prefix[] = "godot-webrtc: ";
	if (strncmp(p_message, prefix, sizeof(prefix) - 1u) == 0) {
		p_message += sizeof(prefix) - 1u;
	}
	if (!gdn_g.loaded) {
		fprintf(stderr, "%s\n", p_message);
		return;
	}
	switch (p_level) {
		case BP_LOG_LEVEL_ERROR:
			gdn_g_api.print_error(p_message, GDN_LOG_FUNCTION, GDN_LOG_FILE, 0);
			break;
		case BP_LOG_LEVEL_WARNING:
			gdn_g_api.print_warning(p_message, GDN_LOG_FUNCTION, GDN_LOG_FILE, 0);
			break;
		default: {
			/* info, debug, verbose: a plain line, named like Godot names our errors. */
			char line[1024];
			int length = snprintf(line, sizeof(line), "webrtc_ts: %s", p_message);
			godot_string text = gdn_string_from(line, length < 0 ? 0u : length >= (int)sizeof(line) ? sizeof(line) - 1u : (size_t)length);
			gdn_g_api.print(&text);
			gdn_g_api.string_destroy(&text);
			break;
		}
	}
}

void gdn_error(const char *p_function, const char *p_format, ...) {
	char line[512];
	va_list args;
	va_start(args, p_format);
	vsnprintf(line, sizeof(line), p_format, args);
	va_end(args);
	if (gdn_g.loaded) {
		gdn_g_api.print_error(line, p_function, GDN_LOG_FILE, 0);
	} else {
		fprintf(stderr, "ERROR: %s: %s\n", p_function, line);
	}
}

godot_error gdn_error_from(wc_status p_status) {
	return bp_core_status_to_godot_error(p_status);
}

static bool gdn_read_log_level(void *p_user, char *r_text, size_t p_size);

/* ---- the worker's location ---- */

/* The absolute path of this library: active_library_path when the engine gave an absolute
 * one, else what the dynamic loader opened. */
static char *gdn_library_path(const godot_string *p_active) {
	char *path = p_active != NULL ? gdn_string_dup(p_active) : NULL;
	if (path != NULL && path[0] == '/') {
		return path;
	}
	free(path);
	return wc_os_module_path((const void *)(uintptr_t)gdn_library_path);
}

/* The client finds the addon's worker and runtime from this library's path (wc_locate.c). */
static void gdn_configure(const godot_string *p_active) {
	char *library = gdn_library_path(p_active);
	if (library == NULL) {
		gdn_error("init", "cannot tell where this library is; set %s to the addon's worker/worker.mjs", BP_ENV_WORKER);
		return;
	}
	wc_config config = { .library_path = library, .read_log_level = gdn_read_log_level };
	wc_configure(&config); /* copies the strings */
	free(library);
}

/* ---- the worker's log level ---- */

/* wc_config.read_log_level: the project setting WC_SETTING_LOG_LEVEL as text (another type is
 * converted, and the client warns about it); false when the project has none. The client
 * calls this as a worker starts, under its lock, on the thread inside an API call. */
static bool gdn_read_log_level(void *p_user, char *r_text, size_t p_size) {
	(void)p_user;
	static godot_method_bind *has_setting;
	static godot_method_bind *get_setting;
	if (get_setting == NULL) {
		has_setting = gdn_g_api.method_bind_get_method("ProjectSettings", "has_setting");
		get_setting = gdn_g_api.method_bind_get_method("ProjectSettings", "get_setting");
	}
	godot_object *settings = gdn_g_api.global_get_singleton((char *)"ProjectSettings");
	if (settings == NULL || has_setting == NULL || get_setting == NULL) {
		return false;
	}
	godot_string name = gdn_string_from(WC_SETTING_LOG_LEVEL, strlen(WC_SETTING_LOG_LEVEL));
	/* has_setting first: 3.2's get_setting of an absent name prints a warning. */
	bool present = false;
	const void *ptr_args[1] = { &name };
	gdn_g_api.method_bind_ptrcall(has_setting, settings, ptr_args, &present);
	if (!present) {
		gdn_g_api.string_destroy(&name);
		return false;
	}
	godot_variant argument;
	gdn_g_api.variant_new_string(&argument, &name);
	const godot_variant *args[1] = { &argument };
	godot_variant_call_error error = { 0, 0, 0 };
	godot_variant value = gdn_g_api.method_bind_call(get_setting, settings, args, 1, &error);
	gdn_g_api.variant_destroy(&argument);
	gdn_g_api.string_destroy(&name);
	bool found = error.error == 0 && gdn_g_api.variant_get_type(&value) != GDN_VARIANT_TYPE_NIL;
	if (found) {
		godot_string text = gdn_g_api.variant_as_string(&value);
		char *utf8 = gdn_string_dup(&text);
		snprintf(r_text, p_size, "%s", utf8 != NULL ? utf8 : "");
		free(utf8);
		gdn_g_api.string_destroy(&text);
	}
	gdn_g_api.variant_destroy(&value);
	return found;
}

/* ---- the WebRTC library ---- */

static void gdn_unregistered(void) {
	gdn_g.registered = false; /* another library replaced us, or terminate unset us */
}

static godot_error gdn_create_peer_connection(godot_object *p_object) {
	return gdn_peer_construct(p_object);
}

static const godot_net_webrtc_library gdn_library = {
	.version = { 3, 2 },
	.unregistered = gdn_unregistered,
	.create_peer_connection = gdn_create_peer_connection,
	.next = NULL,
};

/* ---- exported entry points ---- */

GDN_EXPORT void godot_gdnative_init(godot_gdnative_init_options *p_options) {
	const char *missing = NULL;
	if (p_options == NULL || p_options->api_struct == NULL) {
		fprintf(stderr, "ERROR: webrtc_ts: no GDNative API struct at init\n");
		return;
	}
	gdn_g.loaded = gdn_api_load(p_options->api_struct, &missing);
	if (!gdn_g.loaded) {
		fprintf(stderr, "ERROR: webrtc_ts: this engine lacks %s; the WebRTC addon is disabled\n", missing);
		return;
	}
	gdn_g.library = p_options->gd_native_library;
#ifdef GDN_SANITIZED
	/* Test build only: the ASan runtime was preloaded into the engine for this library.
	 * Children (the Node worker, tools a scene runs) must not inherit it: procps hangs
	 * and Node is not built for it. */
	unsetenv("LD_PRELOAD");
#endif
	wc_set_log(gdn_log, NULL);
	gdn_configure(p_options->active_library_path);
}

GDN_EXPORT void godot_gdnative_singleton(void) {
	if (!gdn_g.loaded) {
		return;
	}
	godot_error error = gdn_g_api.net_set_webrtc_library(&gdn_library);
	gdn_g.registered = error == BP_GODOT_OK;
	if (!gdn_g.registered) {
		gdn_error("singleton", "set_webrtc_library failed (%d): WebRTCPeerConnection.new() will not use this addon", error);
	}
}

GDN_EXPORT void godot_nativescript_init(void *p_handle) {
	if (gdn_g.loaded) {
		gdn_script_register(p_handle);
	}
}

GDN_EXPORT void godot_gdnative_terminate(godot_gdnative_terminate_options *p_options) {
	(void)p_options;
	if (gdn_g.registered) {
		gdn_g_api.net_set_webrtc_library(NULL); /* the engine calls gdn_unregistered */
		gdn_g.registered = false;
	}
	/* Stop the worker now: the library is unloaded right after this returns. */
	wc_shutdown();
	wc_set_log(NULL, NULL);
	gdn_g.loaded = false;
}
