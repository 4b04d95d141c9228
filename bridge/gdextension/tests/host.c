/* The shim's C host: plays Godot 4's part of the GDExtension ABI (fake_engine.c), loads the
 * built library (dlopen, LoadLibraryW on Windows: host_os_*.c), calls its real entry symbol (read from plugin.gdextension),
 * registers its classes the way the engine does, creates objects the way the engine does
 * and calls every virtual with the engine's ptrcall encodings; then drives real peer
 * connections through the real bridge client and worker on 127.0.0.1.
 *
 *   host <library.so> <plugin.gdextension>
 *
 * Prints one line per check and ends with "N passed, N failed"; exits 1 on any failure.
 * Run under ASan + UBSan (make -C bridge/gdextension test). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

char host_addon_directory[4096];

static int host_passed;
static int host_failed;

static void host_report(bool p_ok, const char *p_format, va_list p_args) {
	printf("%s ", p_ok ? "  ok  " : "  FAIL");
	vprintf(p_format, p_args);
	printf("\n");
	if (p_ok) {
		host_passed++;
	} else {
		host_failed++;
	}
}

void host_check(bool p_ok, const char *p_format, ...) {
	va_list args;
	va_start(args, p_format);
	host_report(p_ok, p_format, args);
	va_end(args);
}

void host_assert(bool p_ok, const char *p_format, ...) {
	if (p_ok) {
		return;
	}
	va_list args;
	va_start(args, p_format);
	host_report(false, p_format, args);
	va_end(args);
}

void host_section(const char *p_name) {
	printf("== %s\n", p_name);
}

/* ---- loading ---- */

typedef struct host_library {
	void *handle;
	gde_initialization init;
	gde_bool entry_result;
} host_library;

static char host_entry_symbol[128];

/* entry_symbol from the one descriptor the addon ships. */
static bool host_read_entry_symbol(const char *p_descriptor) {
	FILE *file = fopen(p_descriptor, "r");
	if (file == NULL) {
		return false;
	}
	char line[512];
	bool found = false;
	while (fgets(line, sizeof(line), file) != NULL) {
		if (sscanf(line, " entry_symbol = \"%127[^\"]\"", host_entry_symbol) == 1) {
			found = true;
		}
	}
	fclose(file);
	return found;
}

static bool host_load(host_library *r_library, const char *p_path, uint32_t p_major, uint32_t p_minor,
		const char *p_log_level_setting) {
	fake_engine_options options = { p_major, p_minor, p_path, p_log_level_setting };
	fake_engine_reset(&options);
	memset(r_library, 0, sizeof(*r_library));
	char why[512];
	r_library->handle = host_os_load(p_path, why, sizeof(why));
	if (r_library->handle == NULL) {
		host_check(false, "loading %s: %s", p_path, why);
		return false;
	}
	union {
		void *object;
		gde_entry_function function;
	} entry;
	entry.object = host_os_symbol(r_library->handle, host_entry_symbol);
	host_check(entry.object != NULL, "the library exports its entry symbol %s", host_entry_symbol);
	if (entry.object == NULL) {
		return false;
	}
	r_library->entry_result = entry.function(fake_get_proc_address(), fake_library_token(), &r_library->init);
	return true;
}

static void host_levels_up(host_library *p_library) {
	for (int level = GDE_INIT_LEVEL_CORE; level <= GDE_INIT_LEVEL_EDITOR; level++) {
		fake_set_level(level);
		p_library->init.initialize(p_library->init.userdata, level);
	}
}

static void host_levels_down(host_library *p_library) {
	for (int level = GDE_INIT_LEVEL_EDITOR; level >= GDE_INIT_LEVEL_CORE; level--) {
		fake_set_level(level);
		p_library->init.deinitialize(p_library->init.userdata, level);
	}
}

static void host_unload(host_library *p_library) {
	if (p_library->handle != NULL) {
		host_os_unload(p_library->handle);
		p_library->handle = NULL;
	}
}

