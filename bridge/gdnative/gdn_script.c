/* Object lifetime through NativeScript (docs/abi.md section 7; webrtc-native's
 * src/init_gdnative.cpp does the same). A bound WebRTC*GDNative object gives a library no
 * destructor hook, but a script instance does: we register two NativeScript classes whose
 * create callback allocates our state and binds the interface, and whose destroy callback
 * (run when the engine frees the object, i.e. when the last reference is dropped) unbinds,
 * closes and frees. Attaching one is: new NativeScript, set_library(our GDNativeLibrary),
 * set_class_name(class), then Object.set_script(script) on the engine object — the create
 * callback runs inside set_script.
 */
#include <pthread.h>
#include <string.h>

#include "gdn_shim.h"

static godot_class_constructor gdn_native_script_new;
static godot_method_bind *gdn_set_library_bind;
static godot_method_bind *gdn_set_class_name_bind;
static godot_method_bind *gdn_set_script_bind;

void gdn_script_register(void *p_handle) {
	godot_instance_create_func create = { gdn_peer_create, NULL, NULL };
	godot_instance_destroy_func destroy = { gdn_peer_destroy, NULL, NULL };
	gdn_g_api.nativescript_register_class(p_handle, GDN_PEER_CLASS, GDN_PEER_BASE, create, destroy);
	create.create_func = gdn_channel_create;
	destroy.destroy_func = gdn_channel_destroy;
	gdn_g_api.nativescript_register_class(p_handle, GDN_CHANNEL_CLASS, GDN_CHANNEL_BASE, create, destroy);
	gdn_stats_register(p_handle);
}

/* Looked up once, on first use (from any thread): some of these classes are registered
 * after our singleton(). */
static pthread_once_t gdn_script_once = PTHREAD_ONCE_INIT;

static void gdn_script_lookup_once(void) {
	gdn_native_script_new = gdn_g_api.get_class_constructor("NativeScript");
	gdn_set_library_bind = gdn_g_api.method_bind_get_method("NativeScript", "set_library");
	gdn_set_class_name_bind = gdn_g_api.method_bind_get_method("NativeScript", "set_class_name");
	gdn_set_script_bind = gdn_g_api.method_bind_get_method("Object", "set_script");
}

static bool gdn_script_lookup(void) {
	pthread_once(&gdn_script_once, gdn_script_lookup_once);
	return gdn_native_script_new != NULL && gdn_set_library_bind != NULL && gdn_set_class_name_bind != NULL &&
			gdn_set_script_bind != NULL;
}

bool gdn_script_attach(godot_object *p_object, const char *p_class) {
	if (!gdn_script_lookup()) {
		gdn_error("create", "the NativeScript class or its methods are missing: is the gdnative module enabled?");
		return false;
	}
	if (gdn_g.library == NULL) {
		gdn_error("create", "no GDNativeLibrary recorded at init");
		return false;
	}
	godot_object *script = gdn_native_script_new();
	if (script == NULL) {
		gdn_error("create", "cannot create a NativeScript");
		return false;
	}
	/* ptrcall argument conventions (Godot 3 core/method_ptrcall.h): a Ref<T> or RefPtr is
	 * passed as the object pointer, a String as a pointer to a godot_string. */
	const void *library_args[1] = { gdn_g.library };
	gdn_g_api.method_bind_ptrcall(gdn_set_library_bind, script, library_args, NULL);
	godot_string name = gdn_string_from(p_class, strlen(p_class));
	const void *name_args[1] = { &name };
	gdn_g_api.method_bind_ptrcall(gdn_set_class_name_bind, script, name_args, NULL);
	gdn_g_api.string_destroy(&name);
	/* The object takes the script's floating reference and owns it from here on. */
	const void *script_args[1] = { script };
	gdn_g_api.method_bind_ptrcall(gdn_set_script_bind, p_object, script_args, NULL);
	return true;
}
