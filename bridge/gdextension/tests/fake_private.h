/* What fake_objects.c (ClassDB, objects, references) and fake_interface.c (the interface
 * functions, method binds, get_proc_address) share. Not for the host. */
#ifndef FAKE_PRIVATE_H
#define FAKE_PRIVATE_H

#include "fake_engine.h"

#define FAKE_OBJECT_MAGIC 0x0b1ec7u
#define FAKE_MAX_VIRTUALS 32
#define FAKE_MAX_CONNECTIONS 8
#define FAKE_MAX_CLASSES 8
#define FAKE_MAX_NAMES 256

/* The values' insides (fake_values.c; read by fake_json.c). */
struct fake_string_data {
	int refcount;
	size_t length;
	char bytes[];
};

struct fake_interned {
	fake_interned *next;
	size_t length;
	char text[];
};

struct fake_dictionary {
	int refcount;
	int count;
	int capacity;
	fake_variant *keys;
	fake_variant *values;
};

struct fake_array {
	int refcount;
	int count;
	int capacity;
	fake_variant *items;
};

void *fake_alloc(size_t p_size); /* calloc or abort */
fake_dictionary *fake_dictionary_new(void); /* refcount 1, not counted as a slot */
fake_array *fake_array_new(void);
/* Take ownership of the Variants (they stay counted live until the container goes). */
void fake_dictionary_put(fake_dictionary *p_dictionary, fake_variant *p_key, fake_variant *p_value);
void fake_array_push(fake_array *p_array, fake_variant *p_item);

typedef struct fake_native {
	const char *name;
	const char *const *virtuals;
	int virtual_count;
} fake_native;

#define FAKE_MAX_METHODS 4

/* A method an extension class registered (classdb_register_extension_class_method). */
typedef struct fake_method {
	fake_interned *name;
	gde_class_method_info info; /* its pointers to names are not kept: the engine copies them */
	int32_t return_type;
	uint32_t return_usage;
} fake_method;

struct fake_class {
	fake_interned *name;
	const fake_native *parent;
	gde_class_creation_info info;
	int order;
	bool registered;
	int frees;
	fake_method methods[FAKE_MAX_METHODS];
	int method_count;
};

typedef struct fake_connection {
	fake_interned *signal;
	fake_signal_handler handler;
	void *user;
} fake_connection;

struct fake_object {
	uint32_t magic;
	const fake_native *native;
	fake_class *extension;
	void *instance;
	int refcount;
	bool floating; /* the RefCounted "init" reference nobody took yet */
	uint64_t id;
	bool asked[FAKE_MAX_VIRTUALS];
	int asks[FAKE_MAX_VIRTUALS];
	gde_call_virtual cache[FAKE_MAX_VIRTUALS];
	fake_connection connections[FAKE_MAX_CONNECTIONS];
	int connection_count;
};

extern fake_engine_options fake_options;
extern int fake_level;
extern int fake_signal_count;
extern fake_interned *fake_default_extension_name;

const fake_native *fake_native_find(const char *p_name);
fake_object *fake_object_lookup(const void *p_pointer);
fake_object *fake_object_checked(const void *p_pointer, const char *p_where);
/* A Variant or Ref takes a reference: the first one takes the floating reference. */
void fake_object_take(fake_object *p_object);
void fake_objects_reset(void);

/* Interface functions implemented with the objects (fake_objects.c). */
gde_object fake_classdb_construct_object(const gde_string_name *p_class);
void fake_object_set_instance(gde_object p_object, const gde_string_name *p_class, void *p_instance);
void fake_classdb_register_extension_class(gde_library p_library, const gde_string_name *p_class,
		const gde_string_name *p_parent, const gde_class_creation_info *p_info);
void fake_classdb_unregister_extension_class(gde_library p_library, const gde_string_name *p_class);
void fake_ref_set_object(void *p_ref, gde_object p_object);
gde_object fake_ref_get_object(const void *p_ref);
/* fake_methods.c */
void fake_classdb_register_extension_class_method(gde_library p_library, const gde_string_name *p_class,
		const gde_class_method_info *p_info);
gde_variant *fake_dictionary_operator_index(void *p_self, const gde_variant *p_key);
gde_instance_id fake_object_get_instance_id(gde_object p_object);
gde_object fake_object_get_instance_from_id(gde_instance_id p_id);

#endif /* FAKE_PRIVATE_H */