/* The worker's environment names the level the project asked for (p_level; NULL: none). */
static void host_check_worker_level(const char *p_level) {
	pid_t pids[8];
	int count = host_children(pids, 8);
	char value[64] = "";
	int found = count == 1 ? host_os_process_env(pids[0], BP_ENV_LOG_LEVEL, value, sizeof(value)) : 0;
	if (found < 0) {
		printf("    (the worker's environment is not readable on this platform: its %s is not checked)\n", BP_ENV_LOG_LEVEL);
	} else if (p_level != NULL) {
		host_check(found == 1 && strcmp(value, p_level) == 0, "the worker runs with %s=%s (was %s)", BP_ENV_LOG_LEVEL, p_level,
				found == 1 ? value : "absent");
	} else {
		host_check(count == 1 && found == 0, "no project setting: the worker's environment has no %s", BP_ENV_LOG_LEVEL);
	}
}

static void host_check_names(void) {
	host_check(strcmp(fake_report.first_name_asked, "get_godot_version") == 0,
			"the first interface function asked for is get_godot_version (was %s)", fake_report.first_name_asked);
	host_check(fake_report.unknown_names == 0, "every interface function asked for exists in Godot 4.1 (%d did not)",
			fake_report.unknown_names);
	host_check(fake_report.unimplemented_names == 0, "the fake answered every name and constructor asked (%d not)",
			fake_report.unimplemented_names);
}

/* ---- passes ---- */

static void host_pass_old_engine(const char *p_library) {
	host_section("Godot 4.0: the entry refuses, asking for nothing newer");
	host_library library;
	if (!host_load(&library, p_library, 4, 0, NULL)) {
		return;
	}
	host_check(library.entry_result == 0, "the entry returns 0 on 4.0");
	host_check(fake_report.errors_printed == 1 && strstr(fake_report.last_error, "4.1") != NULL,
			"one error line says 4.1 is needed (%s)", fake_report.last_error);
	host_check_names();
	host_unload(&library);
}

static void host_pass_4_1(const char *p_library) {
	host_section("Godot 4.1: registration, JSON.stringify with the 4.1 hash, the project's log level");
	host_library library;
	if (!host_load(&library, p_library, 4, 1, " Debug")) {
		return;
	}
	host_check(library.entry_result == 1, "the entry returns 1");
	host_levels_up(&library);
	host_check(fake_report.errors_printed == 0, "no error while initializing (the 4.1 stringify hash was accepted)");
	host_check(strcmp(fake_default_extension(), GDE_PEER_CLASS) == 0, "the default extension is " GDE_PEER_CLASS);
	fake_object *pc = fake_new_webrtc_peer_connection();
	host_check(pc != NULL && pc_initialize(pc, HOST_LOOPBACK) == BP_GODOT_OK, "initialize(loopback) is OK on 4.1");
	host_check(fake_report.get_setting_calls == 1, "ProjectSettings.get_setting(\"webrtc_ts/log_level\") was asked once, as the worker started (%d)",
			fake_report.get_setting_calls);
	host_check_worker_level("debug");
	int errors = fake_report.errors_printed;
	fake_object *bad = pc != NULL ? pc_create_data_channel(pc, "x", "{\"maxRetransmits\":-1}") : NULL;
	host_check(bad == NULL && fake_report.errors_printed > errors, "create_data_channel with maxRetransmits -1 is null, with an error line");
	fake_object *good = pc != NULL ? pc_create_data_channel(pc, "x", "{\"ordered\":false,\"maxRetransmits\":2}") : NULL;
	host_check(good != NULL && ch_int(good, "_get_max_retransmits") == 2 && !ch_bool(good, "_is_ordered"),
			"options crossed as JSON: ordered false, maxRetransmits 2");
	if (good != NULL) {
		fake_unreference(good);
	}
	if (pc != NULL) {
		fake_unreference(pc);
	}
	host_levels_down(&library);
	host_check(fake_class_count() == 0, "both classes are unregistered at SCENE deinit");
	host_check(host_wait_children(0, 5000), "the worker is gone after deinit");
	host_check_names();
	host_check(fake_report.abi_violations == 0, "no ABI violation (%d)", fake_report.abi_violations);
	host_unload(&library);
}

/* Defined in host_scenarios.c: everything that needs two or more connected peers. */
void host_scenarios(void);
/* Defined in host_stats.c: get_stats() on both classes. */
void host_stats_scenario(void);

