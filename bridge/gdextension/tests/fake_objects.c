/* The fake engine's objects: the two native classes the shim extends, ClassDB for
 * extension classes, RefCounted objects with the floating first reference, a lazy and cached
 * per-object get_virtual, signal connections, and the interface functions that act on them.
 * Misuse the real engine would crash on is counted (fake_abi_violation), never fatal. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_private.h"

fake_engine_report fake_report;
fake_engine_options fake_options;
int fake_level = -1;
int fake_signal_count;

void fake_abi_violation(const char *p_format, ...) {
	va_list args;
	va_start(args, p_format);
	fprintf(stderr, "    ABI VIOLATION: ");
	vfprintf(stderr, p_format, args);
	fprintf(stderr, "\n");
	va_end(args);
	fake_report.abi_violations++;
}

/* ---- the two native classes the shim extends (from the API dump) ---- */

#define FAKE_NAME(p_name, p_required) #p_name,
static const char *const fake_peer_virtuals[] = { GDE_PEER_VIRTUALS(FAKE_NAME) };
static const char *const fake_channel_virtuals[] = { GDE_CHANNEL_VIRTUALS(FAKE_NAME) };

static const fake_native fake_natives[] = {
	{ "WebRTCPeerConnectionExtension", fake_peer_virtuals, GDE_PEER_VIRTUAL_COUNT },
	{ "WebRTCDataChannelExtension", fake_channel_virtuals, GDE_CHANNEL_VIRTUAL_COUNT },
};

const fake_native *fake_native_find(const char *p_name) {
	for (size_t i = 0; i < sizeof(fake_natives) / sizeof(fake_natives[0]); i++) {
		if (strcmp(fake_natives[i].name, p_name) == 0) {
			return &fake_natives[i];
		}
	}
	return NULL;
}

static fake_class fake_classes[FAKE_MAX_CLASSES];
static int fake_class_total;
fake_interned *fake_default_extension_name;
static fake_object **fake_objects;
static int fake_object_count;
static int fake_object_capacity;
static uint64_t fake_next_id = 1000;

fake_object *fake_object_lookup(const void *p_pointer) {
	for (int i = 0; i < fake_object_count; i++) {
		if (fake_objects[i] == p_pointer) {
			return fake_objects[i];
		}
	}
	return NULL;
}

fake_object *fake_object_checked(const void *p_pointer, const char *p_where) {
	fake_object *object = fake_object_lookup(p_pointer);
	if (object == NULL) {
		fake_abi_violation("%s: %p is not a live object", p_where, p_pointer);
	}
	return object;
}

static void fake_object_free(fake_object *p_object) {
	for (int i = 0; i < fake_object_count; i++) {
		if (fake_objects[i] == p_object) {
			fake_objects[i] = fake_objects[--fake_object_count];
			break;
		}
	}
	/* predelete: the extension frees its instance (the object is half-destroyed). */
	if (p_object->extension != NULL && p_object->instance != NULL) {
		p_object->extension->frees++;
		p_object->extension->info.free_instance_func(p_object->extension->info.class_userdata, p_object->instance);
	}
	p_object->magic = 0;
	free(p_object);
}

void fake_object_take(fake_object *p_object) {
	if (p_object->floating) {
		p_object->floating = false;
	} else {
		p_object->refcount++;
	}
}

void fake_reference(fake_object *p_object) {
	fake_object_take(p_object);
}

void fake_unreference(fake_object *p_object) {
	if (fake_object_lookup(p_object) == NULL) {
		fake_abi_violation("unreference of a dead object %p", (void *)p_object);
		return;
	}
	if (--p_object->refcount == 0) {
		fake_object_free(p_object);
	}
}

int fake_refcount(const fake_object *p_object) {
	return p_object->refcount;
}

bool fake_is_floating(const fake_object *p_object) {
	return p_object->floating;
}

uint64_t fake_object_id(const fake_object *p_object) {
	return p_object->id;
}

bool fake_object_alive(uint64_t p_id) {
	for (int i = 0; i < fake_object_count; i++) {
		if (fake_objects[i]->id == p_id) {
			return true;
		}
	}
	return false;
}

const char *fake_object_class(const fake_object *p_object) {
	return p_object->extension != NULL ? fake_interned_text(p_object->extension->name) : p_object->native->name;
}

int fake_live_objects(void) {
	return fake_object_count;
}

static int fake_virtual_index(const fake_object *p_object, const char *p_name) {
	for (int i = 0; i < p_object->native->virtual_count; i++) {
		if (strcmp(p_object->native->virtuals[i], p_name) == 0) {
			return i;
		}
	}
	return -1;
}

int fake_virtual_asks(const fake_object *p_object, const char *p_name) {
	int index = fake_virtual_index(p_object, p_name);
	return index < 0 ? 0 : p_object->asks[index];
}

