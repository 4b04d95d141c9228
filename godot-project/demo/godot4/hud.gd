# The demo's screen, built in code so that it reads top to bottom (a game would design it in
# the editor instead): the playing field with one square per player, the panel at the top
# (lobby, players, each link's round-trip time and route), the chat log and the chat line at
# the bottom, and the start menu. Godot 4 dialect (Godot 3: demo/godot3/hud.gd).
extends Control

signal start_requested(server: String, player_name: String, lobby: String) # lobby "": a new one
signal chat_submitted(text: String)

const CHAT_LINES = 8

var field := Control.new() # the squares live here, under the panels
var panel_text := Label.new()
var chat_log := Label.new()
var chat_input := LineEdit.new()
var menu: PanelContainer = null
var lobby_line := "Not in a lobby yet"
var _chat: Array[String] = []


func _ready() -> void:
	set_anchors_and_offsets_preset(Control.PRESET_FULL_RECT)
	mouse_filter = Control.MOUSE_FILTER_IGNORE
	var background := ColorRect.new()
	background.color = Color(0.11, 0.12, 0.16)
	background.set_anchors_and_offsets_preset(Control.PRESET_FULL_RECT)
	add_child(background)
	add_child(field)

	var top := PanelContainer.new()
	top.position = Vector2(8, 8)
	panel_text.text = "Host a lobby or join one"
	top.add_child(panel_text)
	add_child(top)

	chat_log.set_anchors_and_offsets_preset(Control.PRESET_BOTTOM_LEFT)
	chat_log.grow_vertical = Control.GROW_DIRECTION_BEGIN
	chat_log.offset_left = 10
	chat_log.offset_bottom = -44
	chat_log.vertical_alignment = VERTICAL_ALIGNMENT_BOTTOM
	add_child(chat_log)

	chat_input.set_anchors_and_offsets_preset(Control.PRESET_BOTTOM_WIDE)
	chat_input.offset_left = 8
	chat_input.offset_right = -8
	chat_input.offset_top = -36
	chat_input.offset_bottom = -8
	chat_input.placeholder_text = "Chat: type and press Enter (arrow keys move your square)"
	chat_input.text_submitted.connect(_on_chat_entered)
	add_child(chat_input)


func make_square(p_name: String, p_color: Color, p_size: float) -> ColorRect:
	var square := ColorRect.new()
	square.color = p_color
	square.size = Vector2(p_size, p_size)
	var label := Label.new()
	label.text = p_name
	label.position = Vector2(0, p_size + 2)
	square.add_child(label)
	field.add_child(square)
	return square


func set_lobby(p_lobby: String, p_host: bool) -> void:
	if p_host:
		lobby_line = "Lobby %s (you host it: others join with --join=%s)" % [p_lobby, p_lobby]
	else:
		lobby_line = "Lobby %s" % p_lobby


# One line per player; for the others, the link as describe_link() puts it.
func show_players(p_players: Dictionary, p_my_id: int) -> void:
	var lines: Array[String] = [lobby_line]
	for id in p_players:
		var player = p_players[id]
		if id == p_my_id:
			lines.append("%s (you, peer %d)" % [player.name, id])
		elif player.said_hello:
			lines.append("%s (peer %d): %s" % [player.name, id, describe_link(player.stats)])
	panel_text.text = "\n".join(PackedStringArray(lines))


func add_chat_line(p_line: String) -> void:
	_chat.append(p_line)
	while _chat.size() > CHAT_LINES:
		_chat.pop_front()
	chat_log.text = "\n".join(PackedStringArray(_chat))


func _on_chat_entered(p_text: String) -> void:
	chat_input.text = ""
	chat_submitted.emit(p_text)


# Host or join: the name, the signalling server and, to join, the lobby's name.
func show_menu(p_name: String, p_server: String) -> void:
	menu = PanelContainer.new()
	var box := VBoxContainer.new()
	box.custom_minimum_size = Vector2(360, 0)
	menu.add_child(box)
	var name_edit := _field(box, "Your name", p_name)
	var server_edit := _field(box, "Signalling server", p_server)
	var lobby_edit := _field(box, "Lobby to join (empty: host a new one)", "")
	var go := Button.new()
	go.text = "Host or join"
	go.pressed.connect(_on_menu_go.bind(name_edit, server_edit, lobby_edit))
	box.add_child(go)
	menu.grow_horizontal = Control.GROW_DIRECTION_BOTH # stays centred as it takes its size
	menu.grow_vertical = Control.GROW_DIRECTION_BOTH
	add_child(menu)
	menu.set_anchors_and_offsets_preset(Control.PRESET_CENTER)


func _field(p_box: VBoxContainer, p_label: String, p_value: String) -> LineEdit:
	var label := Label.new()
	label.text = p_label
	p_box.add_child(label)
	var edit := LineEdit.new()
	edit.text = p_value
	p_box.add_child(edit)
	return edit


func _on_menu_go(p_name_edit: LineEdit, p_server_edit: LineEdit, p_lobby_edit: LineEdit) -> void:
	menu.queue_free()
	menu = null
	start_requested.emit(p_server_edit.text, p_name_edit.text, p_lobby_edit.text.strip_edges())


# "rtt 0.4 ms, direct (host/host)": a peer's link from its get_stats() Dictionary. Relayed
# means either end's candidate is a TURN relay (every packet detours through the TURN server).
static func describe_link(p_stats: Dictionary) -> String:
	var pair: Dictionary = p_stats.get("selected_pair", {})
	if pair.is_empty():
		return "connecting (%s)" % p_stats.get("connection_state", "no stats yet")
	var local: String = pair["local"]["type"]
	var remote: String = pair["remote"]["type"]
	var route := "relayed" if local == "relay" or remote == "relay" else "direct"
	return "rtt %.1f ms, %s (%s/%s)" % [p_stats.get("rtt_msec", 0.0), route, local, remote]
