# WebRTCMultiplayer (Godot 3's multiplayer peer on WebRTCPeerConnection) as a mesh of two
# peers in one process, each under its own MultiplayerAPI: peer_connected on both sides,
# RPCs in reliable and unreliable mode both ways, the channels WebRTCMultiplayer asks for
# really unreliable (it spells the key maxPacketLifetime), and peer_disconnected when the
# other side's connection goes away.
extends "res://tests/godot3/lib/scene.gd"

const RpcNode = preload("res://tests/godot3/lib/rpc_node.gd")
const COUNT = 20

var sides = {} # id -> {root, game, api, mp, pc}
var connected_events = []
var disconnected_events = []


func _initialize():
	c = Check.new("multiplayer")
	for id in [1, 2]:
		_make_side(id)
	_wire(1, 2)
	_wire(2, 1)
	c.eq(sides[1].mp.add_peer(sides[1].pc, 2), OK, "1: add_peer(pc, 2)")
	c.eq(sides[2].mp.add_peer(sides[2].pc, 1), OK, "2: add_peer(pc, 1)")
	var channels = sides[1].mp.get_peer(2)["channels"]
	c.eq(channels.size(), 3, "WebRTCMultiplayer made three channels")
	if channels.size() == 3:
		c.eq([channels[0].get_max_packet_life_time(), channels[0].is_ordered()], [65535, true], "reliable channel")
		c.eq([channels[1].get_max_packet_life_time(), channels[1].is_ordered()], [1, true],
				"unreliable-ordered channel: maxPacketLifetime 1 honoured (webrtc-native makes it reliable)")
		c.eq([channels[2].get_max_packet_life_time(), channels[2].is_ordered()], [1, false],
				"unreliable channel: maxPacketLifetime 1, unordered")
	c.eq(sides[1].pc.create_offer(), OK, "create_offer")
	c.ok(Check.pump(_apis(), funcref(self, "_both_connected"), 15000), "peer_connected on both sides")
	c.eq(Array(sides[1].api.get_network_connected_peers()), [2], "1 sees peer 2")
	c.eq(Array(sides[2].api.get_network_connected_peers()), [1], "2 sees peer 1")

	for n in range(COUNT):
		sides[1].game.rpc("hello", n)
		sides[2].game.rpc("hello", 100 + n)
		sides[1].game.rpc_unreliable("tick", n)
		sides[2].game.rpc_unreliable("tick", 100 + n)
	c.ok(Check.pump(_apis(), funcref(self, "_rpcs_arrived"), 15000), "every RPC arrived")
	var expect_from_1 = []
	var expect_from_2 = []
	for n in range(COUNT):
		expect_from_1.append([1, n])
		expect_from_2.append([2, 100 + n])
	c.eq(sides[2].game.reliable, expect_from_1, "reliable RPCs 1 -> 2, in order")
	c.eq(sides[1].game.reliable, expect_from_2, "reliable RPCs 2 -> 1, in order")
	c.eq(_sorted(sides[2].game.unreliable), expect_from_1, "unreliable RPCs 1 -> 2 (loopback loses none)")
	c.eq(_sorted(sides[1].game.unreliable), expect_from_2, "unreliable RPCs 2 -> 1")

	# Side 1 goes away: its connection is freed with the last reference; side 2 notices.
	sides[1].mp.close()
	sides[1].api.network_peer = null
	sides[1].pc = null
	sides[1].mp = null
	c.ok(Check.pump([sides[2].api], funcref(self, "_disconnected"), 15000), "peer_disconnected(1) on side 2")
	sides[2].mp.close()
	c.finish(self)


func _make_side(p_id):
	var side = {}
	side.root = Node.new()
	side.root.name = "Side%d" % p_id
	get_root().add_child(side.root)
	side.game = RpcNode.new()
	side.game.name = "Game"
	side.root.add_child(side.game)
	side.api = MultiplayerAPI.new()
	side.root.custom_multiplayer = side.api
	side.game.custom_multiplayer = side.api # set after add_child: tell the child too
	side.api.set_root_node(side.root)
	side.mp = WebRTCMultiplayer.new()
	c.eq(side.mp.initialize(p_id), OK, "%d: WebRTCMultiplayer.initialize" % p_id)
	side.mp.connect("peer_connected", self, "_on_connected", [p_id])
	side.mp.connect("peer_disconnected", self, "_on_disconnected", [p_id])
	side.api.network_peer = side.mp
	side.pc = WebRTCPeerConnection.new()
	c.eq(side.pc.initialize(Check.loopback()), OK, "%d: initialize" % p_id)
	sides[p_id] = side


func _wire(p_from, p_to):
	sides[p_from].pc.connect("session_description_created", self, "_on_description", [p_from, p_to])
	sides[p_from].pc.connect("ice_candidate_created", self, "_on_candidate", [p_to])


func _on_description(p_type, p_sdp, p_from, p_to):
	c.eq(sides[p_from].pc.set_local_description(p_type, p_sdp), OK, "%d: set_local_description" % p_from)
	c.eq(sides[p_to].pc.set_remote_description(p_type, p_sdp), OK, "%d: set_remote_description" % p_to)


func _on_candidate(p_mid, p_index, p_name, p_to):
	sides[p_to].pc.add_ice_candidate(p_mid, p_index, p_name)


func _on_connected(p_peer, p_side):
	connected_events.append([p_side, p_peer])


func _on_disconnected(p_peer, p_side):
	disconnected_events.append([p_side, p_peer])


func _apis():
	return [sides[1].api, sides[2].api]


func _both_connected():
	return connected_events.has([1, 2]) and connected_events.has([2, 1])


func _rpcs_arrived():
	for id in [1, 2]:
		if sides[id].game.reliable.size() < COUNT or sides[id].game.unreliable.size() < COUNT:
			return false
	return true


func _disconnected():
	return disconnected_events.has([2, 1])


# [[sender, n]...] sorted by n (Godot 3 cannot sort Arrays of Arrays).
func _sorted(p_list):
	var by_n = {}
	var ns = []
	for entry in p_list:
		by_n[entry[1]] = entry
		ns.append(entry[1])
	ns.sort()
	var out = []
	for n in ns:
		out.append(by_n[n])
	return out
