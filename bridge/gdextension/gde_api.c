/* The engine API table, defined once (gde_api.h), and the value helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gde_api.h"

gde_api_table gde_api;

/* ---- loading ---- */

#define GDE_FETCH(p_field, p_name) \
	(gde_api.p_field = (__typeof__(gde_api.p_field))p_get_proc_address(p_name), gde_api.p_field != NULL)

bool gde_api_load(gde_get_proc_address p_get_proc_address, gde_library p_library) {
	memset(&gde_api, 0, sizeof(gde_api));
	gde_api.library = p_library;
	/* Everything asked for below exists in 4.1 (docs/abi.md section 2): ask for the version first,
	 * so a newer name would only ever be requested after checking it. */
	if (!GDE_FETCH(get_godot_version, "get_godot_version")) {
		fprintf(stderr, "ERROR: webrtc_ts: this engine has no get_godot_version; Godot 4.1 or newer is needed\n");
		return false;
	}
	gde_api.get_godot_version(&gde_api.version);
	if (!GDE_FETCH(print_error, "print_error") || !GDE_FETCH(print_warning, "print_warning")) {
		fprintf(stderr, "ERROR: webrtc_ts: this engine has no print_error\n");
		return false;
	}
	if (gde_api.version.major != 4 || gde_api.version.minor < 1) {
		gde_print_error("webrtc_ts needs Godot 4.1 or newer (this is %u.%u.%u)", gde_api.version.major,
				gde_api.version.minor, gde_api.version.patch);
		return false;
	}
	bool ok = GDE_FETCH(string_new_with_utf8_chars, "string_new_with_utf8_chars") &&
			GDE_FETCH(string_new_with_utf8_chars_and_len, "string_new_with_utf8_chars_and_len") &&
			GDE_FETCH(string_to_utf8_chars, "string_to_utf8_chars") &&
			GDE_FETCH(variant_get_ptr_constructor, "variant_get_ptr_constructor") &&
			GDE_FETCH(variant_get_ptr_destructor, "variant_get_ptr_destructor") &&
			GDE_FETCH(get_variant_from_type_constructor, "get_variant_from_type_constructor") &&
			GDE_FETCH(variant_destroy, "variant_destroy") &&
			GDE_FETCH(classdb_construct_object, "classdb_construct_object") &&
			GDE_FETCH(object_set_instance, "object_set_instance") &&
			GDE_FETCH(classdb_register_extension_class, "classdb_register_extension_class") &&
			GDE_FETCH(classdb_unregister_extension_class, "classdb_unregister_extension_class") &&
			GDE_FETCH(classdb_get_method_bind, "classdb_get_method_bind") &&
			GDE_FETCH(object_method_bind_ptrcall, "object_method_bind_ptrcall") &&
			GDE_FETCH(object_method_bind_call, "object_method_bind_call") &&
			GDE_FETCH(ref_set_object, "ref_set_object") &&
			GDE_FETCH(object_get_instance_id, "object_get_instance_id") &&
			GDE_FETCH(object_get_instance_from_id, "object_get_instance_from_id") &&
			GDE_FETCH(get_library_path, "get_library_path") &&
			GDE_FETCH(classdb_register_extension_class_method, "classdb_register_extension_class_method") &&
			GDE_FETCH(dictionary_operator_index, "dictionary_operator_index") &&
			GDE_FETCH(variant_new_copy, "variant_new_copy") && GDE_FETCH(variant_get_type, "variant_get_type") &&
			GDE_FETCH(variant_stringify, "variant_stringify") && GDE_FETCH(global_get_singleton, "global_get_singleton");
	if (!ok) {
		gde_print_error("webrtc_ts: this engine lacks a GDExtension interface function of Godot 4.1 "
						"(a build with disable_deprecated=yes?)");
		return false;
	}
	gde_api.string_name_from_string =
			gde_api.variant_get_ptr_constructor(GDE_VARIANT_TYPE_STRING_NAME, GDE_CONSTRUCTOR_STRING_NAME_FROM_STRING);
	gde_api.string_destroy = gde_api.variant_get_ptr_destructor(GDE_VARIANT_TYPE_STRING);
	gde_api.string_name_destroy = gde_api.variant_get_ptr_destructor(GDE_VARIANT_TYPE_STRING_NAME);
	gde_api.variant_from_int = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_INT);
	gde_api.variant_from_string = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_STRING);
	gde_api.variant_from_string_name = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_STRING_NAME);
	gde_api.variant_from_object = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_OBJECT);
	gde_api.variant_from_dictionary = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_DICTIONARY);
	gde_api.variant_from_float = gde_api.get_variant_from_type_constructor(GDE_VARIANT_TYPE_FLOAT);
	gde_api.dictionary_new = gde_api.variant_get_ptr_constructor(GDE_VARIANT_TYPE_DICTIONARY, GDE_CONSTRUCTOR_DICTIONARY_DEFAULT);
	gde_api.dictionary_copy = gde_api.variant_get_ptr_constructor(GDE_VARIANT_TYPE_DICTIONARY, GDE_CONSTRUCTOR_DICTIONARY_COPY);
	gde_api.dictionary_destroy = gde_api.variant_get_ptr_destructor(GDE_VARIANT_TYPE_DICTIONARY);
	if (gde_api.variant_from_float == NULL || gde_api.dictionary_new == NULL || gde_api.dictionary_copy == NULL ||
			gde_api.dictionary_destroy == NULL) {
		gde_print_error("webrtc_ts: the engine refused a Dictionary or float constructor");
		return false;
	}
	if (gde_api.string_name_from_string == NULL || gde_api.string_destroy == NULL || gde_api.string_name_destroy == NULL ||
			gde_api.variant_from_int == NULL || gde_api.variant_from_string == NULL ||
			gde_api.variant_from_string_name == NULL || gde_api.variant_from_object == NULL ||
			gde_api.variant_from_dictionary == NULL) {
		gde_print_error("webrtc_ts: the engine refused a Variant constructor or destructor");
		return false;
	}
	return true;
}

