# Base of the Godot 4 headless scenes: `extends "res://tests/godot4/lib/scene.gd"`, then do
# the work in _initialize() and end with c.finish(self). A GDScript error aborts
# _initialize without quitting; the first process frame then reports it and quits, so the
# runner never waits for its timeout.
extends SceneTree

const Check = preload("res://tests/godot4/lib/check.gd")
const Pair = preload("res://tests/godot4/lib/pair.gd")

var c: Check = null


func _process(_delta: float) -> bool:
	if c == null or not c.finished:
		print("FAIL: %s: the scene stopped before finishing (see the error above)" % (c.scene if c else "?"))
		quit(1)
	return false
