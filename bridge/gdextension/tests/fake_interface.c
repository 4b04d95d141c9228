/* The fake engine's interface: get_proc_address with a record of every name asked (and a
 * failure for any name Godot 4.1 lacks), the String/StringName/Variant functions, and the
 * four method binds the shim uses (set_default_extension, JSON.stringify, emit_signal,
 * ProjectSettings.get_setting on the ProjectSettings singleton),
 * each checked against its hash for the engine version being played. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_private.h"
#include "interface_4_1.h"

/* ---- interface functions ---- */

static void fake_get_godot_version(gde_godot_version *r_version) {
	static char text[64];
	snprintf(text, sizeof(text), "Godot Engine v%u.%u.fake", fake_options.major, fake_options.minor);
	r_version->major = fake_options.major;
	r_version->minor = fake_options.minor;
	r_version->patch = 0;
	r_version->string = text;
}

static void fake_print_error(const char *p_description, const char *p_function, const char *p_file, int32_t p_line,
		gde_bool p_notify) {
	(void)p_notify;
	fake_report.errors_printed++;
	snprintf(fake_report.last_error, sizeof(fake_report.last_error), "%s", p_description);
	fprintf(stderr, "    (engine) ERROR: %s\n       at: %s (%s:%d)\n", p_description, p_function != NULL ? p_function : "?",
			p_file != NULL ? p_file : "?", (int)p_line);
}

static void fake_print_warning(const char *p_description, const char *p_function, const char *p_file, int32_t p_line,
		gde_bool p_notify) {
	(void)p_function;
	(void)p_file;
	(void)p_line;
	(void)p_notify;
	fake_report.warnings_printed++;
	fprintf(stderr, "    (engine) WARNING: %s\n", p_description);
}

static void fake_string_new_with_utf8_chars(void *r_dest, const char *p_contents) {
	fake_string_init(r_dest, p_contents, strlen(p_contents));
}

/* The engine's parse_utf8 stops at a NUL inside the given length. */
static void fake_string_new_with_utf8_chars_and_len(void *r_dest, const char *p_contents, gde_int p_size) {
	size_t length = p_size < 0 ? strlen(p_contents) : strnlen(p_contents, (size_t)p_size);
	fake_string_init(r_dest, p_contents, length);
}

static gde_int fake_string_to_utf8_chars(const void *p_self, char *r_text, gde_int p_max_write_length) {
	size_t length = 0;
	const char *text = fake_string_text(p_self, &length);
	if (r_text != NULL) {
		size_t count = (size_t)p_max_write_length < length ? (size_t)p_max_write_length : length;
		memcpy(r_text, text, count);
	}
	return (gde_int)length;
}

static void fake_ctor_string_default(void *r_base, const void *const *p_args) {
	(void)p_args;
	fake_string_init(r_base, "", 0);
}

static void fake_ctor_string_copy(void *r_base, const void *const *p_args) {
	fake_string_copy(r_base, p_args[0]);
}

static void fake_ctor_string_from_string_name(void *r_base, const void *const *p_args) {
	const char *text = fake_string_name_text(p_args[0]);
	fake_string_init(r_base, text, strlen(text));
}

static void fake_ctor_string_name_default(void *r_base, const void *const *p_args) {
	(void)p_args;
	fake_string_name_init(r_base, "", 0);
}

static void fake_ctor_string_name_copy(void *r_base, const void *const *p_args) {
	const char *text = fake_string_name_text(p_args[0]);
	fake_string_name_init(r_base, text, strlen(text));
}

static void fake_ctor_string_name_from_string(void *r_base, const void *const *p_args) {
	size_t length = 0;
	const char *text = fake_string_text(p_args[0], &length);
	fake_string_name_init(r_base, text, length);
}

static void fake_ctor_dictionary_default(void *r_base, const void *const *p_args) {
	(void)p_args;
	fake_dictionary_init(r_base);
}

static void fake_ctor_dictionary_copy(void *r_base, const void *const *p_args) {
	fake_dictionary_copy(r_base, p_args[0]);
}

static void fake_ctor_array_default(void *r_base, const void *const *p_args) {
	(void)p_args;
	fake_array_init(r_base);
}

