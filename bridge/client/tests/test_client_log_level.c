/* The worker's log level from the C client against the REAL worker (build/worker/worker.mjs):
 * wc_config.read_log_level (what the shims answer from the project setting webrtc_ts/log_level)
 * is asked once as each worker starts; "debug" brings the worker's debug lines and
 * libdatachannel's tagged ones through wc_set_log's callback, the default none; an unknown
 * value is one warning naming the setting, and the default; a non-empty GODOT_WEBRTC_LOG_LEVEL
 * in the environment wins (and a bad one is the worker's one warning). Two peers of one client
 * on loopback, as test_client_e2e.c connects them.
 *
 *   test_client_log_level --worker build/worker/worker.mjs --node node --shm-addon shm.node
 */
#define _GNU_SOURCE
#include "../../ring/tests/bt.h"
#include "tc.h"

/* What the "project setting" holds (NULL: absent) and how often the client asked. */
static const char *setting;
static int setting_reads;

static bool read_setting(void *p_user, char *r_text, size_t p_size) {
	BT_CHECK(p_user == &setting);
	setting_reads++;
	if (setting == NULL) {
		return false;
	}
	snprintf(r_text, p_size, "%s", setting);
	return true;
}

/* Every line by level, and the ones libdatachannel wrote. */
static int lines[BP_LOG_LEVEL_VERBOSE + 1];
static int stack_lines;
static int stack_lines_at_debug;
static char warning_text[512];
static bool saw_connected_line;

static void collect(void *p_user, int p_level, const char *p_message) {
	(void)p_user;
	if (p_level < 0 || p_level > BP_LOG_LEVEL_VERBOSE) {
		BT_CHECK(!"a log level outside bp_log_level");
		return;
	}
	lines[p_level]++;
	if (strncmp(p_message, "[libdatachannel] ", 17) == 0) {
		stack_lines++;
		stack_lines_at_debug += p_level == BP_LOG_LEVEL_DEBUG;
	}
	if (p_level == BP_LOG_LEVEL_WARNING) {
		snprintf(warning_text, sizeof(warning_text), "%s", p_message);
		fprintf(stderr, "  [log warning] %s\n", p_message);
	}
	if (p_level == BP_LOG_LEVEL_ERROR) {
		fprintf(stderr, "  [log error] %s\n", p_message);
	}
	saw_connected_line = saw_connected_line || (p_level == BP_LOG_LEVEL_DEBUG && strcmp(p_message, "connection state CONNECTED") == 0);
}

static void reset_counts(void) {
	memset(lines, 0, sizeof(lines));
	stack_lines = 0;
	stack_lines_at_debug = 0;
	warning_text[0] = '\0';
	saw_connected_line = false;
	setting_reads = 0;
}

static void configure(void) {
	wc_config config = { .worker_script = tc_opt.worker,
		.shm_addon = tc_opt.shm_addon,
		.call_timeout_ms = 10000,
		.read_log_level = read_setting,
		.read_log_level_user = &setting };
	wc_configure(&config);
	wc_set_log(collect, NULL);
}

/* A fresh worker (it reads the level as it starts), a connected pair, a message, a moment for
 * the stack's lines to drain, then that worker stopped. */
static void connect_once(void) {
	wc_shutdown();
	tc_pair pair;
	BT_EQ(tc_connect(&pair, "{}", 20000), 0);
	BT_EQ(wc_channel_put_packet(pair.ch_a, (const uint8_t *)"x", 1), BP_CORE_STATUS_OK);
	uint64_t until = tc_now_ms() + 500;
	while (tc_now_ms() < until) {
		tc_relay(&pair, pair.a, pair.b);
		tc_relay(&pair, pair.b, pair.a);
		wc_wait(5);
	}
	int32_t available = 0;
	BT_EQ(wc_channel_get_available_packet_count(pair.ch_b, &available), BP_CORE_STATUS_OK);
	BT_EQ(available, 1);
	tc_pair_free(&pair);
	wc_shutdown();
}

