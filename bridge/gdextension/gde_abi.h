/* The GDExtension C ABI as the shim uses it: our own declarations of the 4.1 interface
 * (no engine header is included or copied). Facts: docs/abi.md
 * sections 1-5 (runtime-checked on 4.6-dev); numbers that the engine's API dump holds come
 * from gde_api_dump.h, generated from that dump.
 *
 * Only the v1 class creation struct and interface functions that exist in Godot 4.1 are
 * declared here: the shim loads in 4.1 through 4.6. */
#ifndef GDE_ABI_H
#define GDE_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "gde_api_dump.h"

/* Opaque engine values, sized from the API dump (float_64), 8-byte aligned. */
typedef struct gde_string {
	_Alignas(8) uint8_t opaque[GDE_SIZE_STRING];
} gde_string;
typedef struct gde_string_name {
	_Alignas(8) uint8_t opaque[GDE_SIZE_STRING_NAME];
} gde_string_name;
typedef struct gde_dictionary {
	_Alignas(8) uint8_t opaque[GDE_SIZE_DICTIONARY];
} gde_dictionary;
typedef struct gde_variant {
	_Alignas(8) uint8_t opaque[GDE_SIZE_VARIANT];
} gde_variant;

_Static_assert(sizeof(gde_string) == 8 && sizeof(gde_string_name) == 8, "String and StringName are one pointer");
_Static_assert(sizeof(gde_variant) == 24, "float_64 Variant");
_Static_assert(sizeof(void *) == GDE_SIZE_OBJECT, "Object* is a pointer");

typedef void *gde_object; /* GDExtensionObjectPtr */
typedef void *gde_method_bind; /* GDExtensionMethodBindPtr */
typedef void *gde_library; /* GDExtensionClassLibraryPtr: the token given to the entry */
typedef uint64_t gde_instance_id; /* GDObjectInstanceID */
typedef uint8_t gde_bool; /* GDExtensionBool */
typedef int64_t gde_int; /* GDExtensionInt */

/* ---- entry point (docs/abi.md section 1) ---- */

typedef enum gde_init_level {
	GDE_INIT_LEVEL_CORE = 0,
	GDE_INIT_LEVEL_SERVERS = 1,
	GDE_INIT_LEVEL_SCENE = 2,
	GDE_INIT_LEVEL_EDITOR = 3,
} gde_init_level;

typedef void (*gde_interface_function)(void);
typedef gde_interface_function (*gde_get_proc_address)(const char *p_name);

typedef struct gde_initialization {
	int32_t minimum_initialization_level; /* gde_init_level */
	void *userdata;
	void (*initialize)(void *p_userdata, int32_t p_level);
	void (*deinitialize)(void *p_userdata, int32_t p_level);
} gde_initialization;

typedef gde_bool (*gde_entry_function)(gde_get_proc_address p_get_proc_address, gde_library p_library,
		gde_initialization *r_initialization);

/* ---- classes (docs/abi.md section 3) ---- */

/* A virtual: p_args[i] points at the engine-encoded argument; r_ret NULL for void. */
typedef void (*gde_call_virtual)(void *p_instance, const void *const *p_args, void *r_ret);

/* GDExtensionClassCreationInfo, version 1 (4.1). Every function field we leave NULL is
 * declared as a plain function pointer of the right size. */
typedef void (*gde_unused_function)(void);
typedef struct gde_class_creation_info {
	gde_bool is_virtual;
	gde_bool is_abstract;
	gde_unused_function set_func;
	gde_unused_function get_func;
	gde_unused_function get_property_list_func;
	gde_unused_function free_property_list_func;
	gde_unused_function property_can_revert_func;
	gde_unused_function property_get_revert_func;
	gde_unused_function notification_func;
	gde_unused_function to_string_func;
	gde_unused_function reference_func;
	gde_unused_function unreference_func;
	gde_object (*create_instance_func)(void *p_class_userdata);
	void (*free_instance_func)(void *p_class_userdata, void *p_instance);
	gde_call_virtual (*get_virtual_func)(void *p_class_userdata, const gde_string_name *p_name);
	gde_unused_function get_rid_func;
	void *class_userdata;
} gde_class_creation_info;

_Static_assert(sizeof(gde_class_creation_info) == 8 + 15 * sizeof(void *), "v1: two bools, padding, 14 functions, userdata");
_Static_assert(offsetof(gde_class_creation_info, set_func) == 8, "v1: the bools share the first 8 bytes");
_Static_assert(offsetof(gde_class_creation_info, create_instance_func) == 8 + 10 * sizeof(void *), "v1 field 13");
_Static_assert(offsetof(gde_class_creation_info, class_userdata) == 8 + 14 * sizeof(void *), "v1 field 17");

typedef struct gde_godot_version {
	uint32_t major;
	uint32_t minor;
	uint32_t patch;
	const char *string;
} gde_godot_version;

typedef struct gde_call_error {
	int32_t error; /* 0: OK */
	int32_t argument;
	int32_t expected;
} gde_call_error;

/* ---- interface functions (docs/abi.md section 2; every one exists in 4.1) ---- */

typedef void (*gde_fn_get_godot_version)(gde_godot_version *r_version);
typedef void (*gde_fn_print)(const char *p_description, const char *p_function, const char *p_file, int32_t p_line,
		gde_bool p_editor_notify);
