# Web exports leave the whole addon out: Godot's web build always uses the browser's own
# WebRTC and never asks an extension, and a listed extension without a web library makes the
# web build report an error at start-up. Every file under the addon is skipped, and while a
# Web export runs the project's extension list (.godot/extension_list.cfg) is written
# without the addon, then restored: the engine copies that list into the pack filtered only
# by the preset's own filters, which a plugin cannot change. Native exports are untouched:
# the descriptors' [dependencies] carry the worker beside the executable. Godot 4 (see
# plugin.gd).
@tool
extends EditorExportPlugin

const ADDON = "res://addons/webrtc_ts/"
const EXTENSION_LIST = "res://.godot/extension_list.cfg"

var _list_before_web_export = null # the list's text while a Web export runs


func _get_name() -> String:
	return "webrtc_ts"


func _export_begin(features: PackedStringArray, _is_debug: bool, _path: String, _flags: int) -> void:
	if not features.has("web") or not FileAccess.file_exists(EXTENSION_LIST):
		return
	var text := FileAccess.get_file_as_string(EXTENSION_LIST)
	var kept := PackedStringArray()
	for line in text.split("\n"):
		if not line.strip_edges().begins_with(ADDON):
			kept.append(line)
	_list_before_web_export = text
	_write_list("\n".join(kept))


func _export_end() -> void:
	if _list_before_web_export != null:
		_write_list(_list_before_web_export)
		_list_before_web_export = null


func _export_file(path: String, _type: String, features: PackedStringArray) -> void:
	if features.has("web") and path.begins_with(ADDON):
		skip()


func _write_list(text: String) -> void:
	var file := FileAccess.open(EXTENSION_LIST, FileAccess.WRITE)
	if file == null:
		push_error("webrtc_ts: cannot write %s (%s)" % [EXTENSION_LIST, error_string(FileAccess.get_open_error())])
		return
	file.store_string(text)