static gde_method_bind gde_bind(const char *p_class, const char *p_method, gde_int p_hash) {
	gde_string_name class_name;
	gde_string_name method_name;
	gde_string_name_make(&class_name, p_class);
	gde_string_name_make(&method_name, p_method);
	gde_method_bind bind = gde_api.classdb_get_method_bind(&class_name, &method_name, p_hash);
	gde_string_name_destroy(&method_name);
	gde_string_name_destroy(&class_name);
	if (bind == NULL) {
		gde_print_error("webrtc_ts: %s.%s (hash %lld) is not in this engine", p_class, p_method, (long long)p_hash);
	}
	return bind;
}

bool gde_api_bind_methods(void) {
	/* JSON.stringify's hash changed in 4.2 (the hashing of default values changed); 4.2+
	 * still accept the 4.1 hash only through a compatibility table that
	 * disable_deprecated removes, so choose by version (docs/abi.md section 5). */
	gde_int stringify_hash = gde_api.version.minor == 1 ? GDE_HASH_JSON_STRINGIFY_COMPAT : GDE_HASH_JSON_STRINGIFY;
	gde_api.emit_signal = gde_bind("Object", "emit_signal", GDE_HASH_OBJECT_EMIT_SIGNAL);
	gde_api.json_stringify = gde_bind("JSON", "stringify", stringify_hash);
	gde_api.set_default_extension = gde_bind("WebRTCPeerConnection", "set_default_extension",
			GDE_HASH_WEBRTC_PEER_CONNECTION_SET_DEFAULT_EXTENSION);
	/* Optional: without it the worker's log level is the default (or the environment's). */
	gde_api.get_setting = gde_bind("ProjectSettings", "get_setting", GDE_HASH_PROJECT_SETTINGS_GET_SETTING);
	return gde_api.emit_signal != NULL && gde_api.json_stringify != NULL && gde_api.set_default_extension != NULL;
}

/* ---- console ---- */

static void gde_print(gde_fn_print p_print, const char *p_format, va_list p_args) {
	char line[1024];
	va_list again;
	va_copy(again, p_args);
	int length = vsnprintf(line, sizeof(line), p_format, p_args);
	char *text = line;
	char *heap = NULL;
	if (length >= (int)sizeof(line) && (heap = malloc((size_t)length + 1u)) != NULL) {
		vsnprintf(heap, (size_t)length + 1u, p_format, again);
		text = heap;
	}
	va_end(again);
	if (p_print != NULL) {
		p_print(text, "webrtc_ts", "bridge/gdextension", 0, 0);
	} else {
		fprintf(stderr, "%s\n", text);
	}
	free(heap);
}

