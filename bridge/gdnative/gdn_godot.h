/* The slice of Godot 3.2's GDNative C ABI this shim uses, declared here rather than vendored.
 *
 * Source: godotengine/godot-headers at tag godot-3.2.3-stable (gdnative/gdnative.h,
 * gdnative_api_struct.gen.h, nativescript/godot_nativescript.h, net/godot_webrtc.h), the
 * headers Debian's godot3-server 3.2.3 was built with; summarised in
 * docs/abi.md section 7. The names are the engine's own (godot_*), so each
 * line can be checked against those headers; tests/abi_check.c does that mechanically when
 * GODOT_HEADERS points at them (make -C bridge/gdnative abi-check). Every size and offset the
 * shim relies on is pinned below by _Static_assert (LP64: x86_64 / arm64 Linux).
 */
#ifndef BRIDGE_GDN_GODOT_H
#define BRIDGE_GDN_GODOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- basic types (gdnative/gdnative.h, string.h, dictionary.h, variant.h) ---- */

typedef int godot_error; /* godot_error enum: OK 0, FAILED 1, ... (the numbers of 4.x) */
typedef int godot_int; /* 32-bit in 3.x */
typedef bool godot_bool;
typedef void godot_object;
typedef struct godot_method_bind godot_method_bind; /* opaque */

typedef struct godot_string {
	uint8_t _dont_touch_that[8];
} godot_string;

typedef struct godot_char_string {
	uint8_t _dont_touch_that[8];
} godot_char_string;

typedef struct godot_dictionary {
	uint8_t _dont_touch_that[8];
} godot_dictionary;

typedef struct godot_variant {
	uint8_t _dont_touch_that[24]; /* 16 + sizeof(int64_t) */
} godot_variant;

/* godot_variant_type values the shim reads (variant.h) */
#define GDN_VARIANT_TYPE_NIL 0

typedef struct godot_variant_call_error {
	int error; /* godot_variant_call_error_error: 0 OK */
	int argument;
	int expected;
} godot_variant_call_error;

typedef struct godot_gdnative_api_version {
	unsigned int major;
	unsigned int minor;
} godot_gdnative_api_version;

/* Every API struct starts with this header. */
typedef struct godot_gdnative_api_struct {
	unsigned int type;
	godot_gdnative_api_version version;
	const struct godot_gdnative_api_struct *next;
} godot_gdnative_api_struct;

/* godot_gdnative_api_struct.type values (GDNATIVE_API_TYPES) */
enum {
	GDN_API_TYPE_CORE = 0,
	GDN_API_TYPE_NATIVESCRIPT = 1,
	GDN_API_TYPE_NET = 6,
};

/* The core struct: header, then num_extensions @24, extensions @32, functions from @40. */
typedef struct godot_gdnative_core_api_head {
	unsigned int type;
	godot_gdnative_api_version version;
	const godot_gdnative_api_struct *next;
	unsigned int num_extensions;
	const godot_gdnative_api_struct **extensions;
} godot_gdnative_core_api_head;

typedef struct godot_gdnative_init_options {
	godot_bool in_editor;
	uint64_t core_api_hash;
	uint64_t editor_api_hash;
	uint64_t no_api_hash;
	void (*report_version_mismatch)(const godot_object *p_library, const char *p_what, godot_gdnative_api_version p_want,
			godot_gdnative_api_version p_have);
	void (*report_loading_error)(const godot_object *p_library, const char *p_what);
	godot_object *gd_native_library;
	const godot_gdnative_core_api_head *api_struct;
	const godot_string *active_library_path;
} godot_gdnative_init_options;

typedef struct godot_gdnative_terminate_options {
	godot_bool in_editor;
} godot_gdnative_terminate_options;

typedef godot_object *(*godot_class_constructor)(void);

/* ---- NativeScript (nativescript/godot_nativescript.h) ---- */

typedef struct godot_instance_create_func {
	void *(*create_func)(godot_object *p_owner, void *p_method_data); /* returns user data */
	void *method_data;
	void (*free_func)(void *p_method_data);
} godot_instance_create_func;

typedef struct godot_instance_destroy_func {
	void (*destroy_func)(godot_object *p_owner, void *p_method_data, void *p_user_data);
	void *method_data;
	void (*free_func)(void *p_method_data);
} godot_instance_destroy_func;

typedef void (*godot_nativescript_register_class_fn)(void *p_gdnative_handle, const char *p_name, const char *p_base,
		godot_instance_create_func p_create_func, godot_instance_destroy_func p_destroy_func);

