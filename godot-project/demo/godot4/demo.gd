# The multiplayer demo, Godot 4 dialect (the Godot 3 one is demo/godot3/demo.gd; the two
# differ only where the language does). A game starts from here.
#
# Players meet in a lobby of the signalling server (signaling/ in the repository: `npm run
# signaling -- --port 9080`). The addon's signalling client turns the lobby into a
# WebRTCMultiplayerPeer mesh, and from then on it is Godot's ordinary high-level multiplayer:
#   - every player moves a square (arrow keys); its position goes to everyone every frame,
#     unreliable (a lost position is replaced by the next one);
#   - hello (join), chat, "finished" and "goodbye" go reliable, in order; a departure is
#     the engine's peer_disconnected;
#   - every message goes to each connected peer by id (rpc_id), as the Godot 3 variant must;
#   - the top panel shows each peer's round-trip time and whether the link is direct or
#     relayed through a TURN server (the addon's WebRTCPeerConnection.get_stats()).
#
# Command line (after "--"), e.g. `godot --path <project> res://demo/godot4/demo.tscn --
# --host --name=alice`:
#   --host                 create a lobby; its name is printed and shown: give it to the others
#   --join=LOBBY           join that lobby
#   --name=NAME            your name (default "player")
#   --server=URL           the signalling server (default ws://127.0.0.1:9080)
#   --bot                  a scripted player (bot.gd): moves by itself, chats, quits when done
#   --players=N            (bot) how many players to wait for, itself included (default 2)
#   --quit-after=SECONDS   (bot) give up after this long, exit code 1 (default 60)
#   --screenshot=PATH      (bot) save the window as a PNG once everything is on screen
# Without --host or --join, a menu asks.
#
# Every line this prints starts with a word the headless test reads (scripts/run-demo.mjs):
# "lobby", "me", "join", "leave", "position", "chat", "stats", "done", "FAILED".
extends Control

const MultiplayerClient = preload("res://addons/webrtc_ts/signaling/godot4/multiplayer_client.gd")
const Hud = preload("res://demo/godot4/hud.gd")
const Bot = preload("res://demo/godot4/bot.gd")

# ICE configuration of every connection. This one stays on this machine (loopback only), which
# is what the headless demo and its test need. Between machines, remove "libdatachannel" and
# add a STUN server, plus a TURN server for players behind strict NATs (their links then
# show as "relayed"):
#   {"iceServers": [{"urls": ["stun:stun.l.google.com:19302"]},
#                   {"urls": ["turn:turn.example.org:3478"], "username": "u", "credential": "p"}]}
const WEBRTC_CONFIG = {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}
const DEFAULT_SERVER = "ws://127.0.0.1:9080"
const SPEED = 240.0 # pixels per second
const SQUARE = 40.0 # side of a player's square, pixels
const HELLO_EVERY_S = 0.5 # resend hello until the peer acknowledges it
const STATS_EVERY_S = 0.5
const POSITIONS_PRINTED = 3 # per player, so the console is not flooded at frame rate

# id -> {name, color, position, node (its square), hello_acked, said_hello, and what arrived:
# positions, chats (counts), stats (the last get_stats() Dictionary), finished, leaving}
var players := {}
var my_id := 0
var my_name := "player"
var lobby := ""
var client: MultiplayerClient = null
var hud: Hud = null
var bot: Bot = null
var _hello_timer := 0.0
var _stats_timer := 0.0


func _ready() -> void:
	Engine.max_fps = 60 # headless Godot would otherwise spin a core
	set_anchors_and_offsets_preset(Control.PRESET_FULL_RECT)
	hud = Hud.new()
	add_child(hud)
	hud.start_requested.connect(start)
	hud.chat_submitted.connect(send_chat)
	multiplayer.peer_connected.connect(_on_peer_connected)
	multiplayer.peer_disconnected.connect(_on_peer_disconnected)
	var args := _arguments()
	my_name = args.get("name", my_name)
	if args.has("bot"):
		bot = Bot.new()
		bot.name = "Bot"
		add_child(bot)
		bot.begin(self, args.get("players", "2").to_int(), args.get("quit-after", "60").to_float(),
				args.get("screenshot", ""))
	var server: String = args.get("server", DEFAULT_SERVER)
	if args.has("host"):
		start(server, my_name, "")
	elif args.has("join"):
		start(server, my_name, args["join"])
	else:
		hud.show_menu(my_name, server)