static void test_default_level_says_nothing_below_warning(void) {
	reset_counts();
	setting = NULL;
	connect_once();
	BT_EQ(setting_reads, 1);
	BT_EQ(lines[BP_LOG_LEVEL_ERROR], 0);
	BT_EQ(lines[BP_LOG_LEVEL_WARNING], 0);
	BT_EQ(lines[BP_LOG_LEVEL_INFO], 0);
	BT_EQ(lines[BP_LOG_LEVEL_DEBUG], 0);
	BT_EQ(lines[BP_LOG_LEVEL_VERBOSE], 0);
	BT_EQ(stack_lines, 0);
}

static void test_debug_brings_the_worker_and_stack_lines(void) {
	reset_counts();
	setting = " Debug "; /* any case, blanks around it ignored, as the worker reads its variable */
	connect_once();
	BT_EQ(setting_reads, 1);
	BT_CHECK(saw_connected_line); /* the core's state change, at debug */
	BT_CHECK(lines[BP_LOG_LEVEL_DEBUG] > 0);
	BT_CHECK(stack_lines_at_debug > 0); /* libdatachannel's info lines, tagged, one level later */
	BT_EQ(lines[BP_LOG_LEVEL_VERBOSE], 0); /* nothing more detailed than asked for */
	BT_EQ(lines[BP_LOG_LEVEL_WARNING], 0);
	fprintf(stderr, "  at debug: %d debug lines, %d of them libdatachannel's\n", lines[BP_LOG_LEVEL_DEBUG], stack_lines_at_debug);
}

static void test_unknown_value_is_one_warning_and_the_default(void) {
	reset_counts();
	setting = "loud";
	connect_once();
	BT_EQ(setting_reads, 1);
	BT_EQ(lines[BP_LOG_LEVEL_WARNING], 1);
	BT_CHECK(strcmp(warning_text, "godot-webrtc: the project setting webrtc_ts/log_level is \"loud\", not one of error, warning, "
								  "info, debug, verbose; using warning") == 0);
	BT_EQ(lines[BP_LOG_LEVEL_INFO] + lines[BP_LOG_LEVEL_DEBUG] + lines[BP_LOG_LEVEL_VERBOSE], 0);
	BT_EQ(stack_lines, 0);
	BT_EQ(lines[BP_LOG_LEVEL_ERROR], 0);
}

static void test_the_environment_wins(void) {
	/* The setting says debug, Godot's environment says warning: the environment's level, and
	 * the setting is not even asked. */
	reset_counts();
	setting = "debug";
	setenv(BP_ENV_LOG_LEVEL, "warning", 1);
	connect_once();
	BT_EQ(setting_reads, 0);
	BT_EQ(lines[BP_LOG_LEVEL_DEBUG], 0);
	BT_EQ(stack_lines, 0);
	/* A bad value there is the worker's one warning (it names the variable), and the default. */
	reset_counts();
	setenv(BP_ENV_LOG_LEVEL, "shouty", 1);
	connect_once();
	BT_EQ(setting_reads, 0);
	BT_EQ(lines[BP_LOG_LEVEL_WARNING], 1);
	BT_CHECK(strstr(warning_text, "\"shouty\" (" BP_ENV_LOG_LEVEL ")") != NULL);
	BT_EQ(lines[BP_LOG_LEVEL_DEBUG] + lines[BP_LOG_LEVEL_VERBOSE], 0);
	/* Empty counts as unset: the setting is asked again. */
	reset_counts();
	setenv(BP_ENV_LOG_LEVEL, "", 1);
	setting = "debug";
	connect_once();
	BT_EQ(setting_reads, 1);
	BT_CHECK(saw_connected_line);
	unsetenv(BP_ENV_LOG_LEVEL);
}

int main(int p_argc, char **p_argv) {
	tc_parse(p_argc, p_argv);
	unsetenv(BP_ENV_LOG_LEVEL);
	setenv(BP_ENV_NODE, tc_opt.node, 1);
	configure();
	BT_RUN(test_default_level_says_nothing_below_warning);
	BT_RUN(test_debug_brings_the_worker_and_stack_lines);
	BT_RUN(test_unknown_value_is_one_warning_and_the_default);
	BT_RUN(test_the_environment_wins);
	wc_shutdown();
	return bt_finish();
}