/* A script method (nativescript/godot_nativescript.h): p_user_data is what create_func
 * returned for this object; the Variant returned is owned by the engine. */
typedef struct godot_method_attributes {
	int rpc_type; /* godot_method_rpc_mode: GODOT_METHOD_RPC_MODE_DISABLED 0 */
} godot_method_attributes;

typedef struct godot_instance_method {
	godot_variant (*method)(godot_object *p_owner, void *p_method_data, void *p_user_data, int p_num_args,
			godot_variant **p_args);
	void *method_data;
	void (*free_func)(void *p_method_data);
} godot_instance_method;

typedef void (*godot_nativescript_register_method_fn)(void *p_gdnative_handle, const char *p_name,
		const char *p_function_name, godot_method_attributes p_attr, godot_instance_method p_method);

/* ---- WebRTC (net/godot_webrtc.h, GODOT_NET_WEBRTC_API 3.2) ---- */

typedef struct godot_net_webrtc_library {
	godot_gdnative_api_version version;
	void (*unregistered)(void);
	godot_error (*create_peer_connection)(godot_object *p_peer);
	void *next;
} godot_net_webrtc_library;

typedef struct godot_net_webrtc_peer_connection {
	godot_gdnative_api_version version;
	godot_object *data; /* passed back as the first argument */
	godot_int (*get_connection_state)(const void *);
	godot_error (*initialize)(void *, const godot_dictionary *);
	godot_object *(*create_data_channel)(void *, const char *p_label, const godot_dictionary *);
	godot_error (*create_offer)(void *);
	godot_error (*create_answer)(void *); /* never called by 3.2 */
	godot_error (*set_remote_description)(void *, const char *p_type, const char *p_sdp);
	godot_error (*set_local_description)(void *, const char *p_type, const char *p_sdp);
	godot_error (*add_ice_candidate)(void *, const char *p_mid, int p_index, const char *p_candidate);
	godot_error (*poll)(void *);
	void (*close)(void *);
	void *next;
} godot_net_webrtc_peer_connection;

typedef struct godot_net_webrtc_data_channel {
	godot_gdnative_api_version version;
	godot_object *data;
	godot_error (*get_packet)(void *, const uint8_t **r_buffer, int *r_length);
	godot_error (*put_packet)(void *, const uint8_t *p_buffer, int p_length);
	godot_int (*get_available_packet_count)(const void *);
	godot_int (*get_max_packet_size)(const void *);
	void (*set_write_mode)(void *, godot_int);
	godot_int (*get_write_mode)(const void *);
	bool (*was_string_packet)(const void *);
	godot_int (*get_ready_state)(const void *);
	const char *(*get_label)(const void *);
	bool (*is_ordered)(const void *);
	int (*get_id)(const void *);
	int (*get_max_packet_life_time)(const void *);
	int (*get_max_retransmits)(const void *);
	const char *(*get_protocol)(const void *);
	bool (*is_negotiated)(const void *);
	godot_error (*poll)(void *);
	void (*close)(void *);
	void *next;
} godot_net_webrtc_data_channel;

/* What later 3.x engines (3.4+) read through godot_net_webrtc_data_channel.next
 * (webrtc-native src/net/WebRTCDataChannelNative.hpp); 3.2 never reads it. */
typedef struct godot_net_webrtc_data_channel_ext {
	int (*get_buffered_amount)(const void *);
	void *next;
} godot_net_webrtc_data_channel_ext;

typedef godot_error (*godot_net_set_webrtc_library_fn)(const godot_net_webrtc_library *);
typedef void (*godot_net_bind_webrtc_peer_connection_fn)(godot_object *, const godot_net_webrtc_peer_connection *);
typedef void (*godot_net_bind_webrtc_data_channel_fn)(godot_object *, const godot_net_webrtc_data_channel *);

/* ---- offsets inside the API structs (gdnative_api_struct.gen.h, 3.2.3; LP64) ---- */

