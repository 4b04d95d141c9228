# The node every peer of tests/signaling/godot4/mesh_peer.gd has at /root/Game: counts the RPCs
# each sender made under each tag, and prints one line when a sender's count reaches the total.
extends Node

var total := 20
var reliable := {} # "tag from" -> [n...] in arrival order
var unreliable := {}


@rpc("any_peer", "call_remote", "reliable")
func reliable_rpc(p_tag: String, p_n: int) -> void:
	_count(reliable, "reliable", p_tag, p_n)


@rpc("any_peer", "call_remote", "unreliable")
func unreliable_rpc(p_tag: String, p_n: int) -> void:
	_count(unreliable, "unreliable", p_tag, p_n)


func _count(p_table: Dictionary, p_mode: String, p_tag: String, p_n: int) -> void:
	var from := multiplayer.get_remote_sender_id()
	var key := "%s %d" % [p_tag, from]
	if not p_table.has(key):
		p_table[key] = []
	p_table[key].append(p_n)
	if p_table[key].size() == total:
		var in_order: bool = p_table[key] == range(total)
		print("GOT %s %s %d %s" % [p_tag, p_mode, from, "in-order" if in_order else "out-of-order"])


# One line per sender seen under p_tag: how many of each mode arrived.
func report(p_tag: String) -> void:
	var senders := {}
	for key in reliable.keys() + unreliable.keys():
		if key.begins_with(p_tag + " "):
			senders[key] = true
	for key in senders.keys():
		print("REPORT %s reliable=%d unreliable=%d" % [key, reliable.get(key, []).size(), unreliable.get(key, []).size()])