# --key=value and --flag arguments after "--".
func _arguments() -> Dictionary:
	var result := {}
	for arg in OS.get_cmdline_user_args():
		if arg.begins_with("--") and arg.length() > 2:
			var parts := arg.substr(2).split("=", true, 1)
			result[parts[0]] = parts[1] if parts.size() > 1 else ""
	return result


# Joins p_lobby ("" creates one) on the signalling server at p_server.
func start(p_server: String, p_name: String, p_lobby: String) -> void:
	my_name = p_name
	client = MultiplayerClient.new()
	client.name = "Signaling"
	client.webrtc_config = WEBRTC_CONFIG
	add_child(client)
	client.connected.connect(_on_signaling_id)
	client.lobby_joined.connect(_on_lobby_joined)
	client.disconnected.connect(_on_signaling_closed)
	var err: Error = client.start(p_server, p_lobby)
	if err != OK:
		fail("cannot reach the signalling server at %s (%s)" % [p_server, error_string(err)])


func _on_signaling_id(p_id: int, _mesh: bool) -> void:
	my_id = p_id
	_add_player(my_id, my_name, Vector2(80 + randi() % 400, 120 + randi() % 200))
	print("me %d %s" % [my_id, my_name])


func _on_lobby_joined(p_lobby: String) -> void:
	lobby = p_lobby
	print("lobby %s" % lobby)
	hud.set_lobby(lobby, my_id == 1)
	# A game's host would seal the lobby once the match starts (client.seal_lobby()): nobody
	# else may join, the server lets go of everyone, and the WebRTC links stay.


func _on_signaling_closed(p_code: int, p_reason: String) -> void:
	if my_id == 0:
		fail("the signalling server closed the connection: %d %s" % [p_code, p_reason])


# A WebRTC link to p_id is up: introduce ourselves (again and again until acknowledged, as
# the Godot 3 variant must; here it costs one extra message).
func _on_peer_connected(p_id: int) -> void:
	if not players.has(p_id):
		players[p_id] = _new_player("peer %d" % p_id)
	_say_hello(p_id)


func _on_peer_disconnected(p_id: int) -> void:
	if not players.has(p_id):
		return
	var player = players[p_id]
	if player.said_hello:
		print("leave %s (peer %d)" % [player.name, p_id])
		hud.add_chat_line("* %s left" % player.name)
	if player.node != null:
		player.node.queue_free()
	players.erase(p_id)


# What a player tells the others about itself: a game would add its character, team, etc.
func _say_hello(p_id: int) -> void:
	hello.rpc_id(p_id, my_name, players[my_id].color)


@rpc("any_peer", "reliable")
func hello(p_name: String, p_color: Color) -> void:
	var id := multiplayer.get_remote_sender_id()
	hello_ack.rpc_id(id)
	if players.has(id) and players[id].said_hello:
		return # a resent hello
	var at: Vector2 = players[id].position if players.has(id) else Vector2(-100, -100)
	var player = _add_player(id, p_name, at, p_color)
	player.said_hello = true
	print("join %s (peer %d)" % [p_name, id])
	hud.add_chat_line("* %s joined" % p_name)


@rpc("any_peer", "reliable")
func hello_ack() -> void:
	var id := multiplayer.get_remote_sender_id()
	if players.has(id):
		players[id].hello_acked = true


@rpc("any_peer", "unreliable")
func update_position(p_position: Vector2) -> void:
	var id := multiplayer.get_remote_sender_id()
	if not players.has(id):
		return
	var player = players[id]
	player.position = p_position
	player.positions += 1
	if player.node != null:
		player.node.position = p_position
	if player.positions <= POSITIONS_PRINTED:
		print("position %s %d,%d" % [player.name, p_position.x, p_position.y])


@rpc("any_peer", "reliable")
func chat(p_text: String) -> void:
	var id := multiplayer.get_remote_sender_id()
	if not players.has(id):
		return
	var who: String = players[id].name
	players[id].chats += 1
	print("chat %s: %s" % [who, p_text])
	hud.add_chat_line("%s: %s" % [who, p_text])


