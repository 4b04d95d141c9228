# Issue 12: a project setting webrtc_ts/log_level that is not a level is one warning naming
# the setting and the default, as the worker starts; the default level follows.
# (Godot 3: tests/godot3/log_level_bad.gd.)
# runner-setting: webrtc_ts/log_level="loud"
# runner-expect-once: the project setting webrtc_ts/log_level is "loud", not one of error, warning, info, debug, verbose; using warning
# runner-absent: [libdatachannel]
# runner-absent: webrtc_ts: connection state
extends "res://tests/godot4/lib/scene.gd"


func _initialize() -> void:
	c = Check.new("log_level_bad")
	c.eq(ProjectSettings.get_setting("webrtc_ts/log_level", ""), "loud", "the project setting, from override.cfg")
	var pair := Pair.new()
	pair.setup()
	pair.a.create_data_channel("chat", {})
	c.ok(pair.connect_pair(), "a pair connects on loopback at the default level")
	Check.pump_for([pair], 300)
	pair.close()
	c.finish(self)
