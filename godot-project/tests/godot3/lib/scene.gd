# Base of the headless scenes: `extends "res://tests/godot3/lib/scene.gd"`, then do the work
# in _initialize() and end with c.finish(self). A GDScript error aborts _initialize without
# quitting; the first idle frame then reports it and quits, so the runner never waits for
# its timeout.
extends SceneTree

const Check = preload("res://tests/godot3/lib/check.gd")
const Pair = preload("res://tests/godot3/lib/pair.gd")

var c = null


func _idle(_delta):
	if c == null or not c.finished:
		print("FAIL: %s: the scene stopped before finishing (see the error above)" % (c.scene if c else "?"))
		quit(1)
	return false