# The bot's "I have seen everything": the players quit once all of them said it.
@rpc("any_peer", "reliable")
func finished() -> void:
	var id := multiplayer.get_remote_sender_id()
	if players.has(id):
		players[id].finished = true


# The sender quits in a moment: stop sending to it (a message to a closed link is an error).
@rpc("any_peer", "reliable")
func goodbye() -> void:
	var id := multiplayer.get_remote_sender_id()
	if players.has(id):
		players[id].leaving = true


func send_chat(p_text: String) -> void:
	if my_id == 0 or p_text.strip_edges() == "":
		return
	for id in multiplayer.get_peers():
		chat.rpc_id(id, p_text)
	print("chat %s: %s" % [my_name, p_text])
	hud.add_chat_line("%s: %s" % [my_name, p_text])


func send_finished() -> void:
	for id in multiplayer.get_peers():
		finished.rpc_id(id)


func send_goodbye() -> void:
	for id in multiplayer.get_peers():
		goodbye.rpc_id(id)


func _process(p_delta: float) -> void:
	if my_id == 0 or not players.has(my_id):
		return
	var me = players[my_id]
	var direction := Vector2()
	if bot != null:
		direction = bot.direction(me.position)
	else:
		direction = Input.get_vector("ui_left", "ui_right", "ui_up", "ui_down")
	me.position = _clamp(me.position + direction.normalized() * SPEED * p_delta)
	me.node.position = me.position
	for id in multiplayer.get_peers():
		if players.has(id) and not players[id].leaving:
			update_position.rpc_id(id, me.position)

	_hello_timer += p_delta
	if _hello_timer >= HELLO_EVERY_S:
		_hello_timer = 0.0
		for id in multiplayer.get_peers():
			if players.has(id) and not players[id].hello_acked:
				_say_hello(id)
	_stats_timer += p_delta
	if _stats_timer >= STATS_EVERY_S:
		_stats_timer = 0.0
		_update_stats()
	hud.show_players(players, my_id)


# Each peer's link, from the addon: round-trip time and the candidate pair in use. A relayed
# link (either end's candidate is a TURN relay) costs a detour through the TURN server.
func _update_stats() -> void:
	for id in players:
		if id == my_id or not players[id].said_hello or not client.rtc_mp.has_peer(id):
			continue # ourselves, or a peer that has not introduced itself yet
		var pc = client.rtc_mp.get_peer(id).connection # untyped: get_stats() is the addon's
		var stats: Dictionary = pc.get_stats()
		var was_measured := measured(players[id].stats)
		players[id].stats = stats
		if measured(stats) and not was_measured:
			print("stats %s: %s" % [players[id].name, Hud.describe_link(stats)])


# Whether the stats have a round-trip time and the candidate pair in use.
static func measured(p_stats: Dictionary) -> bool:
	return p_stats.get("rtt_msec", 0.0) > 0.0 and not p_stats.get("selected_pair", {}).is_empty()


func _new_player(p_name: String) -> Dictionary:
	return {"name": p_name, "color": Color.WHITE, "position": Vector2(-100, -100), "node": null,
			"hello_acked": false, "said_hello": false, "positions": 0, "chats": 0, "stats": {},
			"finished": false, "leaving": false}


func _add_player(p_id: int, p_name: String, p_position: Vector2,
		p_color: Variant = null) -> Dictionary:
	var player = players[p_id] if players.has(p_id) else _new_player(p_name)
	player.name = p_name
	player.position = p_position
	# A colour of its own from the name (a game would let players choose, or use skins).
	var hue := float(hash(p_name) % 360) / 360.0
	player.color = p_color if p_color is Color else Color.from_hsv(hue, 0.6, 0.95)
	if player.node == null:
		player.node = hud.make_square(p_name, player.color, SQUARE)
	player.node.position = p_position
	players[p_id] = player
	return player


func _clamp(p_position: Vector2) -> Vector2:
	var room := get_viewport_rect().size - Vector2(SQUARE, SQUARE)
	return Vector2(clampf(p_position.x, 0, room.x), clampf(p_position.y, 0, room.y))


func fail(p_why: String) -> void:
	print("FAILED: %s" % p_why)
	quit(1)


func quit(p_code: int = 0) -> void:
	set_process(false)
	if client != null:
		client.stop()
	get_tree().quit(p_code)
