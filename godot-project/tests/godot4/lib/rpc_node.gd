# The node both sides of tests/godot4/multiplayer.gd call RPCs on (the same path under each
# side's SceneMultiplayer root). One method per transfer mode, plus the two custom channels
# the scene configures.
extends Node

var calls := {} # method -> [[sender id, n], ...]


func _record(p_method: String, p_n: int) -> void:
	if not calls.has(p_method):
		calls[p_method] = []
	calls[p_method].append([multiplayer.get_remote_sender_id(), p_n])


@rpc("any_peer", "call_remote", "reliable")
func on_reliable(p_n: int) -> void:
	_record("on_reliable", p_n)


@rpc("any_peer", "call_remote", "unreliable_ordered")
func on_unreliable_ordered(p_n: int) -> void:
	_record("on_unreliable_ordered", p_n)


@rpc("any_peer", "call_remote", "unreliable")
func on_unreliable(p_n: int) -> void:
	_record("on_unreliable", p_n)


@rpc("any_peer", "call_remote", "reliable", 1)
func on_custom_reliable(p_n: int) -> void:
	_record("on_custom_reliable", p_n)


@rpc("any_peer", "call_remote", "unreliable", 2)
func on_custom_unreliable(p_n: int) -> void:
	_record("on_custom_unreliable", p_n)


@rpc("authority", "call_remote", "reliable")
func from_server(p_n: int) -> void:
	_record("from_server", p_n)
