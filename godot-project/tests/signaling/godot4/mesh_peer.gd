# One peer of the Godot 4 signalling mesh test (tests/signaling/godot4-mesh.test.ts, run by
# scripts/run-signaling-tests.sh when GODOT4 names a binary): the Godot 3 scene's lines and
# commands (see tests/signaling/godot3/mesh_peer.gd), through the addon's Godot 4 client and
# WebRTCMultiplayerPeer. SIGNALING_CLIENT may name another client script to use: the test
# points it at lib/demo_client_loopback.gd to run the demo's own client scripts.
extends SceneTree

const Check = preload("res://tests/godot4/lib/check.gd")
const RpcCounter = preload("res://tests/signaling/godot4/lib/rpc_counter.gd")
const DEFAULT_CLIENT := "res://addons/webrtc_ts/signaling/godot4/multiplayer_client.gd"

# The scene quits by itself after this long, should the test that drives it be gone.
const LIFETIME_MS := 600000
const CONTROL_POLL_MS := 50

var c: Check = null
var client: Node = null
var game: Node = null
var control_path := ""
var commands_done := 0
var next_control_read := 0
var started := 0
var _began := false


func _initialize() -> void:
	c = Check.new("signaling_mesh")
	started = Time.get_ticks_msec()
	Engine.max_fps = 120 # the loop only polls: leave the cores to the other peers
	control_path = OS.get_environment("SIGNALING_CONTROL")
	c.ok(control_path != "", "SIGNALING_CONTROL is set")


# Godot 4 puts nodes added during _initialize() into the tree only once the main loop runs.
func _process(_delta: float) -> bool:
	if not _began:
		_began = true
		_begin()
	if c.finished:
		return false
	var now := Time.get_ticks_msec()
	if now - started > LIFETIME_MS:
		c.ok(false, "the test stopped sending commands")
		_quit()
	elif now >= next_control_read:
		next_control_read = now + CONTROL_POLL_MS
		_run_new_commands()
	return false


func _begin() -> void:
	game = RpcCounter.new()
	game.name = "Game"
	var count := OS.get_environment("SIGNALING_RPC_COUNT")
	if count.is_valid_int():
		game.total = count.to_int()
	get_root().add_child(game)

	var script_path := OS.get_environment("SIGNALING_CLIENT")
	if script_path == "":
		script_path = DEFAULT_CLIENT
	client = load(script_path).new()
	client.name = "Signaling"
	if "webrtc_config" in client:
		client.webrtc_config = Check.loopback()
	get_root().add_child(client)
	client.connected.connect(_on_signaling_id)
	client.lobby_joined.connect(_on_lobby)
	client.lobby_sealed.connect(_on_sealed)
	client.peer_connected.connect(_on_signaling_peer)
	client.disconnected.connect(_on_signaling_closed)
	get_multiplayer().peer_connected.connect(_on_mp_connected)
	get_multiplayer().peer_disconnected.connect(_on_mp_disconnected)
	var url := OS.get_environment("SIGNALING_URL")
	var result: Variant = client.start(url, OS.get_environment("SIGNALING_LOBBY"), _mesh())
	if typeof(result) == TYPE_INT: # the demo's start() returns nothing
		c.eq(result, OK, "start(%s)" % url)


func _run_new_commands() -> void:
	if not FileAccess.file_exists(control_path):
		return
	var text := FileAccess.get_file_as_string(control_path)
	var lines := text.split("\n")
	# The last element is after the last newline: a line still being written, or "".
	for i in range(commands_done, lines.size() - 1):
		commands_done += 1
		_run(lines[i].strip_edges())


func _run(p_command: String) -> void:
	var words := p_command.split(" ", false)
	if words.size() == 0:
		return
	match words[0]:
		"rpc":
			if not c.ok(get_multiplayer().has_multiplayer_peer(), "a multiplayer peer to RPC through"):
				return
			for n in range(game.total):
				game.rpc("unreliable_rpc", words[1], n)
				game.rpc("reliable_rpc", words[1], n)
			print("SENT %s" % words[1])
		"peers":
			var ids := Array(get_multiplayer().get_peers())
			ids.sort()
			print("PEERS %s" % ",".join(PackedStringArray(ids.map(func(id): return str(id)))))
		"seal":
			client.seal_lobby()
		"report":
			game.report(words[1])
		"quit":
			_quit()
		_:
			c.ok(false, "unknown command %s" % p_command)


func _quit() -> void:
	client.stop()
	c.finish(self)


# SIGNALING_MESH=0 creates (and expects) a client-server lobby.
func _mesh() -> bool:
	return OS.get_environment("SIGNALING_MESH") != "0"


func _on_signaling_id(p_id: int, p_use_mesh: bool) -> void:
	c.eq(p_use_mesh, _mesh(), "the lobby's mode")
	print("SIG ID %d" % p_id)


func _on_lobby(p_lobby: String) -> void:
	print("SIG LOBBY %s" % p_lobby)


func _on_signaling_peer(p_id: int) -> void:
	print("SIG PEER %d" % p_id)


func _on_sealed() -> void:
	print("SIG SEALED")


# The addon's client passes the close code and reason; the demo's passes nothing and keeps
# them in `code` and `reason`.
func _on_signaling_closed(p_code: int = -2, p_reason: String = "") -> void:
	if p_code == -2:
		p_code = client.get("code")
		p_reason = client.get("reason")
	print("SIG CLOSED %d %s" % [p_code, p_reason])


func _on_mp_connected(p_id: int) -> void:
	print("MP CONNECTED %d" % p_id)


func _on_mp_disconnected(p_id: int) -> void:
	print("MP DISCONNECTED %d" % p_id)
