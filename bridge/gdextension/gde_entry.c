/* Entry and registration: the one exported symbol, the SCENE-level setup (names, method
 * binds, where the worker lives, the client's log, both classes, the default extension)
 * and its teardown (docs/abi.md sections 1, 3, 5 and 8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gde_shim.h"

#define GDE_EXPORT __attribute__((visibility("default")))

gde_names gde_name;
static bool gde_scene_ready;

/* ---- virtual tables ---- */

void gde_virtuals_make(gde_virtual *p_table, int p_count) {
	for (int i = 0; i < p_count; i++) {
		gde_string_name_make(&p_table[i].string_name, p_table[i].name);
	}
}

void gde_virtuals_destroy(gde_virtual *p_table, int p_count) {
	for (int i = 0; i < p_count; i++) {
		gde_string_name_destroy(&p_table[i].string_name);
	}
}

/* A StringName is a pointer to an interned entry: equal names, equal bytes. Read-only. */
gde_call_virtual gde_virtuals_find(const gde_virtual *p_table, int p_count, const gde_string_name *p_name) {
	for (int i = 0; i < p_count; i++) {
		if (memcmp(&p_table[i].string_name, p_name, sizeof(*p_name)) == 0) {
			return p_table[i].call;
		}
	}
	return NULL;
}

/* ---- names ---- */

static void gde_names_make(void) {
	gde_string_name_make(&gde_name.peer_class, GDE_PEER_CLASS);
	gde_string_name_make(&gde_name.peer_parent, GDE_PEER_PARENT);
	gde_string_name_make(&gde_name.channel_class, GDE_CHANNEL_CLASS);
	gde_string_name_make(&gde_name.channel_parent, GDE_CHANNEL_PARENT);
	gde_string_name_make(&gde_name.session_description_created, "session_description_created");
	gde_string_name_make(&gde_name.ice_candidate_created, "ice_candidate_created");
	gde_string_name_make(&gde_name.data_channel_received, "data_channel_received");
}

static void gde_names_destroy(void) {
	gde_string_name_destroy(&gde_name.data_channel_received);
	gde_string_name_destroy(&gde_name.ice_candidate_created);
	gde_string_name_destroy(&gde_name.session_description_created);
	gde_string_name_destroy(&gde_name.channel_parent);
	gde_string_name_destroy(&gde_name.channel_class);
	gde_string_name_destroy(&gde_name.peer_parent);
	gde_string_name_destroy(&gde_name.peer_class);
}

/* ---- where the worker lives ---- */

/* wc_config.read_log_level: ProjectSettings.get_setting(WC_SETTING_LOG_LEVEL) as text (another
 * type is converted, and the client warns about it); false when the project has none (NIL).
 * The client calls this as a worker starts, under its lock, on the thread inside an API call. */
static bool gde_read_log_level(void *p_user, char *r_text, size_t p_size) {
	(void)p_user;
	if (gde_api.get_setting == NULL) {
		return false;
	}
	gde_string_name singleton;
	gde_string_name_make(&singleton, "ProjectSettings");
	gde_object settings = gde_api.global_get_singleton(&singleton);
	gde_string_name_destroy(&singleton);
	if (settings == NULL) {
		return false;
	}
	gde_string name;
	gde_string_make(&name, WC_SETTING_LOG_LEVEL, strlen(WC_SETTING_LOG_LEVEL));
	gde_variant argument;
	gde_api.variant_from_string(&argument, &name);
	const gde_variant *args[1] = { &argument };
	gde_variant value;
	gde_call_error error = { 0, 0, 0 };
	/* call, not ptrcall: the engine fills in default_value (null), so an absent name is NIL. */
	gde_api.object_method_bind_call(gde_api.get_setting, settings, args, 1, &value, &error);
	gde_api.variant_destroy(&argument);
	gde_string_destroy(&name);
	bool found = error.error == 0 && gde_api.variant_get_type(&value) != GDE_VARIANT_TYPE_NIL;
	if (found) {
		gde_string text;
		gde_api.variant_stringify(&value, &text);
		char *utf8 = gde_string_to_utf8(&text, NULL);
		snprintf(r_text, p_size, "%s", utf8 != NULL ? utf8 : "");
		free(utf8);
		gde_string_destroy(&text);
	}
	gde_api.variant_destroy(&value); /* constructed by the call either way */
	return found;
}

