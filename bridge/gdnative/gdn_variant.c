/* Godot values: Strings in and out of UTF-8, configuration Dictionaries as JSON text for the
 * client, and signal emission through Object.emit_signal. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gdn_shim.h"

static godot_method_bind *gdn_emit_signal_bind;
static pthread_once_t gdn_emit_once = PTHREAD_ONCE_INIT;

static void gdn_emit_lookup(void) {
	gdn_emit_signal_bind = gdn_g_api.method_bind_get_method("Object", "emit_signal");
}

godot_string gdn_string_from(const char *p_utf8, size_t p_length) {
	if (p_length > (size_t)INT32_MAX) {
		p_length = 0; /* never produced by the client (its strings are bounded far below) */
	}
	return gdn_g_api.string_chars_to_utf8_with_len(p_utf8 != NULL ? p_utf8 : "", (godot_int)p_length);
}

/* Copy a CharString's bytes into a fresh heap buffer (NUL-terminated). */
static char *gdn_char_string_take(godot_char_string *p_chars, size_t *r_length) {
	godot_int length = gdn_g_api.char_string_length(p_chars);
	const char *data = gdn_g_api.char_string_get_data(p_chars);
	char *copy = NULL;
	if (length >= 0) {
		copy = malloc((size_t)length + 1u);
		if (copy != NULL) {
			if (length > 0) {
				memcpy(copy, data, (size_t)length);
			}
			copy[length] = '\0';
			if (r_length != NULL) {
				*r_length = (size_t)length;
			}
		}
	}
	gdn_g_api.char_string_destroy(p_chars);
	return copy;
}

char *gdn_string_dup(const godot_string *p_string) {
	godot_char_string chars = gdn_g_api.string_utf8(p_string);
	return gdn_char_string_take(&chars, NULL);
}

char *gdn_dictionary_json(const godot_dictionary *p_dictionary, size_t *r_length) {
	/* JSON.print(): String keys, ints as integers, nested Arrays and Dictionaries. */
	godot_string json = gdn_g_api.dictionary_to_json(p_dictionary);
	godot_char_string chars = gdn_g_api.string_utf8(&json);
	char *text = gdn_char_string_take(&chars, r_length);
	gdn_g_api.string_destroy(&json);
	return text;
}

void gdn_emit(godot_object *p_owner, const char *p_signal, godot_variant *p_args, int p_count) {
	pthread_once(&gdn_emit_once, gdn_emit_lookup);
	godot_string name_string = gdn_string_from(p_signal, strlen(p_signal));
	godot_variant name;
	gdn_g_api.variant_new_string(&name, &name_string);
	gdn_g_api.string_destroy(&name_string);

	/* emit_signal's arguments: the name, then p_args; the count passed is what is filled. */
	const godot_variant *args[1 + GDN_EMIT_MAX_ARGS] = { &name };
	if (p_count < 0 || p_count > GDN_EMIT_MAX_ARGS) {
		gdn_error("poll", "signal \"%s\" has %d arguments, more than %d: not emitted", p_signal, p_count, GDN_EMIT_MAX_ARGS);
	} else if (gdn_emit_signal_bind != NULL) {
		for (int i = 0; i < p_count; i++) {
			args[i + 1] = &p_args[i];
		}
		godot_variant_call_error error = { 0, 0, 0 };
		godot_variant result = gdn_g_api.method_bind_call(gdn_emit_signal_bind, p_owner, args, 1 + p_count, &error);
		gdn_g_api.variant_destroy(&result);
		if (error.error != 0) {
			gdn_error("poll", "emit_signal(\"%s\") failed (call error %d)", p_signal, error.error);
		}
	} else {
		gdn_error("poll", "Object.emit_signal is not available: signal \"%s\" lost", p_signal);
	}
	gdn_g_api.variant_destroy(&name);
	for (int i = 0; i < p_count; i++) {
		gdn_g_api.variant_destroy(&p_args[i]);
	}
}