/* godot_gdnative_core_api_struct (core 1.0) */
#define GDN_OFFSET_DICTIONARY_TO_JSON 3080
#define GDN_OFFSET_DICTIONARY_NEW 2936
#define GDN_OFFSET_DICTIONARY_DESTROY 2952
#define GDN_OFFSET_DICTIONARY_SET 3040
#define GDN_OFFSET_VARIANT_GET_TYPE 4096
#define GDN_OFFSET_VARIANT_NEW_REAL 4144
#define GDN_OFFSET_VARIANT_NEW_DICTIONARY 4264
#define GDN_OFFSET_VARIANT_NEW_INT 4136
#define GDN_OFFSET_VARIANT_NEW_STRING 4152
#define GDN_OFFSET_VARIANT_NEW_OBJECT 4256
#define GDN_OFFSET_VARIANT_AS_STRING 4368
#define GDN_OFFSET_VARIANT_DESTROY 4600
#define GDN_OFFSET_CHAR_STRING_LENGTH 4608
#define GDN_OFFSET_CHAR_STRING_GET_DATA 4616
#define GDN_OFFSET_CHAR_STRING_DESTROY 4624
#define GDN_OFFSET_STRING_NEW 4632
#define GDN_OFFSET_STRING_UTF8 5464
#define GDN_OFFSET_STRING_CHARS_TO_UTF8_WITH_LEN 5496
#define GDN_OFFSET_STRING_DESTROY 5808
#define GDN_OFFSET_GLOBAL_GET_SINGLETON 5888
#define GDN_OFFSET_METHOD_BIND_GET_METHOD 5896
#define GDN_OFFSET_METHOD_BIND_PTRCALL 5904
#define GDN_OFFSET_METHOD_BIND_CALL 5912
#define GDN_OFFSET_GET_CLASS_CONSTRUCTOR 5920
#define GDN_OFFSET_PRINT_ERROR 5968
#define GDN_OFFSET_PRINT_WARNING 5976
#define GDN_OFFSET_PRINT 5984
/* godot_gdnative_ext_nativescript_api_struct (1.0) */
#define GDN_OFFSET_NATIVESCRIPT_REGISTER_CLASS 24
#define GDN_OFFSET_NATIVESCRIPT_REGISTER_METHOD 40
/* godot_gdnative_ext_net_3_2_api_struct */
#define GDN_OFFSET_NET_SET_WEBRTC_LIBRARY 24
#define GDN_OFFSET_NET_BIND_WEBRTC_PEER_CONNECTION 32
#define GDN_OFFSET_NET_BIND_WEBRTC_DATA_CHANNEL 40

/* ---- layout pins ---- */

_Static_assert(sizeof(void *) == 8, "the offsets above are for LP64 targets");
_Static_assert(sizeof(godot_variant) == 24, "godot_variant is 24 bytes (float_64 builds)");
_Static_assert(sizeof(godot_string) == 8 && sizeof(godot_char_string) == 8 && sizeof(godot_dictionary) == 8,
		"opaque 8-byte types");
_Static_assert(sizeof(godot_variant_call_error) == 12, "godot_variant_call_error");
_Static_assert(offsetof(godot_gdnative_core_api_head, num_extensions) == 24, "core: num_extensions @24");
_Static_assert(offsetof(godot_gdnative_core_api_head, extensions) == 32, "core: extensions @32");
_Static_assert(sizeof(godot_gdnative_init_options) == 72, "init options: 72 bytes");
_Static_assert(offsetof(godot_gdnative_init_options, gd_native_library) == 48, "init: gd_native_library @48");
_Static_assert(offsetof(godot_gdnative_init_options, api_struct) == 56, "init: api_struct @56");
_Static_assert(offsetof(godot_gdnative_init_options, active_library_path) == 64, "init: active_library_path @64");
_Static_assert(sizeof(godot_instance_create_func) == 24 && sizeof(godot_instance_destroy_func) == 24, "NativeScript funcs");
_Static_assert(sizeof(godot_instance_method) == 24 && sizeof(godot_method_attributes) == 4, "NativeScript method structs");
_Static_assert(sizeof(godot_net_webrtc_library) == 32, "library: 32 bytes");
_Static_assert(offsetof(godot_net_webrtc_library, create_peer_connection) == 16, "library: create_peer_connection @16");
_Static_assert(sizeof(godot_net_webrtc_peer_connection) == 104, "peer_connection: 104 bytes");
_Static_assert(offsetof(godot_net_webrtc_peer_connection, data) == 8, "peer_connection: data @8");
_Static_assert(offsetof(godot_net_webrtc_peer_connection, get_connection_state) == 16, "peer_connection: @16");
_Static_assert(offsetof(godot_net_webrtc_peer_connection, close) == 88, "peer_connection: close @88");
_Static_assert(sizeof(godot_net_webrtc_data_channel) == 160, "data_channel: 160 bytes");
_Static_assert(offsetof(godot_net_webrtc_data_channel, get_packet) == 16, "data_channel: get_packet @16");
_Static_assert(offsetof(godot_net_webrtc_data_channel, poll) == 136, "data_channel: poll @136");
_Static_assert(offsetof(godot_net_webrtc_data_channel, next) == 152, "data_channel: next @152");

#endif /* BRIDGE_GDN_GODOT_H */