static gde_ptr_constructor fake_variant_get_ptr_constructor(int32_t p_type, int32_t p_index) {
	if (p_type == GDE_VARIANT_TYPE_STRING) {
		if (p_index == GDE_CONSTRUCTOR_STRING_DEFAULT) {
			return fake_ctor_string_default;
		}
		if (p_index == 1) {
			return fake_ctor_string_copy;
		}
		if (p_index == GDE_CONSTRUCTOR_STRING_FROM_STRING_NAME) {
			return fake_ctor_string_from_string_name;
		}
	} else if (p_type == GDE_VARIANT_TYPE_STRING_NAME) {
		if (p_index == 0) {
			return fake_ctor_string_name_default;
		}
		if (p_index == 1) {
			return fake_ctor_string_name_copy;
		}
		if (p_index == GDE_CONSTRUCTOR_STRING_NAME_FROM_STRING) {
			return fake_ctor_string_name_from_string;
		}
	} else if (p_type == GDE_VARIANT_TYPE_DICTIONARY) {
		if (p_index == GDE_CONSTRUCTOR_DICTIONARY_DEFAULT) {
			return fake_ctor_dictionary_default;
		}
		if (p_index == 1) {
			return fake_ctor_dictionary_copy;
		}
	} else if (p_type == GDE_VARIANT_TYPE_ARRAY && p_index == 0) {
		return fake_ctor_array_default;
	}
	fake_report.unimplemented_names++;
	fprintf(stderr, "    fake engine: no constructor %d of type %d\n", (int)p_index, (int)p_type);
	return NULL;
}

static gde_ptr_destructor fake_variant_get_ptr_destructor(int32_t p_type) {
	switch (p_type) {
		case GDE_VARIANT_TYPE_STRING:
			return fake_string_destroy;
		case GDE_VARIANT_TYPE_STRING_NAME:
			return fake_string_name_destroy;
		case GDE_VARIANT_TYPE_DICTIONARY:
			return fake_dictionary_destroy;
		case GDE_VARIANT_TYPE_ARRAY:
			return fake_array_destroy;
		default:
			fake_report.unimplemented_names++;
			return NULL;
	}
}

static void fake_from_bool(void *r_variant, void *p_value) {
	fake_variant *v = r_variant;
	fake_variant_nil(v);
	v->type = GDE_VARIANT_TYPE_BOOL;
	v->value.boolean = *(const uint8_t *)p_value ? 1u : 0u;
}

static void fake_from_int(void *r_variant, void *p_value) {
	fake_variant_from_int(r_variant, *(const int64_t *)p_value);
}

static void fake_from_float(void *r_variant, void *p_value) {
	fake_variant *v = r_variant;
	fake_variant_nil(v);
	v->type = GDE_VARIANT_TYPE_FLOAT;
	v->value.real = *(const double *)p_value;
}

static void fake_from_string(void *r_variant, void *p_value) {
	size_t length = 0;
	const char *text = fake_string_text(p_value, &length);
	fake_variant_from_string(r_variant, text, length);
}

static void fake_from_string_name(void *r_variant, void *p_value) {
	fake_variant *v = r_variant;
	fake_variant_nil(v);
	v->type = GDE_VARIANT_TYPE_STRING_NAME;
	memcpy(&v->value.string_name, p_value, sizeof(void *));
}

/* p_value points at an Object* variable (docs/abi.md section 4). */
static void fake_from_object(void *r_variant, void *p_value) {
	fake_variant *v = r_variant;
	fake_variant_nil(v);
	v->type = GDE_VARIANT_TYPE_OBJECT;
	fake_object *object = fake_object_checked(*(void **)p_value, "variant from OBJECT");
	if (object != NULL && object->magic == FAKE_OBJECT_MAGIC) {
		v->value.object = object;
		fake_object_take(object);
	}
}

static void fake_from_dictionary(void *r_variant, void *p_value) {
	fake_variant *v = r_variant;
	fake_variant_nil(v);
	v->type = GDE_VARIANT_TYPE_DICTIONARY;
	fake_dictionary *dictionary;
	fake_dictionary_copy(&dictionary, p_value);
	fake_live.dictionaries--; /* the copy lives in the Variant */
	v->value.dictionary = dictionary;
}