fake_class *fake_class_find(const char *p_name) {
	for (int i = 0; i < fake_class_total; i++) {
		if (fake_classes[i].registered && strcmp(fake_interned_text(fake_classes[i].name), p_name) == 0) {
			return &fake_classes[i];
		}
	}
	return NULL;
}

int fake_class_count(void) {
	int count = 0;
	for (int i = 0; i < fake_class_total; i++) {
		count += fake_classes[i].registered ? 1 : 0;
	}
	return count;
}

const char *fake_class_parent(const fake_class *p_class) {
	return p_class->parent->name;
}

int fake_class_registration_order(const fake_class *p_class) {
	return p_class->order;
}

const gde_class_creation_info *fake_class_info(const fake_class *p_class) {
	return &p_class->info;
}

int fake_class_frees(const fake_class *p_class) {
	return p_class->frees;
}

const char *fake_default_extension(void) {
	return fake_interned_text(fake_default_extension_name);
}

gde_call_virtual fake_class_get_virtual(const fake_class *p_class, const char *p_name) {
	gde_string_name name;
	fake_string_name_init(&name, p_name, strlen(p_name));
	gde_call_virtual call = p_class->info.get_virtual_func(p_class->info.class_userdata, &name);
	fake_string_name_destroy(&name);
	return call;
}

bool fake_call_virtual(fake_object *p_object, const char *p_name, const void *const *p_args, void *r_ret) {
	if (fake_object_checked(p_object, p_name) == NULL || p_object->extension == NULL) {
		return false;
	}
	int index = fake_virtual_index(p_object, p_name);
	if (index < 0) {
		fake_abi_violation("%s is not a virtual of %s", p_name, p_object->native->name);
		return false;
	}
	/* GDVIRTUAL: ask once per object, then use the cached answer. */
	if (!p_object->asked[index]) {
		p_object->asked[index] = true;
		p_object->asks[index]++;
		p_object->cache[index] = fake_class_get_virtual(p_object->extension, p_name);
	}
	gde_call_virtual call = p_object->cache[index];
	if (call == NULL) {
		fprintf(stderr, "    (engine) ERROR: Required virtual method %s::%s must be overridden before calling.\n",
				fake_object_class(p_object), p_name);
		fake_report.errors_printed++;
		return false;
	}
	call(p_object->instance, p_args, r_ret); /* may free p_object: not touched afterwards */
	return true;
}

static fake_object *fake_object_new(const fake_native *p_native) {
	fake_object *object = calloc(1, sizeof(*object));
	object->magic = FAKE_OBJECT_MAGIC;
	object->native = p_native;
	object->refcount = 1;
	object->floating = true;
	object->id = fake_next_id++;
	if (fake_object_count == fake_object_capacity) {
		fake_object_capacity = fake_object_capacity == 0 ? 64 : fake_object_capacity * 2;
		fake_objects = realloc(fake_objects, (size_t)fake_object_capacity * sizeof(*fake_objects));
	}
	fake_objects[fake_object_count++] = object;
	return object;
}

fake_object *fake_instantiate(const char *p_class) {
	fake_class *class_record = fake_class_find(p_class);
	if (class_record == NULL) {
		fake_abi_violation("instantiate: no class %s", p_class);
		return NULL;
	}
	gde_object made = class_record->info.create_instance_func(class_record->info.class_userdata);
	fake_object *object = fake_object_checked(made, "create_instance");
	if (object == NULL) {
		return NULL;
	}
	if (object->extension != class_record || object->instance == NULL) {
		fake_abi_violation("create_instance of %s returned an object without its instance", p_class);
	}
	if (!object->floating || object->refcount != 1) {
		fake_abi_violation("create_instance of %s returned an object someone already referenced", p_class);
	}
	fake_object_take(object); /* the script's Variant */
	return object;
}

fake_object *fake_new_webrtc_peer_connection(void) {
	if (fake_default_extension_name == NULL) {
		fprintf(stderr, "    (engine) ERROR: No default WebRTC extension configured.\n");
		fake_report.errors_printed++;
		return NULL;
	}
	return fake_instantiate(fake_interned_text(fake_default_extension_name));
}

void fake_connect(fake_object *p_object, const char *p_signal, fake_signal_handler p_handler, void *p_user) {
	if (p_object->connection_count == FAKE_MAX_CONNECTIONS) {
		fake_abi_violation("too many connections (a host bug)");
		return;
	}
	p_object->connections[p_object->connection_count++] =
			(fake_connection){ fake_intern(p_signal, strlen(p_signal)), p_handler, p_user };
}

int fake_signals_emitted(void) {
	return fake_signal_count;
}

void fake_set_level(int p_level) {
	fake_level = p_level;
}


/* ---- ClassDB (interface functions) ---- */

