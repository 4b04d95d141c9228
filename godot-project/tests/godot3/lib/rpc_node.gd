# The node both sides of tests/godot3/multiplayer.gd call RPCs on (same path under each
# side's MultiplayerAPI root).
extends Node

var reliable = [] # [sender id, n]
var unreliable = []


remote func hello(p_n):
	reliable.append([multiplayer.get_rpc_sender_id(), p_n])


remote func tick(p_n):
	unreliable.append([multiplayer.get_rpc_sender_id(), p_n])
