/* A tiny fake of the Godot 4 engine, just enough of its GDExtension ABI to load the shim
 * through its real entry point and drive it the way the engine does: interned StringNames,
 * refcounted Strings, 24-byte Variants, Dictionaries and Arrays, RefCounted objects with
 * the floating first reference, ClassDB for extension classes, per-object lazy get_virtual,
 * four method binds (set_default_extension, JSON.stringify, emit_signal, and
 * ProjectSettings.get_setting on the one singleton it has) with hash checks,
 * and signal connections. Sizes and numbers come from gde_api_dump.h (the API dump). */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../gde_abi.h"

/* ---- values (fake_values.c) ---- */

typedef struct fake_string_data fake_string_data; /* a String slot holds one pointer (NULL: "") */
typedef struct fake_interned fake_interned; /* a StringName slot holds one pointer (NULL: empty) */
typedef struct fake_dictionary fake_dictionary; /* a Dictionary slot holds one pointer */
typedef struct fake_array fake_array;
typedef struct fake_object fake_object;

typedef struct fake_variant {
	int32_t type; /* GDE_VARIANT_TYPE_* */
	int32_t padding;
	union {
		uint8_t boolean;
		int64_t integer;
		double real;
		fake_string_data *string;
		fake_interned *string_name;
		fake_object *object;
		fake_dictionary *dictionary;
		fake_array *array;
	} value;
	uint64_t reserved;
} fake_variant;
_Static_assert(sizeof(fake_variant) == GDE_SIZE_VARIANT, "the engine's Variant size");

/* Live counts: every construction minus every destruction (leak checks). */
typedef struct fake_counts {
	int64_t strings;
	int64_t string_names;
	int64_t variants;
	int64_t dictionaries;
	int64_t arrays;
} fake_counts;
extern fake_counts fake_live;

/* Strings: slots of one pointer, as the engine's are. */
void fake_string_init(void *r_slot, const char *p_utf8, size_t p_length);
void fake_string_copy(void *r_slot, const void *p_from);
void fake_string_destroy(void *p_slot);
const char *fake_string_text(const void *p_slot, size_t *r_length); /* NUL-terminated */
void fake_string_name_init(void *r_slot, const char *p_utf8, size_t p_length);
void fake_string_name_destroy(void *p_slot);
const char *fake_string_name_text(const void *p_slot);
fake_interned *fake_intern(const char *p_utf8, size_t p_length);
const char *fake_interned_text(const fake_interned *p_name);

void fake_dictionary_init(void *r_slot);
void fake_dictionary_copy(void *r_slot, const void *p_from);
void fake_dictionary_destroy(void *p_slot);
void fake_array_init(void *r_slot);
void fake_array_destroy(void *p_slot);

void fake_variant_nil(fake_variant *r_variant);
void fake_variant_copy(fake_variant *r_variant, const fake_variant *p_from);
void fake_variant_destroy(fake_variant *p_variant);
void fake_variant_from_int(fake_variant *r_variant, int64_t p_value);
void fake_variant_from_string(fake_variant *r_variant, const char *p_utf8, size_t p_length);

/* A Dictionary (in a fresh slot) from JSON text; false on a syntax error. */
bool fake_dictionary_from_json(void *r_slot, const char *p_json);
/* JSON.stringify(p_value, "", sort_keys, false) as the engine writes it, malloc'd. */
char *fake_json_stringify(const fake_variant *p_value, bool p_sort_keys);

/* ---- the engine (fake_engine.c) ---- */

typedef struct fake_class fake_class;

typedef void (*fake_signal_handler)(void *p_user, fake_object *p_emitter, const fake_variant *const *p_args, int p_count);

typedef struct fake_engine_options {
	uint32_t major;
	uint32_t minor;
	const char *library_path; /* what get_library_path answers */
	const char *log_level_setting; /* ProjectSettings' webrtc_ts/log_level (a String); NULL: absent */
} fake_engine_options;

