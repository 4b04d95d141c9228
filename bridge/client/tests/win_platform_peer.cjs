// The worker side of win_platform_peer.c: map the region from GODOT_WEBRTC_REGION_HANDLE with
// shm.node (GODOT_WEBRTC_SHM_ADDON), check its magic, mark it, connect the doorbell pipe and ring;
// answer one ring; exit 0 when the client hangs up.
'use strict';
const net = require('node:net');
const addon = require(process.env.GODOT_WEBRTC_SHM_ADDON);
const buffer = addon.map(Number(process.env.GODOT_WEBRTC_REGION_HANDLE));
const bytes = new Uint8Array(buffer);
const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
if (magic !== 'GWRB' && magic !== 'BRWG') process.exit(3);
bytes[2048] = 0x5a;
const socket = net.connect(process.env.GODOT_WEBRTC_DOORBELL_PIPE);
socket.on('connect', () => socket.write(Buffer.from([1])));
socket.on('data', () => {
  bytes[2048] = 0x5b;
  socket.write(Buffer.from([1]));
});
socket.on('error', () => process.exit(0));
socket.on('end', () => process.exit(0));
socket.on('close', () => process.exit(0));