typedef void (*gde_fn_string_new_with_utf8_chars)(void *r_dest, const char *p_contents);
typedef void (*gde_fn_string_new_with_utf8_chars_and_len)(void *r_dest, const char *p_contents, gde_int p_size);
typedef gde_int (*gde_fn_string_to_utf8_chars)(const void *p_self, char *r_text, gde_int p_max_write_length);
typedef void (*gde_ptr_constructor)(void *r_base, const void *const *p_args);
typedef void (*gde_ptr_destructor)(void *p_base);
typedef gde_ptr_constructor (*gde_fn_variant_get_ptr_constructor)(int32_t p_type, int32_t p_constructor);
typedef gde_ptr_destructor (*gde_fn_variant_get_ptr_destructor)(int32_t p_type);
typedef void (*gde_variant_from_type)(void *r_variant, void *p_value);
typedef gde_variant_from_type (*gde_fn_get_variant_from_type_constructor)(int32_t p_type);
typedef void (*gde_fn_variant_destroy)(void *p_self);
typedef int32_t (*gde_fn_variant_get_type)(const void *p_self);
typedef void (*gde_fn_variant_stringify)(const void *p_self, void *r_string); /* r_string: an uninitialized String */
typedef gde_object (*gde_fn_global_get_singleton)(const gde_string_name *p_name);
typedef gde_object (*gde_fn_classdb_construct_object)(const gde_string_name *p_class);
typedef void (*gde_fn_object_set_instance)(gde_object p_object, const gde_string_name *p_class, void *p_instance);
typedef void (*gde_fn_classdb_register_extension_class)(gde_library p_library, const gde_string_name *p_class,
		const gde_string_name *p_parent, const gde_class_creation_info *p_info);
typedef void (*gde_fn_classdb_unregister_extension_class)(gde_library p_library, const gde_string_name *p_class);
typedef gde_method_bind (*gde_fn_classdb_get_method_bind)(const gde_string_name *p_class, const gde_string_name *p_method,
		gde_int p_hash);
typedef void (*gde_fn_object_method_bind_ptrcall)(gde_method_bind p_bind, gde_object p_instance, const void *const *p_args,
		void *r_ret);
typedef void (*gde_fn_object_method_bind_call)(gde_method_bind p_bind, gde_object p_instance,
		const gde_variant *const *p_args, gde_int p_argument_count, gde_variant *r_ret, gde_call_error *r_error);
typedef void (*gde_fn_ref_set_object)(void *p_ref, gde_object p_object);
typedef gde_instance_id (*gde_fn_object_get_instance_id)(gde_object p_object);
typedef gde_object (*gde_fn_object_get_instance_from_id)(gde_instance_id p_id);
typedef void (*gde_fn_get_library_path)(gde_library p_library, void *r_path);

/* ---- methods of our own classes (get_stats; docs/abi.md section 3.5) ---- */

/* GDExtensionPropertyInfo: every pointer must name a live value while the registration call
 * runs (the engine copies them). */
typedef struct gde_property_info {
	int32_t type; /* GDE_VARIANT_TYPE_* */
	gde_string_name *name;
	gde_string_name *class_name;
	uint32_t hint;
	gde_string *hint_string;
	uint32_t usage;
} gde_property_info;

/* A call through a Variant (the engine's r_return is a NIL Variant) and a ptrcall (r_ret
 * points at a constructed value of the return type). */
typedef void (*gde_method_call)(void *p_method_userdata, void *p_instance, const gde_variant *const *p_args,
		gde_int p_argument_count, gde_variant *r_return, gde_call_error *r_error);
typedef void (*gde_method_ptrcall)(void *p_method_userdata, void *p_instance, const void *const *p_args, void *r_ret);

/* GDExtensionClassMethodInfo (4.1). */
typedef struct gde_class_method_info {
	gde_string_name *name;
	void *method_userdata;
	gde_method_call call_func;
	gde_method_ptrcall ptrcall_func;
	uint32_t method_flags;
	gde_bool has_return_value;
	gde_property_info *return_value_info;
	int32_t return_value_metadata;
	uint32_t argument_count;
	gde_property_info *arguments_info;
	int32_t *arguments_metadata;
	uint32_t default_argument_count;
	gde_variant **default_arguments;
} gde_class_method_info;

_Static_assert(sizeof(gde_property_info) == 48, "GDExtensionPropertyInfo: 48 bytes on LP64");
_Static_assert(offsetof(gde_class_method_info, method_flags) == 32 && offsetof(gde_class_method_info, return_value_info) == 40 &&
				offsetof(gde_class_method_info, argument_count) == 52 && sizeof(gde_class_method_info) == 88,
		"GDExtensionClassMethodInfo (4.1) layout on LP64");

/* API dump, global enum MethodFlags: METHOD_FLAGS_DEFAULT (= METHOD_FLAG_NORMAL). */
#define GDE_METHOD_FLAGS_DEFAULT 1u
/* API dump, global enum PropertyUsageFlags: PROPERTY_USAGE_DEFAULT (storage | editor). */
#define GDE_PROPERTY_USAGE_DEFAULT 6u
/* GDExtensionClassMethodArgumentMetadata: NONE. */
#define GDE_METHOD_ARGUMENT_METADATA_NONE 0
/* GDExtensionCallErrorType: TOO_MANY_ARGUMENTS. */
#define GDE_CALL_ERROR_TOO_MANY_ARGUMENTS 3
/* Dictionary's constructor 1 copies (docs/abi.md section 4). */
#define GDE_CONSTRUCTOR_DICTIONARY_COPY 1

typedef void (*gde_fn_classdb_register_extension_class_method)(gde_library p_library, const gde_string_name *p_class,
		const gde_class_method_info *p_info);
/* The value slot of p_key in the Dictionary, inserted (NIL) when missing. */
typedef gde_variant *(*gde_fn_dictionary_operator_index)(void *p_self, const gde_variant *p_key);
typedef void (*gde_fn_variant_new_copy)(gde_variant *r_dest, const gde_variant *p_src);

#endif /* GDE_ABI_H */