void gde_print_error(const char *p_format, ...) {
	va_list args;
	va_start(args, p_format);
	gde_print(gde_api.print_error, p_format, args);
	va_end(args);
}

void gde_print_warning(const char *p_format, ...) {
	va_list args;
	va_start(args, p_format);
	gde_print(gde_api.print_warning, p_format, args);
	va_end(args);
}

/* ---- values ---- */

void gde_string_make(void *r_string, const char *p_utf8, size_t p_length) {
	gde_api.string_new_with_utf8_chars_and_len(r_string, p_utf8 != NULL ? p_utf8 : "", p_utf8 != NULL ? (gde_int)p_length : 0);
}

void gde_string_destroy(void *p_string) {
	gde_api.string_destroy(p_string);
}

void gde_string_name_make(gde_string_name *r_name, const char *p_utf8) {
	gde_string text;
	gde_api.string_new_with_utf8_chars(&text, p_utf8);
	const void *args[1] = { &text };
	gde_api.string_name_from_string(r_name, args);
	gde_api.string_destroy(&text);
}

void gde_string_name_destroy(gde_string_name *p_name) {
	gde_api.string_name_destroy(p_name);
}

char *gde_string_to_utf8(const void *p_string, size_t *r_length) {
	gde_int length = gde_api.string_to_utf8_chars(p_string, NULL, 0);
	if (length < 0) {
		length = 0;
	}
	char *text = malloc((size_t)length + 1u);
	if (text == NULL) {
		return NULL;
	}
	gde_int written = length > 0 ? gde_api.string_to_utf8_chars(p_string, text, length) : 0;
	if (written < 0 || written > length) {
		written = 0;
	}
	text[written] = '\0';
	if (r_length != NULL) {
		*r_length = (size_t)written;
	}
	return text;
}

char *gde_dictionary_to_json(const void *p_dictionary, size_t *r_length) {
	gde_variant value;
	gde_api.variant_from_dictionary(&value, (void *)p_dictionary);
	gde_string indent;
	gde_string json;
	gde_api.string_new_with_utf8_chars(&indent, "");
	gde_api.string_new_with_utf8_chars(&json, "");
	gde_bool sort_keys = 1;
	gde_bool full_precision = 0;
	/* ptrcall applies no defaults: all four arguments (docs/abi.md section 4). */
	const void *args[4] = { &value, &indent, &sort_keys, &full_precision };
	gde_api.object_method_bind_ptrcall(gde_api.json_stringify, NULL, args, &json);
	char *text = gde_string_to_utf8(&json, r_length);
	gde_api.string_destroy(&json);
	gde_api.string_destroy(&indent);
	gde_api.variant_destroy(&value);
	if (text == NULL) {
		gde_print_error("webrtc_ts: out of memory converting a Dictionary to JSON");
	}
	return text;
}

bool gde_emit_signal(gde_object p_object, const gde_string_name *p_signal, const gde_variant *p_args, int p_count) {
	enum { GDE_EMIT_MAX = 4 };
	gde_variant name;
	gde_api.variant_from_string_name(&name, (void *)p_signal);
	const gde_variant *args[GDE_EMIT_MAX + 1] = { &name };
	for (int i = 0; i < p_count && i < GDE_EMIT_MAX; i++) {
		args[i + 1] = &p_args[i];
	}
	gde_variant result;
	gde_call_error error = { 0, 0, 0 };
	gde_api.object_method_bind_call(gde_api.emit_signal, p_object, args, 1 + (p_count < GDE_EMIT_MAX ? p_count : GDE_EMIT_MAX),
			&result, &error);
	gde_api.variant_destroy(&result);
	gde_api.variant_destroy(&name);
	if (error.error != 0) {
		gde_print_error("webrtc_ts: emit_signal failed (call error %d)", (int)error.error);
		return false;
	}
	return true;
}
