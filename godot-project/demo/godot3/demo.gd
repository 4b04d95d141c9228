# The multiplayer demo, Godot 3 dialect (the Godot 4 one is demo/godot4/demo.gd; the two
# differ only where the language does). A game starts from here.
#
# Players meet in a lobby of the signalling server (signaling/ in the repository: `npm run
# signaling -- --port 9080`). The addon's signalling client turns the lobby into a
# WebRTCMultiplayer mesh, and from then on it is Godot's ordinary high-level multiplayer:
#   - every player moves a square (arrow keys); its position goes to everyone every frame,
#     unreliable (a lost position is replaced by the next one);
#   - hello (join), chat, "finished" and "goodbye" go reliable, in order; a departure is
#     the engine's network_peer_disconnected;
#   - every message goes to each connected peer by id (rpc_id), never as a broadcast (rpc()),
#     which would also hit the links still being opened;
#   - the top panel shows each peer's round-trip time and whether the link is direct or
#     relayed through a TURN server (the addon's WebRTCPeerConnection.get_stats()).
#
# Command line (after "--"), e.g. `godot3 --path godot-project -- --host --name=alice`:
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

const MultiplayerClient = preload("res://addons/webrtc_ts/signaling/godot3/multiplayer_client.gd")
const Hud = preload("res://demo/godot3/hud.gd")
const Bot = preload("res://demo/godot3/bot.gd")

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
var players = {}
var my_id = 0
var my_name = "player"
var lobby = ""
var client = null
var hud = null
var bot = null
var _hello_timer = 0.0
var _stats_timer = 0.0


func _ready():
	Engine.target_fps = 60 # headless Godot would otherwise spin a core
	set_anchors_and_margins_preset(Control.PRESET_WIDE)
	hud = Hud.new()
	add_child(hud)
	hud.connect("start_requested", self, "start")
	hud.connect("chat_submitted", self, "send_chat")
	get_tree().connect("network_peer_connected", self, "_on_peer_connected")
	get_tree().connect("network_peer_disconnected", self, "_on_peer_disconnected")
	var args = _arguments()
	my_name = args.get("name", my_name)
	if args.has("bot"):
		bot = Bot.new()
		bot.name = "Bot"
		add_child(bot)
		bot.begin(self, int(args.get("players", "2")), float(args.get("quit-after", "60")),
				args.get("screenshot", ""))
	var server = args.get("server", DEFAULT_SERVER)
	if args.has("host"):
		start(server, my_name, "")
	elif args.has("join"):
		start(server, my_name, args["join"])
	else:
		hud.show_menu(my_name, server)


# --key=value and --flag arguments after "--" (or anywhere, as Godot 3 passes them all on).
func _arguments():
	var result = {}
	for arg in OS.get_cmdline_args():
		if arg.begins_with("--") and arg.length() > 2:
			var parts = arg.substr(2, arg.length()).split("=", true, 1)
			result[parts[0]] = parts[1] if parts.size() > 1 else ""
	return result


# Joins p_lobby ("" creates one) on the signalling server at p_server.
func start(p_server, p_name, p_lobby):
	my_name = p_name
	client = MultiplayerClient.new()
	client.name = "Signaling"
	client.webrtc_config = WEBRTC_CONFIG
	add_child(client)
	client.connect("connected", self, "_on_signaling_id")
	client.connect("lobby_joined", self, "_on_lobby_joined")
	client.connect("disconnected", self, "_on_signaling_closed")
	var err = client.start(p_server, p_lobby)
	if err != OK:
		fail("cannot reach the signalling server at %s (error %d)" % [p_server, err])


func _on_signaling_id(p_id, _mesh):
	my_id = p_id
	_add_player(my_id, my_name, Vector2(80 + randi() % 400, 120 + randi() % 200))
	print("me %d %s" % [my_id, my_name])


func _on_lobby_joined(p_lobby):
	lobby = p_lobby
	print("lobby %s" % lobby)
	hud.set_lobby(lobby, my_id == 1)
	# A game's host would seal the lobby once the match starts (client.seal_lobby()): nobody
	# else may join, the server lets go of everyone, and the WebRTC links stay.


func _on_signaling_closed(p_code, p_reason):
	if my_id == 0:
		fail("the signalling server closed the connection: %d %s" % [p_code, p_reason])


# A WebRTC link to p_id is up: introduce ourselves (again and again until acknowledged,
# because Godot 3.2 may drop an RPC that arrives before its end has seen the link up too).
func _on_peer_connected(p_id):
	if not players.has(p_id):
		players[p_id] = _new_player("peer %d" % p_id)
	_say_hello(p_id)


func _on_peer_disconnected(p_id):
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
func _say_hello(p_id):
	rpc_id(p_id, "hello", my_name, players[my_id].color)


remote func hello(p_name, p_color):
	var id = get_tree().get_rpc_sender_id()
	rpc_id(id, "hello_ack")
	if players.has(id) and players[id].said_hello:
		return # a resent hello
	var at = players[id].position if players.has(id) else Vector2(-100, -100)
	var player = _add_player(id, p_name, at, p_color)
	player.said_hello = true
	print("join %s (peer %d)" % [p_name, id])
	hud.add_chat_line("* %s joined" % p_name)


