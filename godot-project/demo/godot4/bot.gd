# A scripted player for the headless demo (scripts/run-demo.mjs) and the screenshot: it walks
# its square in a circle, says hello once everyone is in, and when it has seen every other
# player's square move, heard them chat and measured each link, it prints what it saw, tells
# everyone it is finished (reliable) and quits once all of them are. Past the time limit it
# prints what was missing and quits with exit code 1. Godot 4 dialect (Godot 3: demo/godot3/).
extends Node

const Hud = preload("res://demo/godot4/hud.gd")
const RADIUS = 90.0
const TURNS_PER_SECOND = 0.25
const POSITIONS_WANTED = 10 # from each other player
const SCREENSHOT_DELAY_S = 1.0 # let the panel show the last stats first
const LINGER_S = 1.0 # after goodbye: our last messages go out, the others stop sending to us

var demo: Node = null
var players_wanted := 2
var time_limit_s := 60.0
var screenshot_path := ""
var _elapsed := 0.0
var _angle := 0.0
var _center := Vector2()
var _said_hello := false
var _complete_at := -1.0
var _finishing := false
var _finished := false
var _quit_at := -1.0


func begin(p_demo: Node, p_players: int, p_time_limit_s: float, p_screenshot_path: String) -> void:
	demo = p_demo
	players_wanted = p_players
	time_limit_s = p_time_limit_s
	screenshot_path = p_screenshot_path
	_angle = randf() * TAU
	_center = Vector2(200 + randi() % 500, 200 + randi() % 150)


# Where the square should head this frame: along the circle.
func direction(p_position: Vector2) -> Vector2:
	var target := _center + Vector2(cos(_angle), sin(_angle)) * RADIUS
	return target - p_position if p_position.distance_to(target) > 4.0 else Vector2()


func _process(p_delta: float) -> void:
	_elapsed += p_delta
	_angle += TAU * TURNS_PER_SECOND * p_delta
	if _quit_at >= 0.0:
		if _elapsed >= _quit_at:
			demo.quit(0)
		return
	if _elapsed > time_limit_s:
		demo.fail("after %d s, still missing: %s" % [time_limit_s, _missing()])
		return
	if not _said_hello and _others().size() >= players_wanted - 1:
		_said_hello = true
		demo.send_chat("hello from %s" % demo.my_name)
	if not _finishing and _missing() == "":
		if _complete_at < 0.0:
			_complete_at = _elapsed
		if screenshot_path == "" or _elapsed - _complete_at >= SCREENSHOT_DELAY_S:
			_finish()
	if _finished and _everyone_finished():
		print("done: every player finished")
		demo.send_goodbye()
		_quit_at = _elapsed + LINGER_S


func _finish() -> void:
	_finishing = true
	if screenshot_path != "":
		await RenderingServer.frame_post_draw # the frame on screen now, drawn
		var image := get_viewport().get_texture().get_image()
		var err := image.save_png(screenshot_path)
		print("screenshot %s (%s)" % [screenshot_path, "saved" if err == OK else error_string(err)])
	for id in _others():
		var player = demo.players[id]
		print("saw %s (peer %d): %d positions, %d chat lines, %s; rtt_msec %s" % [player.name, id,
				player.positions, player.chats, Hud.describe_link(player.stats), player.stats.get("rtt_msec")])
	demo.send_finished()
	_finished = true


# The other players who introduced themselves.
func _others() -> Array:
	var ids := []
	for id in demo.players:
		if id != demo.my_id and demo.players[id].said_hello:
			ids.append(id)
	return ids


func _everyone_finished() -> bool:
	for id in _others():
		if not demo.players[id].finished:
			return false
	return true


# What this player has not seen yet, or "" when it has seen everything.
func _missing() -> String:
	var others := _others()
	if others.size() < players_wanted - 1:
		return "%d of %d other players joined" % [others.size(), players_wanted - 1]
	var missing: Array[String] = []
	for id in others:
		var player = demo.players[id]
		if player.positions < POSITIONS_WANTED:
			missing.append("%s's positions (%d)" % [player.name, player.positions])
		if player.chats == 0:
			missing.append("%s's chat" % player.name)
		if not demo.measured(player.stats):
			missing.append("stats of the link to %s" % player.name)
	return ", ".join(PackedStringArray(missing))
