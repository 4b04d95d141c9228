/* The engine API table: every function the shim calls, fetched once from the init options
 * by the offsets in gdn_godot.h. memcpy out of the struct keeps the conversion from bytes to
 * a function pointer well-defined (no object-to-function pointer cast). */
#include <string.h>

#include "gdn_shim.h"

gdn_api gdn_g_api;

#define GDN_FETCH(p_struct, p_offset, r_field) memcpy(&(r_field), (const char *)(p_struct) + (p_offset), sizeof(r_field))

static const godot_gdnative_api_struct *gdn_find_extension(const godot_gdnative_core_api_head *p_core, unsigned int p_type,
		unsigned int p_major, unsigned int p_minor) {
	for (unsigned int i = 0; i < p_core->num_extensions; i++) {
		const godot_gdnative_api_struct *ext = p_core->extensions[i];
		if (ext == NULL || ext->type != p_type) {
			continue;
		}
		/* Each version's struct is linked from the previous one through next. */
		for (; ext != NULL; ext = ext->next) {
			if (ext->version.major == p_major && ext->version.minor == p_minor) {
				return ext;
			}
		}
	}
	return NULL;
}

bool gdn_api_load(const godot_gdnative_core_api_head *p_core, const char **r_missing) {
	gdn_api *a = &gdn_g_api;
	GDN_FETCH(p_core, GDN_OFFSET_DICTIONARY_TO_JSON, a->dictionary_to_json);
	GDN_FETCH(p_core, GDN_OFFSET_DICTIONARY_NEW, a->dictionary_new);
	GDN_FETCH(p_core, GDN_OFFSET_DICTIONARY_DESTROY, a->dictionary_destroy);
	GDN_FETCH(p_core, GDN_OFFSET_DICTIONARY_SET, a->dictionary_set);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_NEW_REAL, a->variant_new_real);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_NEW_DICTIONARY, a->variant_new_dictionary);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_NEW_INT, a->variant_new_int);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_NEW_STRING, a->variant_new_string);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_NEW_OBJECT, a->variant_new_object);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_DESTROY, a->variant_destroy);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_GET_TYPE, a->variant_get_type);
	GDN_FETCH(p_core, GDN_OFFSET_VARIANT_AS_STRING, a->variant_as_string);
	GDN_FETCH(p_core, GDN_OFFSET_GLOBAL_GET_SINGLETON, a->global_get_singleton);
	GDN_FETCH(p_core, GDN_OFFSET_CHAR_STRING_LENGTH, a->char_string_length);
	GDN_FETCH(p_core, GDN_OFFSET_CHAR_STRING_GET_DATA, a->char_string_get_data);
	GDN_FETCH(p_core, GDN_OFFSET_CHAR_STRING_DESTROY, a->char_string_destroy);
	GDN_FETCH(p_core, GDN_OFFSET_STRING_NEW, a->string_new);
	GDN_FETCH(p_core, GDN_OFFSET_STRING_UTF8, a->string_utf8);
	GDN_FETCH(p_core, GDN_OFFSET_STRING_CHARS_TO_UTF8_WITH_LEN, a->string_chars_to_utf8_with_len);
	GDN_FETCH(p_core, GDN_OFFSET_STRING_DESTROY, a->string_destroy);
	GDN_FETCH(p_core, GDN_OFFSET_METHOD_BIND_GET_METHOD, a->method_bind_get_method);
	GDN_FETCH(p_core, GDN_OFFSET_METHOD_BIND_PTRCALL, a->method_bind_ptrcall);
	GDN_FETCH(p_core, GDN_OFFSET_METHOD_BIND_CALL, a->method_bind_call);
	GDN_FETCH(p_core, GDN_OFFSET_GET_CLASS_CONSTRUCTOR, a->get_class_constructor);
	GDN_FETCH(p_core, GDN_OFFSET_PRINT_ERROR, a->print_error);
	GDN_FETCH(p_core, GDN_OFFSET_PRINT_WARNING, a->print_warning);
	GDN_FETCH(p_core, GDN_OFFSET_PRINT, a->print);

	const godot_gdnative_api_struct *script = gdn_find_extension(p_core, GDN_API_TYPE_NATIVESCRIPT, 1, 0);
	if (script == NULL) {
		*r_missing = "the NativeScript 1.0 API";
		return false;
	}
	GDN_FETCH(script, GDN_OFFSET_NATIVESCRIPT_REGISTER_CLASS, a->nativescript_register_class);
	GDN_FETCH(script, GDN_OFFSET_NATIVESCRIPT_REGISTER_METHOD, a->nativescript_register_method);

	/* WebRTC arrived with NET 3.2 (net/godot_webrtc.h): set_webrtc_library and the binds. */
	const godot_gdnative_api_struct *net = gdn_find_extension(p_core, GDN_API_TYPE_NET, 3, 2);
	if (net == NULL) {
		*r_missing = "the NET 3.2 API (WebRTC; Godot 3.2 or newer)";
		return false;
	}
	GDN_FETCH(net, GDN_OFFSET_NET_SET_WEBRTC_LIBRARY, a->net_set_webrtc_library);
	GDN_FETCH(net, GDN_OFFSET_NET_BIND_WEBRTC_PEER_CONNECTION, a->net_bind_webrtc_peer_connection);
	GDN_FETCH(net, GDN_OFFSET_NET_BIND_WEBRTC_DATA_CHANNEL, a->net_bind_webrtc_data_channel);
	return true;
}