static gde_variant_from_type fake_get_variant_from_type_constructor(int32_t p_type) {
	switch (p_type) {
		case GDE_VARIANT_TYPE_BOOL:
			return fake_from_bool;
		case GDE_VARIANT_TYPE_INT:
			return fake_from_int;
		case GDE_VARIANT_TYPE_FLOAT:
			return fake_from_float;
		case GDE_VARIANT_TYPE_STRING:
			return fake_from_string;
		case GDE_VARIANT_TYPE_STRING_NAME:
			return fake_from_string_name;
		case GDE_VARIANT_TYPE_OBJECT:
			return fake_from_object;
		case GDE_VARIANT_TYPE_DICTIONARY:
			return fake_from_dictionary;
		default:
			fake_report.unimplemented_names++;
			return NULL;
	}
}

static void fake_variant_new_nil_fn(void *r_variant) {
	fake_variant_nil(r_variant);
}

static void fake_variant_new_copy_fn(void *r_variant, const void *p_from) {
	fake_variant_copy(r_variant, p_from);
}

static void fake_variant_destroy_fn(void *p_variant) {
	fake_variant_destroy(p_variant);
}

static int32_t fake_variant_get_type(const void *p_variant) {
	return ((const fake_variant *)p_variant)->type;
}

/* Variant -> String (r_string uninitialized), for the types this fake makes. */
static void fake_variant_stringify(const void *p_variant, void *r_string) {
	const fake_variant *value = p_variant;
	char text[32];
	if (value->type == GDE_VARIANT_TYPE_STRING) {
		fake_string_copy(r_string, &value->value.string);
		return;
	}
	if (value->type == GDE_VARIANT_TYPE_INT) {
		snprintf(text, sizeof(text), "%lld", (long long)value->value.integer);
	} else {
		snprintf(text, sizeof(text), "%s", value->type == GDE_VARIANT_TYPE_NIL ? "<null>" : "<value>");
	}
	fake_string_init(r_string, text, strlen(text));
}

/* ---- the one singleton: ProjectSettings ---- */

static int fake_project_settings_object; /* its address is the singleton */

static gde_object fake_global_get_singleton(const gde_string_name *p_name) {
	const char *name = fake_string_name_text(p_name);
	if (strcmp(name, "ProjectSettings") != 0) {
		fake_abi_violation("fake engine: no singleton %s", name);
		return NULL;
	}
	return &fake_project_settings_object;
}

/* ---- method binds ---- */

enum { FAKE_BIND_SET_DEFAULT_EXTENSION = 1, FAKE_BIND_JSON_STRINGIFY, FAKE_BIND_EMIT_SIGNAL, FAKE_BIND_GET_SETTING };
static int fake_binds[5]; /* addresses are the method bind pointers */

static gde_method_bind fake_classdb_get_method_bind(const gde_string_name *p_class, const gde_string_name *p_method, gde_int p_hash) {
	const char *class_name = fake_string_name_text(p_class);
	const char *method = fake_string_name_text(p_method);
	/* The 4.1 hash of JSON.stringify on 4.1, the new one from 4.2 (docs/abi.md section 5). This
	 * fake refuses the other one, like a disable_deprecated build. */
	gde_int stringify = fake_options.minor == 1 ? GDE_HASH_JSON_STRINGIFY_COMPAT : GDE_HASH_JSON_STRINGIFY;
	int which = 0;
	gde_int expected = 0;
	if (strcmp(class_name, "WebRTCPeerConnection") == 0 && strcmp(method, "set_default_extension") == 0) {
		which = FAKE_BIND_SET_DEFAULT_EXTENSION;
		expected = GDE_HASH_WEBRTC_PEER_CONNECTION_SET_DEFAULT_EXTENSION;
		if (fake_level < GDE_INIT_LEVEL_SCENE) {
			fake_abi_violation("WebRTCPeerConnection does not exist before SCENE level");
			return NULL;
		}
	} else if (strcmp(class_name, "JSON") == 0 && strcmp(method, "stringify") == 0) {
		which = FAKE_BIND_JSON_STRINGIFY;
		expected = stringify;
	} else if (strcmp(class_name, "Object") == 0 && strcmp(method, "emit_signal") == 0) {
		which = FAKE_BIND_EMIT_SIGNAL;
		expected = GDE_HASH_OBJECT_EMIT_SIGNAL;
	} else if (strcmp(class_name, "ProjectSettings") == 0 && strcmp(method, "get_setting") == 0) {
		which = FAKE_BIND_GET_SETTING;
		expected = GDE_HASH_PROJECT_SETTINGS_GET_SETTING;
	} else {
		fake_abi_violation("fake engine: no method bind %s.%s", class_name, method);
		return NULL;
	}
	if (p_hash != expected) {
		char line[256];
		snprintf(line, sizeof(line), "Method bind %s.%s: hash %lld does not match (this engine has %lld)", class_name, method,
				(long long)p_hash, (long long)expected);
		fake_print_error(line, "classdb_get_method_bind", "fake_engine.c", __LINE__, 0);
		return NULL;
	}
	return &fake_binds[which];
}

