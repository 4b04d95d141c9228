# One peer of the Godot 3 signalling mesh test (scripts/run-signaling-tests.sh runs
# tests/signaling/godot3-mesh.test.ts, which starts the server and several of these). It
# joins a lobby through the addon's Godot 3 signalling client and its WebRTCMultiplayer,
# prints what happens, and follows the commands the test appends to its control file.
# Environment: SIGNALING_URL, SIGNALING_LOBBY ("" creates the lobby), SIGNALING_MESH ("0": a
# client-server lobby), SIGNALING_CONTROL (the control file), SIGNALING_RPC_COUNT (RPCs per
# mode per command, 20).
# Prints: "SIG ID <id>", "SIG LOBBY <name>", "SIG PEER <id>" (PEER_CONNECT), "SIG SEALED",
# "SIG CLOSED <code> <reason>", "MP CONNECTED <id>", "MP DISCONNECTED <id>", "PEERS <ids>",
# "SENT <tag>",
# "GOT <tag> <mode> <from> in-order|out-of-order" (rpc_counter.gd), then the Check tally and
# "END-OF-SCENE signaling_mesh" on "quit".
# Commands, one a line: "rpc <tag>" (RPC every connected peer, reliable and unreliable),
# "peers", "seal", "report <tag>", "quit".
extends SceneTree

const Check = preload("res://tests/godot3/lib/check.gd")
const MultiplayerClient = preload("res://addons/webrtc_ts/signaling/godot3/multiplayer_client.gd")
const RpcCounter = preload("res://tests/signaling/godot3/lib/rpc_counter.gd")

# The scene quits by itself after this long, should the test that drives it be gone.
const LIFETIME_MS = 600000
const CONTROL_POLL_MS = 50

var c = null
var client = null
var game = null
var control_path = ""
var commands_done = 0
var next_control_read = 0
var started = 0


func _initialize():
	c = Check.new("signaling_mesh")
	started = OS.get_ticks_msec()
	Engine.target_fps = 120 # the loop only polls: leave the cores to the other peers
	control_path = OS.get_environment("SIGNALING_CONTROL")
	c.ok(control_path != "", "SIGNALING_CONTROL is set")
	game = RpcCounter.new()
	game.name = "Game"
	var count = OS.get_environment("SIGNALING_RPC_COUNT")
	if count.is_valid_integer():
		game.total = int(count)
	get_root().add_child(game)

	client = MultiplayerClient.new()
	client.name = "Signaling"
	client.webrtc_config = Check.loopback()
	get_root().add_child(client)
	client.connect("connected", self, "_on_signaling_id")
	client.connect("lobby_joined", self, "_on_lobby")
	client.connect("lobby_sealed", self, "_on_sealed")
	client.connect("peer_connected", self, "_on_signaling_peer")
	client.connect("disconnected", self, "_on_signaling_closed")
	connect("network_peer_connected", self, "_on_mp_connected")
	connect("network_peer_disconnected", self, "_on_mp_disconnected")
	var url = OS.get_environment("SIGNALING_URL")
	c.eq(client.start(url, OS.get_environment("SIGNALING_LOBBY"), _mesh()), OK, "start(%s)" % url)


func _idle(_delta):
	if c.finished:
		return false
	var now = OS.get_ticks_msec()
	if now - started > LIFETIME_MS:
		c.ok(false, "the test stopped sending commands")
		_quit()
	elif now >= next_control_read:
		next_control_read = now + CONTROL_POLL_MS
		_run_new_commands()
	return false


func _run_new_commands():
	var file = File.new()
	if not file.file_exists(control_path) or file.open(control_path, File.READ) != OK:
		return
	var text = file.get_as_text()
	file.close()
	var lines = text.split("\n")
	# The last element is after the last newline: a line still being written, or "".
	for i in range(commands_done, lines.size() - 1):
		commands_done += 1
		_run(lines[i].strip_edges())


func _run(p_command):
	var words = p_command.split(" ", false)
	if words.size() == 0:
		return
	match words[0]:
		"rpc":
			if not c.ok(network_peer != null, "a network peer to RPC through"):
				return
			for n in range(game.total):
				game.rpc_unreliable("unreliable_rpc", words[1], n)
				game.rpc("reliable_rpc", words[1], n)
			print("SENT %s" % words[1])
		"peers":
			print("PEERS %s" % _peers())
		"seal":
			c.eq(client.seal_lobby(), OK, "seal_lobby()")
		"report":
			game.report(words[1])
		"quit":
			_quit()
		_:
			c.ok(false, "unknown command %s" % p_command)


func _quit():
	client.stop()
	c.finish(self)


func _peers():
	var ids = Array(get_network_connected_peers())
	ids.sort()
	var text = PoolStringArray()
	for id in ids:
		text.append(str(id))
	return text.join(",")


# SIGNALING_MESH=0 creates (and expects) a client-server lobby.
func _mesh():
	return OS.get_environment("SIGNALING_MESH") != "0"


func _on_signaling_id(p_id, p_use_mesh):
	c.eq(p_use_mesh, _mesh(), "the lobby's mode")
	print("SIG ID %d" % p_id)


func _on_lobby(p_lobby):
	print("SIG LOBBY %s" % p_lobby)


func _on_signaling_peer(p_id):
	print("SIG PEER %d" % p_id)


func _on_sealed():
	print("SIG SEALED")


func _on_signaling_closed(p_code, p_reason):
	print("SIG CLOSED %d %s" % [p_code, p_reason])


func _on_mp_connected(p_id):
	print("MP CONNECTED %d" % p_id)


func _on_mp_disconnected(p_id):
	print("MP DISCONNECTED %d" % p_id)
