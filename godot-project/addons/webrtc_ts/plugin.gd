# The addon's editor plugin (Godot 4): it only registers export_plugin.gd. Godot 3 needs no
# plugin (its exports take the .gdnlib's [dependencies]; leave it disabled there).
@tool
extends EditorPlugin

var _export_plugin = preload("export_plugin.gd").new()


func _enter_tree():
	add_export_plugin(_export_plugin)


func _exit_tree():
	remove_export_plugin(_export_plugin)