static void fake_stringify(const void *const *p_args, void *r_ret) {
	const fake_variant *value = p_args[0];
	size_t indent_length = 0;
	fake_string_text(p_args[1], &indent_length);
	bool sort_keys = *(const uint8_t *)p_args[2] != 0;
	bool full_precision = *(const uint8_t *)p_args[3] != 0;
	if (indent_length != 0 || full_precision) {
		fake_abi_violation("JSON.stringify: the host expects indent \"\" and full_precision false");
	}
	char *json = fake_json_stringify(value, sort_keys);
	/* r_ret is a constructed String: assign into it. */
	fake_string_destroy(r_ret);
	fake_string_init(r_ret, json, strlen(json));
	free(json);
}

static void fake_object_method_bind_ptrcall(gde_method_bind p_bind, gde_object p_instance, const void *const *p_args, void *r_ret) {
	if (p_bind == &fake_binds[FAKE_BIND_SET_DEFAULT_EXTENSION]) {
		if (p_instance != NULL || r_ret != NULL) {
			fake_abi_violation("set_default_extension is static and returns nothing");
		}
		const char *name = fake_string_name_text(p_args[0]);
		fake_class *class_record = fake_class_find(name);
		if (class_record == NULL || strcmp(class_record->parent->name, "WebRTCPeerConnectionExtension") != 0) {
			char line[256];
			snprintf(line, sizeof(line), "Condition \"!ClassDB::is_parent_class(p_extension, \"WebRTCPeerConnectionExtension\")\" is true: %s", name);
			fake_print_error(line, "set_default_extension", "webrtc_peer_connection.cpp", 0, 0);
			return;
		}
		fake_default_extension_name = class_record->name;
	} else if (p_bind == &fake_binds[FAKE_BIND_JSON_STRINGIFY]) {
		if (p_instance != NULL) {
			fake_abi_violation("JSON.stringify is static: the instance must be NULL");
		}
		fake_stringify(p_args, r_ret);
	} else if (p_bind == &fake_binds[FAKE_BIND_EMIT_SIGNAL]) {
		fake_abi_violation("emit_signal is vararg: it has no ptrcall");
	} else if (p_bind == &fake_binds[FAKE_BIND_GET_SETTING]) {
		fake_abi_violation("get_setting by ptrcall: the host expects call (defaults filled in)");
	} else {
		fake_abi_violation("ptrcall of an unknown method bind %p", p_bind);
	}
}

/* The three signals of WebRTCPeerConnection and their argument types (API dump). */
typedef struct fake_signal_signature {
	const char *name;
	int count;
	int32_t types[3];
} fake_signal_signature;

static const fake_signal_signature fake_signatures[] = {
	{ "session_description_created", 2, { GDE_VARIANT_TYPE_STRING, GDE_VARIANT_TYPE_STRING, 0 } },
	{ "ice_candidate_created", 3, { GDE_VARIANT_TYPE_STRING, GDE_VARIANT_TYPE_INT, GDE_VARIANT_TYPE_STRING } },
	{ "data_channel_received", 1, { GDE_VARIANT_TYPE_OBJECT, 0, 0 } },
};