remote func hello_ack():
	var id = get_tree().get_rpc_sender_id()
	if players.has(id):
		players[id].hello_acked = true


remote func update_position(p_position):
	var id = get_tree().get_rpc_sender_id()
	if not players.has(id):
		return
	var player = players[id]
	player.position = p_position
	player.positions += 1
	if player.node != null:
		player.node.rect_position = p_position
	if player.positions <= POSITIONS_PRINTED:
		print("position %s %d,%d" % [player.name, p_position.x, p_position.y])


remote func chat(p_text):
	var id = get_tree().get_rpc_sender_id()
	if not players.has(id):
		return
	var who = players[id].name
	players[id].chats += 1
	print("chat %s: %s" % [who, p_text])
	hud.add_chat_line("%s: %s" % [who, p_text])


# The bot's "I have seen everything": the players quit once all of them said it.
remote func finished():
	var id = get_tree().get_rpc_sender_id()
	if players.has(id):
		players[id].finished = true


# The sender quits in a moment: stop sending to it (a message to a closed link is an error).
remote func goodbye():
	var id = get_tree().get_rpc_sender_id()
	if players.has(id):
		players[id].leaving = true


func send_chat(p_text):
	if my_id == 0 or p_text.strip_edges() == "":
		return
	for id in get_tree().get_network_connected_peers():
		rpc_id(id, "chat", p_text)
	print("chat %s: %s" % [my_name, p_text])
	hud.add_chat_line("%s: %s" % [my_name, p_text])


func send_finished():
	for id in get_tree().get_network_connected_peers():
		rpc_id(id, "finished")


func send_goodbye():
	for id in get_tree().get_network_connected_peers():
		rpc_id(id, "goodbye")


func _process(p_delta):
	if my_id == 0 or not players.has(my_id):
		return
	var me = players[my_id]
	var direction = Vector2()
	if bot != null:
		direction = bot.direction(me.position)
	else:
		direction.x = Input.get_action_strength("ui_right") - Input.get_action_strength("ui_left")
		direction.y = Input.get_action_strength("ui_down") - Input.get_action_strength("ui_up")
	me.position = _clamp(me.position + direction.normalized() * SPEED * p_delta)
	me.node.rect_position = me.position
	# To each connected peer by id: a broadcast (rpc_unreliable) would also reach the links
	# WebRTCMultiplayer is still opening and fail on them.
	for id in get_tree().get_network_connected_peers():
		if players.has(id) and not players[id].leaving:
			rpc_unreliable_id(id, "update_position", me.position)

	_hello_timer += p_delta
	if _hello_timer >= HELLO_EVERY_S:
		_hello_timer = 0.0
		for id in get_tree().get_network_connected_peers():
			if players.has(id) and not players[id].hello_acked:
				_say_hello(id)
	_stats_timer += p_delta
	if _stats_timer >= STATS_EVERY_S:
		_stats_timer = 0.0
		_update_stats()
	hud.show_players(players, my_id)


# Each peer's link, from the addon: round-trip time and the candidate pair in use. A relayed
# link (either end's candidate is a TURN relay) costs a detour through the TURN server.
func _update_stats():
	for id in players:
		if id == my_id or not players[id].said_hello or not client.rtc_mp.has_peer(id):
			continue # ourselves, or a peer that has not introduced itself yet
		var pc = client.rtc_mp.get_peer(id).connection
		var stats = pc.get_stats()
		var was_measured = measured(players[id].stats)
		players[id].stats = stats
		if measured(stats) and not was_measured:
			print("stats %s: %s" % [players[id].name, Hud.describe_link(stats)])


# Whether the stats have a round-trip time and the candidate pair in use.
static func measured(p_stats):
	return p_stats.get("rtt_msec", 0.0) > 0.0 and not p_stats.get("selected_pair", {}).empty()


func _new_player(p_name):
	return {"name": p_name, "color": Color.white, "position": Vector2(-100, -100), "node": null,
			"hello_acked": false, "said_hello": false, "positions": 0, "chats": 0, "stats": {},
			"finished": false, "leaving": false}


func _add_player(p_id, p_name, p_position, p_color = null):
	var player = players[p_id] if players.has(p_id) else _new_player(p_name)
	player.name = p_name
	player.position = p_position
	# A colour of its own from the name (a game would let players choose, or use skins).
	var hue = float(hash(p_name) % 360) / 360.0
	player.color = p_color if typeof(p_color) == TYPE_COLOR else Color().from_hsv(hue, 0.6, 0.95)
	if player.node == null:
		player.node = hud.make_square(p_name, player.color, SQUARE)
	player.node.rect_position = p_position
	players[p_id] = player
	return player


func _clamp(p_position):
	var room = get_viewport_rect().size - Vector2(SQUARE, SQUARE)
	return Vector2(clamp(p_position.x, 0, room.x), clamp(p_position.y, 0, room.y))


func fail(p_why):
	print("FAILED: %s" % p_why)
	quit(1)


func quit(p_code = 0):
	set_process(false)
	if client != null:
		client.stop()
	get_tree().quit(p_code)