gde_object fake_classdb_construct_object(const gde_string_name *p_class) {
	const char *name = fake_string_name_text(p_class);
	const fake_native *native = fake_native_find(name);
	if (native == NULL) {
		fake_abi_violation("classdb_construct_object(%s): not a native class this fake knows", name);
		return NULL;
	}
	if (fake_level < GDE_INIT_LEVEL_SCENE) {
		fake_abi_violation("classdb_construct_object(%s) before SCENE level", name);
	}
	return fake_object_new(native);
}

void fake_object_set_instance(gde_object p_object, const gde_string_name *p_class, void *p_instance) {
	fake_object *object = fake_object_checked(p_object, "object_set_instance");
	fake_class *class_record = fake_class_find(fake_string_name_text(p_class));
	if (object == NULL) {
		return;
	}
	if (class_record == NULL) {
		fake_abi_violation("object_set_instance: class %s is not registered", fake_string_name_text(p_class));
		return;
	}
	if (class_record->parent != object->native) {
		fake_abi_violation("object_set_instance: %s does not extend %s", fake_string_name_text(p_class), object->native->name);
		return;
	}
	if (object->extension != NULL) {
		fake_abi_violation("object_set_instance: the object already has an instance");
		return;
	}
	object->extension = class_record;
	object->instance = p_instance;
}

void fake_classdb_register_extension_class(gde_library p_library, const gde_string_name *p_class,
		const gde_string_name *p_parent, const gde_class_creation_info *p_info) {
	const char *name = fake_string_name_text(p_class);
	const fake_native *parent = fake_native_find(fake_string_name_text(p_parent));
	if (p_library != fake_library_token()) {
		fake_abi_violation("register %s: wrong library token", name);
	}
	if (fake_level != GDE_INIT_LEVEL_SCENE) {
		fake_abi_violation("register %s at level %d: the webrtc classes exist from SCENE", name, fake_level);
	}
	if (parent == NULL) {
		fake_abi_violation("register %s: parent %s is not a class this fake knows", name, fake_string_name_text(p_parent));
		return;
	}
	if (fake_class_find(name) != NULL || fake_class_total == FAKE_MAX_CLASSES) {
		fake_abi_violation("register %s: already registered", name);
		return;
	}
	if (p_info->create_instance_func == NULL || p_info->free_instance_func == NULL || p_info->get_virtual_func == NULL) {
		fake_abi_violation("register %s: create_instance, free_instance and get_virtual are mandatory", name);
	}
	fake_class *class_record = &fake_classes[fake_class_total];
	class_record->name = fake_intern(name, strlen(name));
	class_record->parent = parent;
	class_record->info = *p_info; /* the caller may free its struct */
	class_record->order = fake_class_total;
	class_record->registered = true;
	class_record->frees = 0;
	class_record->method_count = 0;
	fake_class_total++;
}

void fake_classdb_unregister_extension_class(gde_library p_library, const gde_string_name *p_class) {
	fake_class *class_record = fake_class_find(fake_string_name_text(p_class));
	if (p_library != fake_library_token() || class_record == NULL) {
		fake_abi_violation("unregister %s: not registered by this library", fake_string_name_text(p_class));
		return;
	}
	for (int i = 0; i < fake_object_count; i++) {
		if (fake_objects[i]->extension == class_record) {
			fake_abi_violation("unregister %s while an object of it is alive", fake_string_name_text(p_class));
			break;
		}
	}
	class_record->registered = false;
}

void fake_ref_set_object(void *p_ref, gde_object p_object) {
	fake_object *old;
	memcpy(&old, p_ref, sizeof(old));
	fake_object *object = NULL;
	if (p_object != NULL) {
		object = fake_object_checked(p_object, "ref_set_object");
		if (object != NULL) {
			fake_object_take(object);
		}
	}
	memcpy(p_ref, &object, sizeof(object));
	if (old != NULL) {
		fake_unreference(old);
	}
}

gde_object fake_ref_get_object(const void *p_ref) {
	gde_object object;
	memcpy(&object, p_ref, sizeof(object));
	return object;
}

gde_instance_id fake_object_get_instance_id(gde_object p_object) {
	fake_object *object = fake_object_checked(p_object, "object_get_instance_id");
	return object != NULL ? object->id : 0u;
}

gde_object fake_object_get_instance_from_id(gde_instance_id p_id) {
	for (int i = 0; i < fake_object_count; i++) {
		if (fake_objects[i]->id == p_id) {
			return fake_objects[i];
		}
	}
	return NULL;
}


void fake_objects_reset(void) {
	memset(fake_classes, 0, sizeof(fake_classes));
	fake_class_total = 0;
	fake_default_extension_name = NULL;
	fake_level = -1;
	fake_signal_count = 0;
}
