# WebRTCMultiplayerPeer (Godot 4's multiplayer peer on WebRTCPeerConnection): a server and
# a client in one process, each under its own SceneMultiplayer branch, with two custom
# channels. peer_connected on both sides; RPCs in every transfer mode (reliable,
# unreliable_ordered, unreliable, and on the custom reliable and unreliable channels) both
# ways with the right sender; the channels WebRTCMultiplayerPeer makes are really
# unreliable (it spells the key maxPacketLifetime); peer_disconnected when the server goes.
extends "res://tests/godot4/lib/scene.gd"

const RpcNode = preload("res://tests/godot4/lib/rpc_node.gd")
const COUNT := 20
const CHANNELS := [MultiplayerPeer.TRANSFER_MODE_RELIABLE, MultiplayerPeer.TRANSFER_MODE_UNRELIABLE]
const METHODS := ["on_reliable", "on_unreliable_ordered", "on_unreliable", "on_custom_reliable", "on_custom_unreliable"]


# One side: its branch of the tree, its SceneMultiplayer, its multiplayer peer, its connection.
class Side:
	var root: Node
	var game: Node
	var api: SceneMultiplayer
	var mp: WebRTCMultiplayerPeer
	var pc: WebRTCPeerConnection


var sides := {} # id -> Side
var connected_events := []
var disconnected_events := []


var _started := false


func _initialize() -> void:
	c = Check.new("multiplayer")


# Godot 4 puts nodes added during _initialize() into the tree only once the main loop
# runs, and get_path() and rpc() need them there: the work starts on the first frame.
func _process(p_delta: float) -> bool:
	if not _started:
		_started = true
		_run()
	return super(p_delta)


func _run() -> void:
	for id in [1, 2]:
		_make_side(id)
	_wire(1, 2)
	_wire(2, 1)
	c.eq(sides[1].mp.add_peer(sides[1].pc, 2), OK, "server: add_peer(pc, 2)")
	c.eq(sides[2].mp.add_peer(sides[2].pc, 1), OK, "client: add_peer(pc, 1)")
	var channels: Array = sides[1].mp.get_peer(2)["channels"]
	c.eq(channels.size(), 3 + CHANNELS.size(), "WebRTCMultiplayerPeer made three channels plus the two custom ones")
	if channels.size() == 5:
		c.eq([channels[0].is_negotiated(), channels[0].is_ordered(), channels[0].get_max_packet_life_time()], [true, true, 65535],
				"reliable channel: negotiated, ordered, no lifetime")
		c.eq([channels[1].is_ordered(), channels[1].get_max_packet_life_time()], [true, 1],
				"unreliable-ordered channel: maxPacketLifetime 1 honoured (webrtc-native makes it reliable)")
		c.eq([channels[2].is_ordered(), channels[2].get_max_packet_life_time()], [false, 1],
				"unreliable channel: maxPacketLifetime 1, unordered")
	c.eq(sides[1].pc.create_offer(), OK, "create_offer")
	c.ok(Check.pump(_apis(), _both_connected, 20000), "peer_connected on both sides")
	c.eq(Array(sides[1].api.get_peers()), [2], "the server sees peer 2")
	c.eq(Array(sides[2].api.get_peers()), [1], "the client sees peer 1")
	c.eq(sides[2].api.get_unique_id(), 2, "the client's unique id")

	var server: RpcNode = sides[1].game
	var client: RpcNode = sides[2].game
	for n in range(COUNT):
		for method in METHODS:
			server.rpc(method, n)
			client.rpc_id(1, method, 100 + n)
		server.rpc_id(2, "from_server", n)
	c.ok(Check.pump(_apis(), _reliable_arrived, 20000), "every reliable RPC arrived")
	Check.pump_for(_apis(), 300) # the unreliable ones have had their chance too
	var from_server := []
	var from_client := []
	for n in range(COUNT):
		from_server.append([1, n])
		from_client.append([2, 100 + n])
	for method in ["on_reliable", "on_custom_reliable", "from_server"]:
		c.eq(client.calls.get(method, []), from_server, "%s: server -> client, all, in order, sender 1" % method)
	for method in ["on_reliable", "on_custom_reliable"]:
		c.eq(server.calls.get(method, []), from_client, "%s: client -> server, all, in order, sender 2" % method)
	for method in ["on_unreliable_ordered", "on_unreliable", "on_custom_unreliable"]:
		var to_client: Array = client.calls.get(method, [])
		var to_server: Array = server.calls.get(method, [])
		c.note("%s: %d/%d and %d/%d arrived on loopback" % [method, to_client.size(), COUNT, to_server.size(), COUNT])
		c.ok(to_client.size() > 0 and to_server.size() > 0, "%s: delivered both ways" % method)
		c.ok(_senders(to_client, 1) and _senders(to_server, 2), "%s: the sender id is right" % method)
	c.ok(_ascending(client.calls.get("on_unreliable_ordered", [])), "unreliable_ordered keeps order")

	# The server goes away: its connection is freed with the last reference; the client notices.
	sides[1].mp.close()
	sides[1].api.multiplayer_peer = null
	sides[1].pc = null
	sides[1].mp = null
	c.ok(Check.pump([sides[2].api], func(): return disconnected_events.has([2, 1]) or disconnected_events.has([2, "server"]), 20000),
			"the client sees the server go (peer_disconnected(1) or server_disconnected)")
	sides[2].mp.close()
	c.finish(self)