static void host_pass_full(const char *p_library) {
	host_section("Godot 4.6: entry, registration, virtuals");
	host_os_forget_runtime(); /* what the 4.1 pass's worker showed */
	fake_counts before = fake_live;
	host_library library;
	if (!host_load(&library, p_library, 4, 6, NULL)) {
		return;
	}
	host_check(library.entry_result == 1, "the entry returns 1");
	host_check(library.init.minimum_initialization_level == GDE_INIT_LEVEL_SCENE, "minimum initialization level is SCENE");
	host_check(library.init.initialize != NULL && library.init.deinitialize != NULL, "initialize and deinitialize are set");
	for (int level = GDE_INIT_LEVEL_CORE; level < GDE_INIT_LEVEL_SCENE; level++) {
		fake_set_level(level);
		library.init.initialize(library.init.userdata, level);
	}
	host_check(fake_class_count() == 0, "nothing is registered before SCENE");
	fake_set_level(GDE_INIT_LEVEL_SCENE);
	library.init.initialize(library.init.userdata, GDE_INIT_LEVEL_SCENE);
	fake_set_level(GDE_INIT_LEVEL_EDITOR);
	library.init.initialize(library.init.userdata, GDE_INIT_LEVEL_EDITOR);
	fake_class *peer = fake_class_find(GDE_PEER_CLASS);
	fake_class *channel = fake_class_find(GDE_CHANNEL_CLASS);
	host_check(fake_class_count() == 2 && peer != NULL && channel != NULL, "two classes registered: %s and %s",
			GDE_PEER_CLASS, GDE_CHANNEL_CLASS);
	if (peer == NULL || channel == NULL) {
		return;
	}
	host_check(strcmp(fake_class_parent(peer), "WebRTCPeerConnectionExtension") == 0 &&
					strcmp(fake_class_parent(channel), "WebRTCDataChannelExtension") == 0,
			"they extend WebRTCPeerConnectionExtension and WebRTCDataChannelExtension");
	host_check(fake_class_registration_order(channel) < fake_class_registration_order(peer), "the channel class is registered first");
	host_check(strcmp(fake_default_extension(), GDE_PEER_CLASS) == 0, "set_default_extension(%s) took effect",
			GDE_PEER_CLASS);
	host_check(fake_report.errors_printed == 0, "no error while initializing (the 4.2+ stringify hash was accepted)");
	for (int i = 0; i < 2; i++) {
		const gde_class_creation_info *info = fake_class_info(i == 0 ? peer : channel);
		host_check(info->is_virtual == 0 && info->is_abstract == 0 && info->set_func == NULL && info->get_func == NULL &&
						info->get_property_list_func == NULL && info->free_property_list_func == NULL &&
						info->property_can_revert_func == NULL && info->property_get_revert_func == NULL &&
						info->notification_func == NULL && info->to_string_func == NULL && info->reference_func == NULL &&
						info->unreference_func == NULL && info->get_rid_func == NULL,
				"%s: v1 creation info with only create, free and get_virtual", i == 0 ? "peer" : "channel");
	}

#define HOST_VIRTUAL_NAME(p_name, p_required) #p_name,
	static const char *const peer_virtuals[] = { GDE_PEER_VIRTUALS(HOST_VIRTUAL_NAME) };
	static const char *const channel_virtuals[] = { GDE_CHANNEL_VIRTUALS(HOST_VIRTUAL_NAME) };
	int missing = 0;
	for (int i = 0; i < GDE_PEER_VIRTUAL_COUNT; i++) {
		if (fake_class_get_virtual(peer, peer_virtuals[i]) == NULL) {
			printf("    missing %s\n", peer_virtuals[i]);
			missing++;
		}
	}
	host_check(missing == 0, "get_virtual answers all %d WebRTCPeerConnectionExtension virtuals", GDE_PEER_VIRTUAL_COUNT);
	missing = 0;
	for (int i = 0; i < GDE_CHANNEL_VIRTUAL_COUNT; i++) {
		if (fake_class_get_virtual(channel, channel_virtuals[i]) == NULL) {
			printf("    missing %s\n", channel_virtuals[i]);
			missing++;
		}
	}
	host_check(missing == 0, "get_virtual answers all %d WebRTCDataChannelExtension virtuals", GDE_CHANNEL_VIRTUAL_COUNT);
	host_check(fake_class_get_virtual(peer, "_get_packet") == NULL && fake_class_get_virtual(channel, "_bogus") == NULL,
			"get_virtual answers NULL for names that are not its class's virtuals");

	host_section("WebRTCPeerConnection.new() is cheap");
	fake_object *cheap = fake_new_webrtc_peer_connection();
	pid_t pids[8];
	host_check(cheap != NULL && strcmp(fake_object_class(cheap), GDE_PEER_CLASS) == 0,
			"WebRTCPeerConnection.new() gives a %s (the default extension)", GDE_PEER_CLASS);
	if (cheap != NULL) {
		host_check(pc_connection_state(cheap) == BP_CONNECTION_STATE_NEW && pc_gathering_state(cheap) == BP_GATHERING_STATE_NEW &&
						pc_signaling_state(cheap) == BP_SIGNALING_STATE_STABLE,
				"a new connection is NEW / NEW / STABLE");
		host_check(host_children(pids, 8) == 0, "no worker process exists before a call needs one");
		host_check(pc_poll(cheap) == BP_GODOT_OK, "poll() on a new connection is OK");
		fake_unreference(cheap);
		host_check(fake_class_frees(peer) == 1, "dropping the last reference frees the instance");
	}

	host_scenarios();
	host_check(fake_report.get_setting_calls >= 1, "the project setting was asked as the worker started (%d times)",
			fake_report.get_setting_calls);
	host_check_worker_level(NULL);
	host_stats_scenario();

	host_section("teardown");
	host_check(fake_live_objects() == 0, "every object is freed once the script lets go (%d live)", fake_live_objects());
	host_levels_down(&library);
	host_check(fake_class_count() == 0, "both classes are unregistered at SCENE deinit");
	host_check(host_wait_children(0, 5000), "no worker process outlives deinit");
	fake_counts after = fake_live;
	host_check(after.strings == before.strings && after.string_names == before.string_names && after.variants == before.variants &&
					after.dictionaries == before.dictionaries && after.arrays == before.arrays,
			"every String, StringName, Variant and Dictionary made is destroyed (deltas %lld %lld %lld %lld %lld)",
			(long long)(after.strings - before.strings), (long long)(after.string_names - before.string_names),
			(long long)(after.variants - before.variants), (long long)(after.dictionaries - before.dictionaries),
			(long long)(after.arrays - before.arrays));
	host_check_names();
	host_check(fake_report.abi_violations == 0, "no ABI violation (%d)", fake_report.abi_violations);
	printf("    interface functions asked for (%d):", fake_names_asked_count());
	for (int i = 0; i < fake_names_asked_count(); i++) {
		printf(" %s", fake_name_asked(i));
	}
	printf("\n");
	host_unload(&library);
}

int main(int p_argc, char **p_argv) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The host tests the addon layout: no override from the environment. */
	host_os_unsetenv(BP_ENV_NODE);
	host_os_unsetenv(BP_ENV_WORKER);
	host_os_unsetenv(BP_ENV_SHM_ADDON);
	if (p_argc != 3) {
		fprintf(stderr, "usage: %s <library.so> <plugin.gdextension>\n", p_argv[0]);
		return 2;
	}
	snprintf(host_addon_directory, sizeof(host_addon_directory), "%s", p_argv[1]);
	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(host_addon_directory, '/');
		if (slash != NULL) {
			*slash = '\0';
		}
	}
	host_check(host_read_entry_symbol(p_argv[2]), "plugin.gdextension names an entry_symbol (%s)", host_entry_symbol);
	if (host_entry_symbol[0] != '\0') {
		host_pass_old_engine(p_argv[1]);
		host_pass_4_1(p_argv[1]);
		host_pass_full(p_argv[1]);
	}
	printf("%d passed, %d failed\n", host_passed, host_failed);
	return host_failed == 0 ? 0 : 1;
}
