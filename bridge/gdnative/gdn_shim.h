/* Internals of the Godot 3 (GDNative) front-end. The shim is thin: every interface function
 * forwards to the shared client (bridge/client/wc.h) and converts between Godot's types and
 * the client's; it holds no WebRTC logic and no state beyond the handle each object wraps.
 *
 * Files:
 *   gdn_entry.c    exported entry points, the WebRTC library registration, addon paths, log
 *   gdn_api.c      the engine API table (fetched once from the init options)
 *   gdn_variant.c  strings, Dictionary -> JSON, emit_signal
 *   gdn_script.c   NativeScript classes: how an engine object gets our state and loses it
 *   gdn_peer.c     the WebRTCPeerConnectionGDNative interface
 *   gdn_channel.c  the WebRTCDataChannelGDNative interface
 *
 * Threads: only the thread that calls into an interface function touches Godot, and only
 * inside that call; signals are emitted from poll() on the calling thread.
 */
#ifndef BRIDGE_GDN_SHIM_H
#define BRIDGE_GDN_SHIM_H

#include "../client/wc.h"
#include "gdn_godot.h"

#define GDN_EXPORT __attribute__((visibility("default")))

/* The NativeScript class names (any unique names; get_class() still reports the engine's
 * WebRTCPeerConnectionGDNative / WebRTCDataChannelGDNative). */
#define GDN_PEER_CLASS "WebRTCTSPeerConnection"
#define GDN_PEER_BASE "WebRTCPeerConnectionGDNative"
#define GDN_CHANNEL_CLASS "WebRTCTSDataChannel"
#define GDN_CHANNEL_BASE "WebRTCDataChannelGDNative"

/* ---- the engine API table (gdn_api.c) ---- */

typedef struct gdn_api {
	godot_string (*dictionary_to_json)(const godot_dictionary *);
	void (*dictionary_new)(godot_dictionary *);
	void (*dictionary_destroy)(godot_dictionary *);
	void (*dictionary_set)(godot_dictionary *, const godot_variant *p_key, const godot_variant *p_value);
	void (*variant_new_real)(godot_variant *, double);
	void (*variant_new_dictionary)(godot_variant *, const godot_dictionary *);
	void (*variant_new_int)(godot_variant *, int64_t);
	void (*variant_new_string)(godot_variant *, const godot_string *);
	void (*variant_new_object)(godot_variant *, const godot_object *);
	void (*variant_destroy)(godot_variant *);
	int (*variant_get_type)(const godot_variant *); /* godot_variant_type: NIL 0, STRING 4 */
	godot_string (*variant_as_string)(const godot_variant *);
	godot_object *(*global_get_singleton)(char *p_name);
	godot_int (*char_string_length)(const godot_char_string *);
	const char *(*char_string_get_data)(const godot_char_string *);
	void (*char_string_destroy)(godot_char_string *);
	void (*string_new)(godot_string *);
	godot_char_string (*string_utf8)(const godot_string *);
	godot_string (*string_chars_to_utf8_with_len)(const char *, godot_int);
	void (*string_destroy)(godot_string *);
	godot_method_bind *(*method_bind_get_method)(const char *p_class, const char *p_method);
	void (*method_bind_ptrcall)(godot_method_bind *, godot_object *, const void **p_args, void *r_ret);
	godot_variant (*method_bind_call)(godot_method_bind *, godot_object *, const godot_variant **p_args, int p_count,
			godot_variant_call_error *r_error);
	godot_class_constructor (*get_class_constructor)(const char *p_class);
	void (*print_error)(const char *p_description, const char *p_function, const char *p_file, int p_line);
	void (*print_warning)(const char *p_description, const char *p_function, const char *p_file, int p_line);
	void (*print)(const godot_string *);
	/* extensions */
	godot_nativescript_register_class_fn nativescript_register_class;
	godot_nativescript_register_method_fn nativescript_register_method;
	godot_net_set_webrtc_library_fn net_set_webrtc_library;
	godot_net_bind_webrtc_peer_connection_fn net_bind_webrtc_peer_connection;
	godot_net_bind_webrtc_data_channel_fn net_bind_webrtc_data_channel;
} gdn_api;

extern gdn_api gdn_g_api;

/* Fill gdn_g_api from the core struct. false (with the reason) when the engine lacks
 * NativeScript 1.0 or the NET 3.2 extension. */
bool gdn_api_load(const godot_gdnative_core_api_head *p_core, const char **r_missing);

/* ---- process-wide state (gdn_entry.c) ---- */

typedef struct gdn_state {
	bool loaded; /* gdn_api_load succeeded */
	bool registered; /* we are the engine's WebRTC library */
	godot_object *library; /* our GDNativeLibrary resource (for NativeScript.set_library) */
} gdn_state;

extern gdn_state gdn_g;

/* ---- log (gdn_entry.c) ---- */

void gdn_error(const char *p_function, const char *p_format, ...) __attribute__((format(printf, 2, 3)));
/* A core status as the Godot Error a method returns. */
godot_error gdn_error_from(wc_status p_status);

/* ---- values (gdn_variant.c) ---- */

/* A Godot String from UTF-8 bytes (destroy with gdn_api.string_destroy). */
godot_string gdn_string_from(const char *p_utf8, size_t p_length);
/* Dictionary -> JSON text (UTF-8) in a heap buffer the caller frees; NULL on failure. */
char *gdn_dictionary_json(const godot_dictionary *p_dictionary, size_t *r_length);
/* The most arguments a signal of ours has (ice_candidate_created: mid, index, candidate). */
#define GDN_EMIT_MAX_ARGS 3
/* Object.emit_signal(name, args...) on the calling thread; p_args are consumed (destroyed).
 * More than GDN_EMIT_MAX_ARGS: one error line, nothing emitted. */
void gdn_emit(godot_object *p_owner, const char *p_signal, godot_variant *p_args, int p_count);
/* Keep a heap copy of a Godot String's UTF-8 (for absolute paths); NULL on failure. */
char *gdn_string_dup(const godot_string *p_string);

/* ---- NativeScript glue (gdn_script.c) ---- */

/* Register both classes (from godot_nativescript_init). */
void gdn_script_register(void *p_handle);
/* Give p_object the NativeScript class p_class: its create callback runs inside. */
bool gdn_script_attach(godot_object *p_object, const char *p_class);

/* ---- get_stats() (gdn_stats.c) ---- */

/* Register get_stats on both classes (after they are registered). */
void gdn_stats_register(void *p_handle);
/* The client handle of a script instance's user data (0 for none). */
wc_handle gdn_peer_handle_of(const void *p_user_data);
wc_handle gdn_channel_handle_of(const void *p_user_data);

/* ---- objects (gdn_peer.c, gdn_channel.c) ---- */

/* NativeScript callbacks. */
void *gdn_peer_create(godot_object *p_owner, void *p_method_data);
void gdn_peer_destroy(godot_object *p_owner, void *p_method_data, void *p_user_data);
void *gdn_channel_create(godot_object *p_owner, void *p_method_data);
void gdn_channel_destroy(godot_object *p_owner, void *p_method_data, void *p_user_data);

/* The library's create_peer_connection: attach our class to a new
 * WebRTCPeerConnectionGDNative. */
godot_error gdn_peer_construct(godot_object *p_object);
/* A new WebRTCDataChannelGDNative wrapping p_channel (which it now owns, and frees with the
 * object); NULL (p_channel freed) on failure. The object has its floating reference. */
godot_object *gdn_channel_wrap(wc_handle p_channel);

#endif /* BRIDGE_GDN_SHIM_H */
