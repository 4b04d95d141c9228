/* gdn_emit (gdn_variant.c) against a fake engine API table: the argument count handed to
 * Object.emit_signal always matches the argument array (issue 9: it capped the array at 3
 * but passed p_count + 1), and every argument is consumed whatever happens.
 *
 *   make -C bridge/gdnative test
 */
#include <stdarg.h>
#include <string.h>

#include "../../ring/tests/bt.h"
#include "../gdn_shim.h"

gdn_api gdn_g_api;

static int fake_calls; /* method_bind_call */
static int fake_call_count; /* its p_count */
static const godot_variant *fake_call_args[8];
static int fake_destroyed; /* variant_destroy */
static int fake_errors; /* gdn_error */
static char fake_bind; /* any non-NULL method bind */

void gdn_error(const char *p_function, const char *p_format, ...) {
	(void)p_function;
	(void)p_format;
	fake_errors++;
}

static godot_string fake_string_from(const char *p_utf8, godot_int p_length) {
	(void)p_utf8;
	(void)p_length;
	godot_string text;
	memset(&text, 0, sizeof(text));
	return text;
}

static void fake_string_destroy(godot_string *p_string) {
	(void)p_string;
}

static void fake_variant_new_string(godot_variant *r_variant, const godot_string *p_string) {
	(void)p_string;
	memset(r_variant, 0x5A, sizeof(*r_variant));
}

static void fake_variant_destroy(godot_variant *p_variant) {
	(void)p_variant;
	fake_destroyed++;
}

static godot_method_bind *fake_get_method(const char *p_class, const char *p_method) {
	(void)p_class;
	(void)p_method;
	return (godot_method_bind *)(void *)&fake_bind;
}

/* Reads every argument the count claims, as the engine does (ASan sees a short array). */
static godot_variant fake_call(godot_method_bind *p_bind, godot_object *p_object, const godot_variant **p_args, int p_count,
		godot_variant_call_error *r_error) {
	(void)p_bind;
	(void)p_object;
	fake_calls++;
	fake_call_count = p_count;
	for (int i = 0; i < p_count; i++) {
		const godot_variant *arg = p_args[i];
		if (i < 8) {
			fake_call_args[i] = arg;
		}
		volatile unsigned char first = arg != NULL ? *(const unsigned char *)arg : 0;
		(void)first;
	}
	memset(r_error, 0, sizeof(*r_error));
	godot_variant result;
	memset(&result, 0, sizeof(result));
	return result;
}

static void fake_reset(void) {
	fake_calls = 0;
	fake_call_count = -1;
	memset(fake_call_args, 0, sizeof(fake_call_args));
	fake_destroyed = 0;
	fake_errors = 0;
}

static void test_three_arguments_are_the_name_and_three(void) {
	fake_reset();
	godot_variant args[3];
	memset(args, 0x11, sizeof(args));
	gdn_emit(NULL, "ice_candidate_created", args, 3);
	BT_EQ(fake_calls, 1);
	BT_EQ(fake_call_count, 4);
	for (int i = 0; i < 3; i++) {
		BT_CHECK(fake_call_args[i + 1] == &args[i]);
	}
	BT_EQ(fake_errors, 0);
	BT_EQ(fake_destroyed, 1 + 1 + 3); /* the result, the name, the arguments */
}

static void test_no_arguments(void) {
	fake_reset();
	gdn_emit(NULL, "x", NULL, 0);
	BT_EQ(fake_calls, 1);
	BT_EQ(fake_call_count, 1);
	BT_EQ(fake_destroyed, 2);
}

/* More arguments than the array holds: never a count past the array (before the fix: 5
 * for an array of 4, read out of bounds); one error line; the arguments still consumed. */
static void test_issue9_count_never_exceeds_the_array(void) {
	fake_reset();
	godot_variant args[GDN_EMIT_MAX_ARGS + 1];
	memset(args, 0x22, sizeof(args));
	gdn_emit(NULL, "too_many", args, GDN_EMIT_MAX_ARGS + 1);
	BT_EQ(fake_calls, 0);
	BT_EQ(fake_errors, 1);
	BT_EQ(fake_destroyed, 1 + GDN_EMIT_MAX_ARGS + 1); /* the name, the arguments */
}

int main(void) {
	gdn_g_api.string_chars_to_utf8_with_len = fake_string_from;
	gdn_g_api.string_destroy = fake_string_destroy;
	gdn_g_api.variant_new_string = fake_variant_new_string;
	gdn_g_api.variant_destroy = fake_variant_destroy;
	gdn_g_api.method_bind_get_method = fake_get_method;
	gdn_g_api.method_bind_call = fake_call;
	BT_RUN(test_three_arguments_are_the_name_and_three);
	BT_RUN(test_no_arguments);
	BT_RUN(test_issue9_count_never_exceeds_the_array);
	return bt_finish();
}