static void fake_object_method_bind_call(gde_method_bind p_bind, gde_object p_instance, const gde_variant *const *p_args,
		gde_int p_count, gde_variant *r_ret, gde_call_error *r_error) {
	fake_variant_from_int((fake_variant *)r_ret, 0);
	r_error->error = 0;
	r_error->argument = 0;
	r_error->expected = 0;
	if (p_bind == &fake_binds[FAKE_BIND_GET_SETTING]) {
		/* ProjectSettings.get_setting(name, default_value = null): the value, or the default. */
		const fake_variant *const *settings_args = (const fake_variant *const *)p_args;
		if (p_instance != &fake_project_settings_object || p_count < 1 || p_count > 2 ||
				settings_args[0]->type != GDE_VARIANT_TYPE_STRING) {
			fake_abi_violation("get_setting: called on the ProjectSettings singleton with a String name, and a default at most");
			r_error->error = 1;
			return;
		}
		const char *name = settings_args[0]->value.string != NULL ? fake_string_text(&settings_args[0]->value.string, NULL) : "";
		fake_variant_destroy((fake_variant *)r_ret);
		if (strcmp(name, "webrtc_ts/log_level") == 0 && fake_options.log_level_setting != NULL) {
			fake_report.get_setting_calls++;
			fake_variant_from_string((fake_variant *)r_ret, fake_options.log_level_setting, strlen(fake_options.log_level_setting));
		} else if (p_count == 2) {
			fake_report.get_setting_calls += strcmp(name, "webrtc_ts/log_level") == 0;
			fake_variant_copy((fake_variant *)r_ret, settings_args[1]);
		} else {
			fake_report.get_setting_calls += strcmp(name, "webrtc_ts/log_level") == 0;
			fake_variant_nil((fake_variant *)r_ret);
		}
		return;
	}
	if (p_bind != &fake_binds[FAKE_BIND_EMIT_SIGNAL]) {
		fake_abi_violation("object_method_bind_call: only emit_signal and get_setting are expected");
		r_error->error = 1;
		return;
	}
	fake_object *object = fake_object_checked(p_instance, "emit_signal");
	const fake_variant *const *args = (const fake_variant *const *)p_args;
	if (object == NULL || p_count < 1) {
		r_error->error = 1;
		return;
	}
	const char *name = NULL;
	if (args[0]->type == GDE_VARIANT_TYPE_STRING_NAME) {
		name = fake_interned_text(args[0]->value.string_name);
	} else if (args[0]->type == GDE_VARIANT_TYPE_STRING) {
		name = args[0]->value.string != NULL ? fake_string_text(&args[0]->value.string, NULL) : "";
	} else {
		fake_abi_violation("emit_signal: the first argument is not a StringName or String");
		r_error->error = 1;
		return;
	}
	const fake_signal_signature *signature = NULL;
	for (size_t i = 0; i < sizeof(fake_signatures) / sizeof(fake_signatures[0]); i++) {
		if (strcmp(fake_signatures[i].name, name) == 0) {
			signature = &fake_signatures[i];
		}
	}
	if (signature == NULL || signature->count != p_count - 1) {
		fake_abi_violation("emit_signal(%s) with %lld arguments: not a WebRTCPeerConnection signal", name, (long long)p_count - 1);
		return;
	}
	for (int i = 0; i < signature->count; i++) {
		if (args[i + 1]->type != signature->types[i]) {
			fake_abi_violation("emit_signal(%s): argument %d has type %d, not %d", name, i, (int)args[i + 1]->type,
					(int)signature->types[i]);
			return;
		}
	}
	fake_signal_count++;
	fake_interned *signal = fake_intern(name, strlen(name));
	uint64_t id = object->id;
	int count = object->connection_count;
	for (int i = 0; i < count; i++) {
		/* A handler may free the emitter (dropping its last reference): check it each time. */
		if (!fake_object_alive(id)) {
			break;
		}
		fake_connection connection = object->connections[i];
		if (connection.signal == signal) {
			connection.handler(connection.user, object, args + 1, (int)p_count - 1);
		}
	}
}

static void fake_get_library_path(gde_library p_library, void *r_path) {
	if (p_library != fake_library_token()) {
		fake_abi_violation("get_library_path: wrong library token");
	}
	const char *path = fake_options.library_path != NULL ? fake_options.library_path : "";
	fake_string_init(r_path, path, strlen(path));
}

/* ---- get_proc_address ---- */

typedef struct fake_function {
	const char *name;
	gde_interface_function function;
} fake_function;

#define FAKE_FUNCTION(p_name, p_function) { p_name, (gde_interface_function)(p_function) }