func _make_side(p_id: int) -> void:
	var side := Side.new()
	side.root = Node.new()
	side.root.name = "Side%d" % p_id
	get_root().add_child(side.root)
	side.game = RpcNode.new()
	side.game.name = "Game"
	side.root.add_child(side.game)
	side.api = SceneMultiplayer.new()
	set_multiplayer(side.api, side.root.get_path())
	side.mp = WebRTCMultiplayerPeer.new()
	if p_id == 1:
		c.eq(side.mp.create_server(CHANNELS), OK, "create_server(two custom channels)")
	else:
		c.eq(side.mp.create_client(p_id, CHANNELS), OK, "create_client(%d, two custom channels)" % p_id)
	side.api.peer_connected.connect(func(p_peer: int): connected_events.append([p_id, p_peer]))
	side.api.peer_disconnected.connect(func(p_peer: int): disconnected_events.append([p_id, p_peer]))
	side.api.server_disconnected.connect(func(): disconnected_events.append([p_id, "server"]))
	side.api.multiplayer_peer = side.mp
	side.pc = WebRTCPeerConnection.new()
	c.eq(side.pc.initialize(Check.loopback()), OK, "%d: initialize" % p_id)
	sides[p_id] = side


func _wire(p_from: int, p_to: int) -> void:
	sides[p_from].pc.session_description_created.connect(_on_description.bind(p_from, p_to))
	sides[p_from].pc.ice_candidate_created.connect(_on_candidate.bind(p_to))


func _on_description(p_type: String, p_sdp: String, p_from: int, p_to: int) -> void:
	c.eq(sides[p_from].pc.set_local_description(p_type, p_sdp), OK, "%d: set_local_description" % p_from)
	c.eq(sides[p_to].pc.set_remote_description(p_type, p_sdp), OK, "%d: set_remote_description" % p_to)


func _on_candidate(p_mid: String, p_index: int, p_name: String, p_to: int) -> void:
	if sides[p_to].pc != null:
		sides[p_to].pc.add_ice_candidate(p_mid, p_index, p_name)


func _apis() -> Array:
	return [sides[1].api, sides[2].api]


func _both_connected() -> bool:
	return connected_events.has([1, 2]) and connected_events.has([2, 1])


func _reliable_arrived() -> bool:
	var client: RpcNode = sides[2].game
	var server: RpcNode = sides[1].game
	for method in ["on_reliable", "on_custom_reliable", "from_server"]:
		if client.calls.get(method, []).size() < COUNT:
			return false
	for method in ["on_reliable", "on_custom_reliable"]:
		if server.calls.get(method, []).size() < COUNT:
			return false
	return true


func _senders(p_calls: Array, p_sender: int) -> bool:
	for entry in p_calls:
		if entry[0] != p_sender:
			return false
	return true


func _ascending(p_calls: Array) -> bool:
	var last := -1
	for entry in p_calls:
		if entry[1] <= last:
			return false
		last = entry[1]
	return true