/* Failures the engine would print or the ABI forbids; the host turns them into checks. */
typedef struct fake_engine_report {
	int unknown_names; /* asked for a name 4.1 does not have */
	int unimplemented_names; /* asked for a 4.1 name this fake does not answer */
	int abi_violations; /* misuse the real engine would crash on or reject */
	int errors_printed; /* print_error calls */
	int warnings_printed;
	char last_error[1024];
	char first_name_asked[64];
	int names_asked;
	int get_setting_calls; /* ProjectSettings.get_setting("webrtc_ts/log_level") */
} fake_engine_report;
extern fake_engine_report fake_report;

/* Reset the engine (fresh ClassDB, no objects) for a library load. */
void fake_engine_reset(const fake_engine_options *p_options);
/* The initialization level the engine is at (classes of the webrtc module exist from SCENE). */
void fake_set_level(int p_level);
gde_get_proc_address fake_get_proc_address(void);
gde_library fake_library_token(void);
/* Every distinct name asked so far (p_index < count), in first-asked order. */
int fake_names_asked_count(void);
const char *fake_name_asked(int p_index);
void fake_abi_violation(const char *p_format, ...) __attribute__((format(printf, 1, 2)));

/* ClassDB */
fake_class *fake_class_find(const char *p_name);
int fake_class_count(void);
const char *fake_class_parent(const fake_class *p_class);
int fake_class_registration_order(const fake_class *p_class);
const gde_class_creation_info *fake_class_info(const fake_class *p_class);
const char *fake_default_extension(void); /* "" when not set */
int fake_class_frees(const fake_class *p_class); /* free_instance calls so far */

/* Objects, as GDScript holds them. */
fake_object *fake_instantiate(const char *p_class); /* ClassDB::instantiate: create_instance, then wrapped */
fake_object *fake_new_webrtc_peer_connection(void); /* WebRTCPeerConnection.new() via the default extension */
void fake_reference(fake_object *p_object); /* another owner (Ref/Variant) */
void fake_unreference(fake_object *p_object); /* an owner let go; the last one frees */
int fake_refcount(const fake_object *p_object);
bool fake_is_floating(const fake_object *p_object);
bool fake_object_alive(uint64_t p_id);
uint64_t fake_object_id(const fake_object *p_object);
const char *fake_object_class(const fake_object *p_object); /* the extension class, or the native one */
int fake_live_objects(void);
/* get_virtual calls for this object and name (the engine asks once, then caches). */
int fake_virtual_asks(const fake_object *p_object, const char *p_name);

/* Call a virtual with the engine's ptrcall conventions: false if the class gave no
 * function (the engine prints "Required virtual method ... must be overridden"). The object
 * may be freed by the call (a handler dropped it): nothing touches it afterwards. */
bool fake_call_virtual(fake_object *p_object, const char *p_name, const void *const *p_args, void *r_ret);
/* Ask a class's get_virtual directly (what the engine does on first use). */
gde_call_virtual fake_class_get_virtual(const fake_class *p_class, const char *p_name);

/* Methods of extension classes (fake_methods.c): Object.call(name) as GDScript makes it on an
 * untyped variable (call_func, r_ret a NIL Variant to fill), and the ptrcall a typed call
 * makes (r_ret a constructed value of the return type). false when the object's class
 * registered no such method (the engine's CallError INVALID_METHOD). */
bool fake_call_method(fake_object *p_object, const char *p_name, const fake_variant *const *p_args, int p_count,
		fake_variant *r_ret, gde_call_error *r_error);
bool fake_ptrcall_method(fake_object *p_object, const char *p_name, void *r_ret);
/* The registered method's declared return type and usage; -1 when there is none. */
int32_t fake_method_return_type(const fake_class *p_class, const char *p_name);
/* A Dictionary Variant's value for a String key; NULL when missing (or not a Dictionary). */
const fake_variant *fake_dictionary_get(const fake_variant *p_dictionary, const char *p_key);
int fake_dictionary_size(const fake_variant *p_dictionary);

/* Signals */
void fake_connect(fake_object *p_object, const char *p_signal, fake_signal_handler p_handler, void *p_user);
int fake_signals_emitted(void);

#endif /* FAKE_ENGINE_H */