static const fake_function fake_functions[] = {
	FAKE_FUNCTION("get_godot_version", fake_get_godot_version),
	FAKE_FUNCTION("print_error", fake_print_error),
	FAKE_FUNCTION("print_warning", fake_print_warning),
	FAKE_FUNCTION("string_new_with_utf8_chars", fake_string_new_with_utf8_chars),
	FAKE_FUNCTION("string_new_with_utf8_chars_and_len", fake_string_new_with_utf8_chars_and_len),
	FAKE_FUNCTION("string_to_utf8_chars", fake_string_to_utf8_chars),
	FAKE_FUNCTION("variant_get_ptr_constructor", fake_variant_get_ptr_constructor),
	FAKE_FUNCTION("variant_get_ptr_destructor", fake_variant_get_ptr_destructor),
	FAKE_FUNCTION("get_variant_from_type_constructor", fake_get_variant_from_type_constructor),
	FAKE_FUNCTION("variant_new_nil", fake_variant_new_nil_fn),
	FAKE_FUNCTION("variant_new_copy", fake_variant_new_copy_fn),
	FAKE_FUNCTION("variant_destroy", fake_variant_destroy_fn),
	FAKE_FUNCTION("variant_get_type", fake_variant_get_type),
	FAKE_FUNCTION("variant_stringify", fake_variant_stringify),
	FAKE_FUNCTION("global_get_singleton", fake_global_get_singleton),
	FAKE_FUNCTION("classdb_construct_object", fake_classdb_construct_object),
	FAKE_FUNCTION("object_set_instance", fake_object_set_instance),
	FAKE_FUNCTION("classdb_register_extension_class", fake_classdb_register_extension_class),
	FAKE_FUNCTION("classdb_unregister_extension_class", fake_classdb_unregister_extension_class),
	FAKE_FUNCTION("classdb_register_extension_class_method", fake_classdb_register_extension_class_method),
	FAKE_FUNCTION("dictionary_operator_index", fake_dictionary_operator_index),
	FAKE_FUNCTION("classdb_get_method_bind", fake_classdb_get_method_bind),
	FAKE_FUNCTION("object_method_bind_ptrcall", fake_object_method_bind_ptrcall),
	FAKE_FUNCTION("object_method_bind_call", fake_object_method_bind_call),
	FAKE_FUNCTION("ref_set_object", fake_ref_set_object),
	FAKE_FUNCTION("ref_get_object", fake_ref_get_object),
	FAKE_FUNCTION("object_get_instance_id", fake_object_get_instance_id),
	FAKE_FUNCTION("object_get_instance_from_id", fake_object_get_instance_from_id),
	FAKE_FUNCTION("get_library_path", fake_get_library_path),
};

static char *fake_asked[FAKE_MAX_NAMES];
static int fake_asked_count;

static gde_interface_function fake_lookup(const char *p_name) {
	fake_report.names_asked++;
	if (fake_report.first_name_asked[0] == '\0') {
		snprintf(fake_report.first_name_asked, sizeof(fake_report.first_name_asked), "%s", p_name);
	}
	bool seen = false;
	for (int i = 0; i < fake_asked_count; i++) {
		seen = seen || strcmp(fake_asked[i], p_name) == 0;
	}
	if (!seen && fake_asked_count < FAKE_MAX_NAMES) {
		fake_asked[fake_asked_count++] = strdup(p_name);
	}
	bool in_4_1 = false;
	for (size_t i = 0; i < FAKE_INTERFACE_4_1_COUNT; i++) {
		in_4_1 = in_4_1 || strcmp(fake_interface_4_1[i], p_name) == 0;
	}
	if (!in_4_1) {
		/* What the engine prints for a name it lacks; on 4.1 that is everything newer. */
		fprintf(stderr, "    (engine) ERROR: Attempt to get non-existent interface function: '%s'.\n", p_name);
		fake_report.unknown_names++;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(fake_functions) / sizeof(fake_functions[0]); i++) {
		if (strcmp(fake_functions[i].name, p_name) == 0) {
			return fake_functions[i].function;
		}
	}
	fprintf(stderr, "    fake engine: %s exists in 4.1 but this fake does not implement it\n", p_name);
	fake_report.unimplemented_names++;
	return NULL;
}

gde_get_proc_address fake_get_proc_address(void) {
	return fake_lookup;
}

static int fake_library_object;

gde_library fake_library_token(void) {
	return &fake_library_object;
}

int fake_names_asked_count(void) {
	return fake_asked_count;
}

const char *fake_name_asked(int p_index) {
	return p_index >= 0 && p_index < fake_asked_count ? fake_asked[p_index] : NULL;
}

void fake_engine_reset(const fake_engine_options *p_options) {
	fake_options = *p_options;
	memset(&fake_report, 0, sizeof(fake_report));
	for (int i = 0; i < fake_asked_count; i++) {
		free(fake_asked[i]);
	}
	fake_asked_count = 0;
	fake_objects_reset();
}
