// The browser's side of the interop tests: one RTCPeerConnection, plain W3C
// API, no library. Every event goes to the test through window.rtcEvent (an
// exposed function); binary payloads travel as base64 both ways.
'use strict';

const channels = [];
let pc = null;

function emit(event) {
  window.rtcEvent(JSON.stringify(event));
}

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function describe(key, channel) {
  return {
    key,
    label: channel.label,
    protocol: channel.protocol,
    ordered: channel.ordered,
    negotiated: channel.negotiated,
    id: channel.id,
    maxRetransmits: channel.maxRetransmits,
    maxPacketLifeTime: channel.maxPacketLifeTime,
    readyState: channel.readyState,
  };
}

function adopt(channel) {
  const key = channels.length;
  channels.push(channel);
  channel.binaryType = 'arraybuffer';
  channel.onopen = () => emit({ kind: 'open', channel: describe(key, channel) });
  channel.onclose = () => emit({ kind: 'close', key });
  channel.onerror = (e) => emit({ kind: 'channel-error', key, message: String(e.error && e.error.message) });
  channel.onmessage = (e) => {
    const isString = typeof e.data === 'string';
    const bytes = isString ? new TextEncoder().encode(e.data) : new Uint8Array(e.data);
    emit({ kind: 'message', key, isString, data: toBase64(bytes) });
  };
  return key;
}

window.peer = {
  start(configuration) {
    pc = new RTCPeerConnection(configuration);
    pc.onicecandidate = (e) => {
      if (e.candidate) emit({ kind: 'candidate', candidate: e.candidate.candidate, mid: e.candidate.sdpMid, index: e.candidate.sdpMLineIndex });
      else emit({ kind: 'candidates-done' });
    };
    pc.onconnectionstatechange = () => emit({ kind: 'connection', state: pc.connectionState });
    pc.ondatachannel = (e) => emit({ kind: 'datachannel', channel: describe(adopt(e.channel), e.channel) });
  },
  createChannel(label, init) {
    const key = adopt(pc.createDataChannel(label, init));
    return describe(key, channels[key]);
  },
  channel(key) {
    return describe(key, channels[key]);
  },
  async offer() {
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  },
  async answer(offer) {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    return pc.localDescription.sdp;
  },
  async accept(answer) {
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  },
  async addCandidate(candidate, mid, index) {
    await pc.addIceCandidate({ candidate, sdpMid: mid, sdpMLineIndex: index });
  },
  send(key, b64, isString) {
    const bytes = fromBase64(b64);
    channels[key].send(isString ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : bytes);
  },
  close(key) {
    channels[key].close();
  },
  closePeer() {
    pc.close();
  },
  /** What the SCTP transport allows per message (min of both sides' a=max-message-size). */
  sctpMaxMessageSize() {
    return pc.sctp ? pc.sctp.maxMessageSize : null;
  },
  /** The nominated candidate pair, from getStats(). */
  async selectedPair() {
    const stats = await pc.getStats();
    let transport = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) transport = s;
    });
    if (!transport) return null;
    const pair = stats.get(transport.selectedCandidatePairId);
    const side = (id) => {
      const c = stats.get(id);
      return { address: c.address, port: c.port, type: c.candidateType, protocol: c.protocol };
    };
    return { local: side(pair.localCandidateId), remote: side(pair.remoteCandidateId), state: pair.state, nominated: pair.nominated };
  },
  /** Every candidate the browser's ICE agent knows, local and remote. */
  async candidates() {
    const stats = await pc.getStats();
    const out = [];
    stats.forEach((s) => {
      if (s.type === 'local-candidate' || s.type === 'remote-candidate') out.push({ side: s.type, address: s.address, port: s.port, type: s.candidateType });
    });
    return out;
  },
};
