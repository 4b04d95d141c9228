/* gdn_godot.h against the engine's own headers (godotengine/godot-headers at
 * godot-3.2.3-stable): every offset and size the shim relies on. Build and run with
 * `make -C bridge/gdnative abi-check GODOT_HEADERS=<dir>`. Prints "N passed, N failed". */
#include <stddef.h>
#include <stdio.h>

#include <gdnative_api_struct.gen.h>

static int passed, failed;

static void expect(const char *p_what, size_t p_ours, size_t p_engine) {
	if (p_ours == p_engine) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s: ours %zu, engine %zu\n", p_what, p_ours, p_engine);
	}
}

/* Our constants, restated without including gdn_godot.h (its type names are the engine's). */
enum {
	OURS_DICTIONARY_TO_JSON = 3080, OURS_VARIANT_NEW_INT = 4136, OURS_VARIANT_NEW_STRING = 4152,
	OURS_VARIANT_NEW_OBJECT = 4256, OURS_VARIANT_DESTROY = 4600, OURS_CHAR_STRING_LENGTH = 4608,
	OURS_CHAR_STRING_GET_DATA = 4616, OURS_CHAR_STRING_DESTROY = 4624, OURS_STRING_NEW = 4632,
	OURS_STRING_UTF8 = 5464, OURS_STRING_CHARS_TO_UTF8_WITH_LEN = 5496, OURS_STRING_DESTROY = 5808,
	OURS_METHOD_BIND_GET_METHOD = 5896, OURS_METHOD_BIND_PTRCALL = 5904, OURS_METHOD_BIND_CALL = 5912,
	OURS_GET_CLASS_CONSTRUCTOR = 5920, OURS_PRINT_ERROR = 5968, OURS_PRINT_WARNING = 5976, OURS_PRINT = 5984,
	OURS_DICTIONARY_NEW = 2936, OURS_DICTIONARY_DESTROY = 2952, OURS_DICTIONARY_SET = 3040, OURS_VARIANT_NEW_REAL = 4144,
	OURS_VARIANT_NEW_DICTIONARY = 4264, OURS_VARIANT_GET_TYPE = 4096, OURS_VARIANT_AS_STRING = 4368,
	OURS_GLOBAL_GET_SINGLETON = 5888,
};

#define CORE(field, ours) expect(#field, ours, offsetof(godot_gdnative_core_api_struct, field))

int main(void) {
	CORE(godot_dictionary_to_json, OURS_DICTIONARY_TO_JSON);
	CORE(godot_variant_new_int, OURS_VARIANT_NEW_INT);
	CORE(godot_variant_get_type, OURS_VARIANT_GET_TYPE);
	CORE(godot_variant_as_string, OURS_VARIANT_AS_STRING);
	CORE(godot_global_get_singleton, OURS_GLOBAL_GET_SINGLETON);
	CORE(godot_variant_new_string, OURS_VARIANT_NEW_STRING);
	CORE(godot_variant_new_object, OURS_VARIANT_NEW_OBJECT);
	CORE(godot_variant_destroy, OURS_VARIANT_DESTROY);
	CORE(godot_char_string_length, OURS_CHAR_STRING_LENGTH);
	CORE(godot_char_string_get_data, OURS_CHAR_STRING_GET_DATA);
	CORE(godot_char_string_destroy, OURS_CHAR_STRING_DESTROY);
	CORE(godot_string_new, OURS_STRING_NEW);
	CORE(godot_string_utf8, OURS_STRING_UTF8);
	CORE(godot_string_chars_to_utf8_with_len, OURS_STRING_CHARS_TO_UTF8_WITH_LEN);
	CORE(godot_string_destroy, OURS_STRING_DESTROY);
	CORE(godot_method_bind_get_method, OURS_METHOD_BIND_GET_METHOD);
	CORE(godot_method_bind_ptrcall, OURS_METHOD_BIND_PTRCALL);
	CORE(godot_method_bind_call, OURS_METHOD_BIND_CALL);
	CORE(godot_get_class_constructor, OURS_GET_CLASS_CONSTRUCTOR);
	CORE(godot_print_error, OURS_PRINT_ERROR);
	CORE(godot_print_warning, OURS_PRINT_WARNING);
	CORE(godot_print, OURS_PRINT);
	CORE(godot_dictionary_new, OURS_DICTIONARY_NEW);
	CORE(godot_dictionary_destroy, OURS_DICTIONARY_DESTROY);
	CORE(godot_dictionary_set, OURS_DICTIONARY_SET);
	CORE(godot_variant_new_real, OURS_VARIANT_NEW_REAL);
	CORE(godot_variant_new_dictionary, OURS_VARIANT_NEW_DICTIONARY);
	expect("nativescript register_method", 40,
			offsetof(godot_gdnative_ext_nativescript_api_struct, godot_nativescript_register_method));
	expect("instance_method size", 24, sizeof(godot_instance_method));
	expect("method_attributes size", 4, sizeof(godot_method_attributes));
	expect("core num_extensions", 24, offsetof(godot_gdnative_core_api_struct, num_extensions));
	expect("core extensions", 32, offsetof(godot_gdnative_core_api_struct, extensions));
	expect("nativescript register_class", 24,
			offsetof(godot_gdnative_ext_nativescript_api_struct, godot_nativescript_register_class));
	expect("net set_webrtc_library", 24, offsetof(godot_gdnative_ext_net_3_2_api_struct, godot_net_set_webrtc_library));
	expect("net bind peer", 32, offsetof(godot_gdnative_ext_net_3_2_api_struct, godot_net_bind_webrtc_peer_connection));
	expect("net bind channel", 40, offsetof(godot_gdnative_ext_net_3_2_api_struct, godot_net_bind_webrtc_data_channel));
	expect("init options size", 72, sizeof(godot_gdnative_init_options));
	expect("init gd_native_library", 48, offsetof(godot_gdnative_init_options, gd_native_library));
	expect("init api_struct", 56, offsetof(godot_gdnative_init_options, api_struct));
	expect("init active_library_path", 64, offsetof(godot_gdnative_init_options, active_library_path));
	expect("library size", 32, sizeof(godot_net_webrtc_library));
	expect("peer_connection size", 104, sizeof(godot_net_webrtc_peer_connection));
	expect("peer_connection close", 88, offsetof(godot_net_webrtc_peer_connection, close));
	expect("data_channel size", 160, sizeof(godot_net_webrtc_data_channel));
	expect("data_channel poll", 136, offsetof(godot_net_webrtc_data_channel, poll));
	expect("data_channel next", 152, offsetof(godot_net_webrtc_data_channel, next));
	expect("variant size", 24, sizeof(godot_variant));
	expect("godot_int size", 4, sizeof(godot_int));
	expect("create_func size", 24, sizeof(godot_instance_create_func));
	expect("destroy_func size", 24, sizeof(godot_instance_destroy_func));
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
