/* The engine API table: every interface function the shim calls, fetched once by name in
 * gde_api_load (all exist in Godot 4.1), plus the method binds and constructors derived from
 * them, and the few helpers that turn engine values into C and back. Defined once, in
 * gde_api.c. Only the thread inside an API call uses it (docs/abi.md section 6). */
#ifndef GDE_API_H
#define GDE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "gde_abi.h"

typedef struct gde_api_table {
	gde_library library;
	gde_godot_version version;

	gde_fn_get_godot_version get_godot_version;
	gde_fn_print print_error;
	gde_fn_print print_warning;
	gde_fn_string_new_with_utf8_chars string_new_with_utf8_chars;
	gde_fn_string_new_with_utf8_chars_and_len string_new_with_utf8_chars_and_len;
	gde_fn_string_to_utf8_chars string_to_utf8_chars;
	gde_fn_variant_get_ptr_constructor variant_get_ptr_constructor;
	gde_fn_variant_get_ptr_destructor variant_get_ptr_destructor;
	gde_fn_get_variant_from_type_constructor get_variant_from_type_constructor;
	gde_fn_variant_destroy variant_destroy;
	gde_fn_classdb_construct_object classdb_construct_object;
	gde_fn_object_set_instance object_set_instance;
	gde_fn_classdb_register_extension_class classdb_register_extension_class;
	gde_fn_classdb_unregister_extension_class classdb_unregister_extension_class;
	gde_fn_classdb_get_method_bind classdb_get_method_bind;
	gde_fn_object_method_bind_ptrcall object_method_bind_ptrcall;
	gde_fn_object_method_bind_call object_method_bind_call;
	gde_fn_ref_set_object ref_set_object;
	gde_fn_object_get_instance_id object_get_instance_id;
	gde_fn_object_get_instance_from_id object_get_instance_from_id;
	gde_fn_get_library_path get_library_path;
	gde_fn_classdb_register_extension_class_method classdb_register_extension_class_method;
	gde_fn_dictionary_operator_index dictionary_operator_index;
	gde_fn_variant_new_copy variant_new_copy;
	gde_fn_variant_get_type variant_get_type;
	gde_fn_variant_stringify variant_stringify;
	gde_fn_global_get_singleton global_get_singleton;

	/* derived (gde_api_load) */
	gde_ptr_constructor string_name_from_string;
	gde_ptr_destructor string_destroy;
	gde_ptr_destructor string_name_destroy;
	gde_variant_from_type variant_from_int;
	gde_variant_from_type variant_from_string;
	gde_variant_from_type variant_from_string_name;
	gde_variant_from_type variant_from_object;
	gde_variant_from_type variant_from_dictionary;
	gde_variant_from_type variant_from_float;
	gde_ptr_constructor dictionary_new;
	gde_ptr_constructor dictionary_copy;
	gde_ptr_destructor dictionary_destroy;

	/* method binds (gde_api_bind_methods, at SCENE level) */
	gde_method_bind emit_signal;
	gde_method_bind json_stringify;
	gde_method_bind set_default_extension;
	gde_method_bind get_setting; /* ProjectSettings.get_setting; NULL (logged): no project setting is read */
} gde_api_table;

extern gde_api_table gde_api;

/* Fetch every interface function; false (with a line on stderr or through print_error)
 * when the engine is older than 4.1 or lacks one. */
bool gde_api_load(gde_get_proc_address p_get_proc_address, gde_library p_library);
/* Look up the method binds (their classes exist from SCENE level on). */
bool gde_api_bind_methods(void);

/* Godot's console: "ERROR: ..." / "WARNING: ...". */
void gde_print_error(const char *p_format, ...) __attribute__((format(printf, 1, 2)));
void gde_print_warning(const char *p_format, ...) __attribute__((format(printf, 1, 2)));

/* StringName from UTF-8 (on 4.1: through a temporary String). Destroy with gde_string_name_destroy. */
void gde_string_name_make(gde_string_name *r_name, const char *p_utf8);
void gde_string_name_destroy(gde_string_name *p_name);
/* String from UTF-8 with an explicit length, into uninitialized storage. */
void gde_string_make(void *r_string, const char *p_utf8, size_t p_length);
void gde_string_destroy(void *p_string);
/* A String's UTF-8 (malloc'd, NUL-terminated; *r_length without the NUL). NULL: out of memory. */
char *gde_string_to_utf8(const void *p_string, size_t *r_length);
/* JSON.stringify(dictionary, "", true, false) as malloc'd UTF-8. NULL on failure (logged). */
char *gde_dictionary_to_json(const void *p_dictionary, size_t *r_length);
/* Object.emit_signal(p_signal, p_args...) on p_object (at most 4 arguments); false if the call failed (logged). */
bool gde_emit_signal(gde_object p_object, const gde_string_name *p_signal, const gde_variant *p_args, int p_count);

#endif /* GDE_API_H */
