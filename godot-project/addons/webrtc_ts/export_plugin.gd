# Web exports leave the whole addon out: Godot's web build always uses the browser's own
# WebRTC and never asks an extension, and a listed extension without a web library would
# print "No GDExtension library found" at start-up. Skipping the descriptor also drops it
# from the exported extension_list.cfg. Native exports are untouched: the descriptors'
# [dependencies] carry the worker beside the executable. Godot 4 (see plugin.gd).
@tool
extends EditorExportPlugin

const ADDON = "res://addons/webrtc_ts/"


func _get_name() -> String:
	return "webrtc_ts"


func _export_file(path: String, _type: String, features: PackedStringArray) -> void:
	if features.has("web") and path.begins_with(ADDON):
		skip()