/* The client finds the addon's worker and runtime from this library's path (wc_locate.c). */
static void gde_configure_worker(void) {
	gde_string path;
	gde_api.get_library_path(gde_api.library, &path);
	char *library = gde_string_to_utf8(&path, NULL);
	gde_string_destroy(&path);
	wc_config config = { 0 };
	config.library_path = library;
	config.read_log_level = gde_read_log_level;
	wc_configure(&config); /* copies the strings */
	free(library);
}

/* The client's lines go to Godot's console. It calls this under its lock, on the thread
 * inside an API call; nothing here calls back into wc_*. */
static void gde_log_from_client(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	/* One prefix on every line, as Godot 3 shows ours ("ERROR: webrtc_ts: ..."): Godot 4 puts
	 * the function on the "at:" line instead, so the text carries it; the client's own prefix
	 * goes. */
	static const char client_prefix[] = "godot-webrtc: ";
	if (strncmp(p_message, client_prefix, sizeof(client_prefix) - 1u) == 0) {
		p_message += sizeof(client_prefix) - 1u;
	}
	if (p_level == BP_LOG_LEVEL_ERROR) {
		gde_print_error("webrtc_ts: %s", p_message);
	} else if (p_level == BP_LOG_LEVEL_WARNING) {
		gde_print_warning("webrtc_ts: %s", p_message);
	} else {
		/* info, debug, verbose: a plain line. */
		fprintf(stdout, "webrtc_ts: %s\n", p_message);
		fflush(stdout);
	}
}

/* ---- levels ---- */

static void gde_initialize(void *p_userdata, int32_t p_level) {
	(void)p_userdata;
	if (p_level != GDE_INIT_LEVEL_SCENE || gde_scene_ready) {
		return;
	}
	gde_names_make();
	if (!gde_api_bind_methods()) {
		gde_names_destroy();
		return; /* logged: WebRTCPeerConnection.new() stays the engine's default */
	}
	gde_configure_worker();
	wc_set_log(gde_log_from_client, NULL);
	gde_channel_register();
	gde_peer_register();
	/* Only now: set_default_extension checks the class extends WebRTCPeerConnectionExtension. */
	const void *args[1] = { &gde_name.peer_class };
	gde_api.object_method_bind_ptrcall(gde_api.set_default_extension, NULL, args, NULL);
	gde_scene_ready = true;
}

static void gde_deinitialize(void *p_userdata, int32_t p_level) {
	(void)p_userdata;
	if (p_level != GDE_INIT_LEVEL_SCENE || !gde_scene_ready) {
		return;
	}
	gde_scene_ready = false;
	/* Stop the worker and forget every client object; an object the engine frees later
	 * finds a stale handle (a status, never a crash). The default extension is left set:
	 * resetting it to "" fails its own check (docs/abi.md section 1). */
	wc_shutdown();
	wc_set_log(NULL, NULL);
	wc_config none = { 0 };
	wc_configure(&none); /* frees the client's copies of the paths before the library unloads */
	gde_peer_unregister();
	gde_channel_unregister();
	gde_names_destroy();
}

GDE_EXPORT gde_bool gde_webrtc_ts_init(gde_get_proc_address p_get_proc_address, gde_library p_library,
		gde_initialization *r_initialization) {
	if (!gde_api_load(p_get_proc_address, p_library)) {
		return 0;
	}
	r_initialization->minimum_initialization_level = GDE_INIT_LEVEL_SCENE;
	r_initialization->userdata = NULL;
	r_initialization->initialize = gde_initialize;
	r_initialization->deinitialize = gde_deinitialize;
	return 1;
}
