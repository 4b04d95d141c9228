#!/usr/bin/env node
// Generates bridge_protocol.h (C11) and protocol.ts (TypeScript) from protocol.json,
// the one definition of the bridge's shared-memory ABI.
//
//   node bridge/protocol/generate.mjs           write both files
//   node bridge/protocol/generate.mjs --check   exit 1 if a committed file differs
//
// No dependencies. The generator validates the definition (offsets ascending and naturally
// aligned, structs fit their size, enum values unique, message kinds in range, every assert
// true) and fails loudly instead of emitting a wrong ABI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApi } from '../../godot-api/api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'protocol.json');
const C_OUT = join(here, 'bridge_protocol.h');
const TS_OUT = join(here, 'protocol.ts');

function fail(message) {
  process.stderr.write(`generate.mjs: ${message}\n`);
  process.exit(2);
}

// ---- expressions: integer arithmetic over constants defined earlier ----------------------
const TOKEN = /\s*(0x[0-9a-fA-F]+|\d+|[A-Z][A-Z0-9_]*|<<|>>|==|!=|<=|>=|&&|\|\||[-+*/%()<>])/y;

function tokenize(expr) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(expr);
    if (!m || m[1] === undefined) fail(`bad expression '${expr}' at ${at}`);
    tokens.push(m[1]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function evaluate(expr, scope) {
  if (typeof expr === 'number') return expr;
  const tokens = tokenize(String(expr));
  const js = tokens
    .map((t) => {
      if (/^[A-Z]/.test(t)) {
        if (!(t in scope)) fail(`'${expr}': unknown constant ${t} (define it above its use)`);
        return `(${scope[t]})`;
      }
      if (t === '/') return '/';
      return t;
    })
    .join(' ');
  const value = Function(`"use strict"; return (${js});`)();
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    fail(`'${expr}' is not an integer (${value})`);
  }
  return value;
}

function cExpr(expr, prefix) {
  return tokenize(String(expr))
    .map((t) => (/^[A-Z]/.test(t) ? `${prefix}${t}` : t))
    .join(' ');
}

// ---- load and validate ------------------------------------------------------------------
const def = JSON.parse(readFileSync(SOURCE, 'utf8'));
const P = def.c_prefix.toUpperCase() + '_';
const p = def.c_prefix + '_';
const scope = {};
const constants = [];

const magic = Number(def.magic.value);
const version = def.version.value;
scope.MAGIC = magic;
scope.VERSION = version;

for (const c of def.constants) {
  if (c.name in scope) fail(`constant ${c.name} defined twice`);
  const value = evaluate(c.value, scope);
  if (c.type === 'u32' && (value < 0 || value > 0xffffffff)) fail(`${c.name} does not fit u32`);
  scope[c.name] = value;
  constants.push({ ...c, value, expr: String(c.value) });
}

for (const a of def.asserts) {
  if (evaluate(a.expr, scope) !== true) fail(`assert failed: ${a.expr} (${a.doc})`);
}

function checkEnum(label, values, key = 'value') {
  const seen = new Set();
  const names = new Set();
  for (const v of values) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(v.name)) fail(`${label}: bad name ${v.name}`);
    if (names.has(v.name)) fail(`${label}: duplicate name ${v.name}`);
    if (seen.has(v[key])) fail(`${label}: duplicate value ${v[key]} (${v.name})`);
    names.add(v.name);
    seen.add(v[key]);
  }
}

const features = def.features.values;
checkEnum('features', features, 'bit');
for (const f of features) if (f.bit < 0 || f.bit > 30) fail(`feature ${f.name}: bit out of range`);
const featuresKnown = features.reduce((m, f) => m | (1 << f.bit), 0);
const featuresRequired = features.filter((f) => f.required).reduce((m, f) => m | (1 << f.bit), 0);

const statuses = def.status.values;
checkEnum('status', statuses);
statuses.forEach((s, i) => {
  if (s.value !== i) fail(`status ${s.name}: values must be 0..n-1 in order`);
});

const recordTypes = def.record_types.values;
checkEnum('record_types', recordTypes);
const typeMax = def.record_types.max;
const ranges = def.record_types.ranges;
const messageRange = ranges.find((r) => r.name === 'MESSAGE');
if (!messageRange) fail('record_types.ranges needs MESSAGE');
for (const r of ranges) {
  if (r.first > r.last || r.last > typeMax) fail(`range ${r.name} is empty or above max`);
  for (const t of recordTypes) if (t.value >= r.first && t.value <= r.last) fail(`type ${t.name} inside range ${r.name}`);
}

const rings = def.rings.values;
checkEnum('rings', rings);
if (rings.length !== scope.RING_COUNT) fail('rings.values must have RING_COUNT entries');

// ---- the worker process: inherited descriptors, environment variable names ---------------
const descriptors = def.worker_process.descriptors;
checkEnum('worker_process.descriptors', descriptors);
for (const d of descriptors) {
  if (!Number.isInteger(d.value) || d.value < 3) fail(`descriptor ${d.name}: must be an integer above the standard streams (>= 3)`);
  if (!d.source) fail(`descriptor ${d.name}: needs a source`);
}
const environment = def.worker_process.environment;
checkEnum('worker_process.environment', environment);
for (const e of environment) {
  if (!/^ENV_[A-Z0-9_]+$/.test(e.name)) fail(`environment ${e.name}: name must start with ENV_`);
  if (!/^GODOT_WEBRTC_[A-Z0-9_]+$/.test(e.value)) fail(`environment ${e.name}: ${e.value} must be GODOT_WEBRTC_*`);
  if (!e.source) fail(`environment ${e.name}: needs a source`);
}

// ---- structs ----------------------------------------------------------------------------
const PRIMS = {
  u8: { size: 1, c: 'uint8_t' },
  u16: { size: 2, c: 'uint16_t' },
  u32: { size: 4, c: 'uint32_t' },
  u64: { size: 8, c: 'uint64_t' },
  i32: { size: 4, c: 'int32_t' },
  i64: { size: 8, c: 'int64_t' },
  atomic_u32: { size: 4, c: '_Atomic uint32_t' },
  atomic_u64: { size: 8, c: '_Atomic uint64_t' },
};
const structs = new Map();
for (const s of def.structs) {
  if (!/^[a-z][a-z0-9_]*$/.test(s.name)) fail(`struct name ${s.name} must be snake_case`);
  if (structs.has(s.name)) fail(`struct ${s.name} defined twice`);
  const size = evaluate(s.size, scope);
  let end = 0;
  let align = 1;
  const fields = [];
  for (const f of s.fields) {
    const offset = evaluate(f.offset, scope);
    const count = f.count === undefined ? 1 : evaluate(f.count, scope);
    let elem;
    if (f.type in PRIMS) elem = { size: PRIMS[f.type].size, align: PRIMS[f.type].size, c: PRIMS[f.type].c };
    else if (structs.has(f.type)) {
      const inner = structs.get(f.type);
      elem = { size: inner.size, align: inner.align, c: `${p}${f.type}` };
    } else fail(`${s.name}.${f.name}: unknown type ${f.type}`);
    if (offset < end) fail(`${s.name}.${f.name}: offset ${offset} overlaps the previous field`);
    if (offset % elem.align !== 0) fail(`${s.name}.${f.name}: offset ${offset} not aligned to ${elem.align}`);
    fields.push({ ...f, offset, count, elem, bytes: elem.size * count });
    end = offset + elem.size * count;
    align = Math.max(align, elem.align);
  }
  if (end > size) fail(`${s.name}: fields end at ${end}, beyond size ${size}`);
  if (size % align !== 0) fail(`${s.name}: size ${size} not a multiple of its alignment ${align}`);
  structs.set(s.name, { ...s, size, align, fields });
}

const kinds = def.message_kinds.values;
checkEnum('message_kinds', kinds);
for (const k of kinds) {
  const range = ranges.find((r) => r.name === (k.range ?? 'MESSAGE'));
  if (!range) fail(`message kind ${k.name}: unknown range ${k.range}`);
  if (k.value < range.first || k.value > range.last) fail(`message kind ${k.name} outside its ${range.name} range`);
  if (!rings.some((r) => r.name === k.ring)) fail(`message kind ${k.name}: unknown ring ${k.ring}`);
  if (k.payload !== undefined) {
    const s = structs.get(k.payload);
    if (!s || s.role !== 'payload') fail(`message kind ${k.name}: payload ${k.payload} is not a struct with role payload`);
  }
  if (k.sync !== undefined && k.sync !== true) fail(`message kind ${k.name}: sync is true or absent`);
  if (k.sync) {
    // A synchronous command is answered by a REPLY that repeats its request id, read from the
    // first u32 of its payload before anything else is decoded.
    const first = structs.get(k.payload ?? '')?.fields[0];
    if (k.ring !== 'COMMANDS') fail(`message kind ${k.name}: only a command (ring COMMANDS) can be sync`);
    if (!first || first.name !== 'request_id' || first.offset !== 0 || first.type !== 'u32') {
      fail(`message kind ${k.name}: a sync kind's payload starts with u32 request_id at offset 0`);
    }
  }
}
// The per-kind tables both sides decode with: ring, fixed payload size, synchronous or not.
const kindTable = kinds.map((k) => ({ ...k, size: k.payload ? structs.get(k.payload).size : 0, sync: k.sync === true }));
// A payload's fixed part must fit the allowance kept on top of the largest message.
for (const s of structs.values()) {
  if (s.role === 'payload' && s.size > scope.MESSAGE_HEADER_ALLOWANCE) fail(`payload ${s.name} (${s.size} bytes) exceeds MESSAGE_HEADER_ALLOWANCE`);
  if (!['layout', 'payload', 'part'].includes(s.role)) fail(`struct ${s.name}: role must be layout, payload or part`);
}

// ---- small wire enums -------------------------------------------------------------------
const wireEnums = def.enums.values;
for (const e of wireEnums) {
  if (!/^[a-z][a-z0-9_]*$/.test(e.name)) fail(`enum name ${e.name} must be snake_case`);
  checkEnum(`enum ${e.name}`, e.values);
}

// ---- Godot enums, by name from the engine's API dump -------------------------------------
// Godot enum values are read by name from the engine's API (godot-api/), never from memory.
let dump;
try {
  dump = loadApi().dump;
} catch (error) {
  fail(error.message);
}
const godotEnums = def.godot.enums.map((g) => {
  const source = g.owner === 'global'
    ? dump.global_enums.find((e) => e.name === g.name)
    : dump.classes.find((c) => c.name === g.owner)?.enums?.find((e) => e.name === g.name);
  if (!source) fail(`Godot enum ${g.owner}.${g.name} is not in the API dump`);
  return { ...g, values: source.values.map((v) => ({ name: v.name, value: v.value })) };
});
const godotError = godotEnums.find((g) => g.owner === 'global' && g.name === 'Error');
if (!godotError) fail('godot.enums must include the global Error enum');
const dumpVersion = `${dump.header.version_major}.${dump.header.version_minor}.${dump.header.version_patch}-${dump.header.version_status}`;

// ---- core status ------------------------------------------------------------------------
const coreStatuses = def.core_status.values;
checkEnum('core_status', coreStatuses);
coreStatuses.forEach((s, i) => {
  if (s.value !== i) fail(`core status ${s.name}: values must be 0..n-1 in order`);
  const error = godotError.values.find((v) => v.name === s.godot_error);
  if (!error) fail(`core status ${s.name}: Godot Error ${s.godot_error} is not in the API dump`);
  s.godot_value = error.value;
});

// ---- helpers ----------------------------------------------------------------------------
const docText = (d) => (Array.isArray(d) ? d.join(' ') : d ?? '');
const upper = (s) => s.toUpperCase();
const pascal = (s) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
const hex = (n) => '0x' + n.toString(16).toUpperCase();

function wrap(text, width, lead) {
  const words = docText(text).split(/\s+/).filter(Boolean);
  const lines = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${lead}${l}`);
}
function comment(open, text, indent) {
  const flat = docText(text).replace(/\s+/g, ' ').trim();
  if (indent.length + open.length + flat.length + 4 <= 96) return [`${indent}${open} ${flat} */`];
  return [`${indent}${open}`, ...wrap(text, 88, `${indent} * `), `${indent} */`];
}
const cComment = (text, indent = '') => comment('/*', text, indent);
const tsComment = (text, indent = '') => comment('/**', text, indent);

function structSizeConstant(s) {
  return `${upper(s.name)}_SIZE`;
}

// ---- C ----------------------------------------------------------------------------------
function generateC() {
  const o = [];
  const guard = 'BRIDGE_PROTOCOL_H';
  o.push('/* GENERATED by bridge/protocol/generate.mjs from bridge/protocol/protocol.json.');
  o.push(' * Do not edit: change protocol.json and run `node bridge/protocol/generate.mjs`. */');
  o.push(`#ifndef ${guard}`);
  o.push(`#define ${guard}`);
  o.push('');
  o.push('#include <stdatomic.h>');
  o.push('#include <stddef.h>');
  o.push('#include <stdint.h>');
  o.push('');
  o.push('/* Cross-process atomics must be lock-free (a lock would be private to one process). */');
  o.push('_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "32-bit atomics must be lock-free");');
  o.push('_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");');
  o.push('_Static_assert(sizeof(_Atomic uint64_t) == 8 && _Alignof(_Atomic uint64_t) == 8, "atomic u64 layout");');
  o.push('_Static_assert(sizeof(_Atomic uint32_t) == 4 && _Alignof(_Atomic uint32_t) == 4, "atomic u32 layout");');
  o.push('#if defined(__BYTE_ORDER__)');
  o.push('_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the bridge ABI is little-endian");');
  o.push('#endif');
  o.push('');
  o.push(...cComment(def.magic.doc));
  o.push(`#define ${P}MAGIC ${hex(magic)}u`);
  o.push(...cComment(def.version.doc));
  o.push(`#define ${P}VERSION ${version}u`);
  o.push('');
  o.push('/* ---- constants ---- */');
  for (const c of constants) {
    const src = c.source ? ` Source: ${c.source}.` : '';
    const expr = /^\d+$/.test(c.expr) ? '' : ` (= ${c.expr})`;
    o.push(...cComment(`${c.doc}${src}${expr}`));
    o.push(`#define ${P}${c.name} ${c.value}${c.type === 'u64' ? 'ull' : 'u'}`);
  }
  o.push('');
  for (const a of def.asserts) o.push(`_Static_assert(${cExpr(a.expr, P)}, "${a.doc}");`);
  o.push('');
  o.push('/* ---- feature bits ---- */');
  o.push(...cComment(def.features.doc));
  for (const f of features) {
    o.push(...cComment(f.doc + (f.required ? ' Required.' : ' Optional.')));
    o.push(`#define ${P}FEATURE_${f.name} (UINT64_C(1) << ${f.bit})`);
  }
  o.push(`#define ${P}FEATURES_KNOWN UINT64_C(${hex(featuresKnown)})`);
  o.push(`#define ${P}FEATURES_REQUIRED UINT64_C(${hex(featuresRequired)})`);
  o.push('');
  o.push('/* ---- status codes ---- */');
  o.push(...cComment(def.status.doc));
  o.push(`typedef enum ${p}status {`);
  for (const s of statuses) {
    o.push(...cComment(s.doc, '\t'));
    o.push(`\t${P}STATUS_${s.name} = ${s.value},`);
  }
  o.push(`} ${p}status;`);
  o.push(`#define ${P}STATUS_COUNT ${statuses.length}`);
  o.push('');
  o.push('/* Name of a status code, for logs only; never parse it. */');
  o.push(`static inline const char *${p}status_name(int p_status) {`);
  o.push('\tswitch (p_status) {');
  for (const s of statuses) o.push(`\t\tcase ${P}STATUS_${s.name}: return "${s.name}";`);
  o.push('\t\tdefault: return "UNKNOWN_STATUS";');
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push(`/* ---- Godot enums (from the engine API dump, Godot ${dumpVersion}) ---- */`);
  o.push(...cComment(def.godot.doc));
  for (const g of godotEnums) {
    const cName = `${p}godot_${g.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`;
    o.push(`/* ${g.doc} */`);
    o.push(`typedef enum ${cName} {`);
    for (const v of g.values) o.push(`\t${P}${g.c_prefix}${v.name} = ${v.value},`);
    o.push(`} ${cName};`);
  }
  o.push('');
  o.push('/* ---- core status ---- */');
  o.push(...cComment(def.core_status.doc));
  o.push(`typedef enum ${p}core_status {`);
  for (const s of coreStatuses) {
    o.push(...cComment(`${s.doc} Godot: ${s.godot_error}.`, '\t'));
    o.push(`\t${P}CORE_STATUS_${s.name} = ${s.value},`);
  }
  o.push(`} ${p}core_status;`);
  o.push(`#define ${P}CORE_STATUS_COUNT ${coreStatuses.length}`);
  o.push('');
  o.push('/* Name of a core status, for logs only; never parse it. */');
  o.push(`static inline const char *${p}core_status_name(int p_status) {`);
  o.push('\tswitch (p_status) {');
  for (const s of coreStatuses) o.push(`\t\tcase ${P}CORE_STATUS_${s.name}: return "${s.name}";`);
  o.push('\t\tdefault: return "UNKNOWN_CORE_STATUS";');
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push('/* The one map from a core status to the Godot Error a shim returns (unknown: FAILED). */');
  o.push(`static inline int ${p}core_status_to_godot_error(int p_status) {`);
  o.push('\tswitch (p_status) {');
  const failed = godotError.values.find((v) => v.name === 'FAILED');
  for (const s of coreStatuses) o.push(`\t\tcase ${P}CORE_STATUS_${s.name}: return ${P}${godotError.c_prefix}${s.godot_error};`);
  o.push(`\t\tdefault: return ${P}${godotError.c_prefix}${failed.name};`);
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push('/* ---- wire enums ---- */');
  o.push(...cComment(def.enums.doc));
  for (const e of wireEnums) {
    o.push(...cComment(e.doc));
    o.push(`typedef enum ${p}${e.name} {`);
    for (const v of e.values) {
      o.push(...cComment(v.doc, '\t'));
      o.push(`\t${P}${upper(e.name)}_${v.name} = ${v.value},`);
    }
    o.push(`} ${p}${e.name};`);
  }
  o.push('');
  o.push('/* ---- record types ---- */');
  o.push(...cComment(def.record_types.doc));
  for (const t of recordTypes) {
    o.push(...cComment(t.doc));
    o.push(`#define ${P}RECORD_TYPE_${t.name} ${t.value}u`);
  }
  for (const r of ranges) {
    o.push(...cComment(r.doc));
    o.push(`#define ${P}RECORD_TYPE_${r.name}_FIRST ${r.first}u`);
    o.push(`#define ${P}RECORD_TYPE_${r.name}_LAST ${r.last}u`);
  }
  o.push(`#define ${P}RECORD_TYPE_MAX ${typeMax}u`);
  o.push('');
  o.push('/* ---- rings ---- */');
  o.push(...cComment(def.rings.doc));
  o.push(`typedef enum ${p}ring_index {`);
  for (const r of rings) {
    o.push(...cComment(`${r.doc} Producer: ${r.producer}; consumer: ${r.consumer}.`, '\t'));
    o.push(`\t${P}RING_${r.name} = ${r.value},`);
  }
  o.push(`} ${p}ring_index;`);
  o.push('');
  o.push('/* ---- the worker process ---- */');
  o.push(...cComment(def.worker_process.doc));
  for (const d of descriptors) {
    o.push(...cComment(`${d.doc} Source: ${d.source}.`));
    o.push(`#define ${P}${d.name} ${d.value}`);
  }
  for (const e of environment) {
    o.push(...cComment(`${e.doc} Source: ${e.source}.`));
    o.push(`#define ${P}${e.name} "${e.value}"`);
  }
  o.push('');
  o.push('/* ---- message kinds ---- */');
  o.push(...cComment(def.message_kinds.doc));
  if (kinds.length === 0) o.push('/* (none defined in this version) */');
  for (const k of kinds) {
    const payload = k.payload ? ` Payload: ${p}${k.payload}.` : ' No fixed payload.';
    o.push(...cComment(`${k.doc} Ring: ${k.ring}.${payload}`));
    o.push(`#define ${P}MSG_${k.name} ${k.value}u`);
  }
  o.push('');
  o.push('/* ---- layouts (every offset and size pinned) ---- */');
  for (const s of structs.values()) {
    o.push(...cComment(s.doc));
    o.push(`typedef struct ${p}${s.name} {`);
    let at = 0;
    for (const f of s.fields) {
      if (f.offset > at) o.push(`\tuint8_t reserved_${at}[${f.offset - at}]; /* must be zero */`);
      o.push(...cComment(f.doc, '\t'));
      o.push(`\t${f.elem.c} ${f.name}${f.count !== 1 ? `[${f.count}]` : ''};`);
      at = f.offset + f.bytes;
    }
    if (s.size > at) o.push(`\tuint8_t reserved_${at}[${s.size - at}]; /* must be zero */`);
    o.push(`} ${p}${s.name};`);
    const sizeName = structSizeConstant(s);
    const sizeRef = sizeName in scope ? `${P}${sizeName}` : `${s.size}`;
    o.push(`_Static_assert(sizeof(${p}${s.name}) == ${sizeRef}, "${s.name} size");`);
    for (const f of s.fields) {
      o.push(`_Static_assert(offsetof(${p}${s.name}, ${f.name}) == ${f.offset}, "${s.name}.${f.name} offset");`);
    }
    if (!(sizeName in scope)) o.push(`#define ${P}${sizeName} ${s.size}u`);
    if (s.role === 'payload') {
      o.push(`_Static_assert(sizeof(${p}${s.name}) <= ${P}MESSAGE_HEADER_ALLOWANCE, "${s.name} fits the header allowance");`);
    }
    o.push('');
  }
  o.push('/* ---- message kind tables (generated from message_kinds) ---- */');
  o.push('/* The ring a message kind travels on (BP_RING_*); -1 for a kind this version does not define. */');
  o.push(`static inline int ${p}msg_ring(uint32_t p_kind) {`);
  o.push('\tswitch (p_kind) {');
  for (const r of rings) {
    const onRing = kindTable.filter((x) => x.ring === r.name);
    if (onRing.length === 0) continue;
    for (const k of onRing) o.push(`\t\tcase ${P}MSG_${k.name}:`);
    o.push(`\t\t\treturn ${P}RING_${r.name};`);
  }
  o.push('\t\tdefault:');
  o.push('\t\t\treturn -1;');
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push('/* Fixed payload bytes of a message kind (the size of its payload struct; tails follow it);');
  o.push(' * 0 for a kind without a fixed payload or one this version does not define. */');
  o.push(`static inline uint32_t ${p}msg_payload_size(uint32_t p_kind) {`);
  o.push('\tswitch (p_kind) {');
  for (const k of kindTable) {
    if (k.payload) o.push(`\t\tcase ${P}MSG_${k.name}: return ${P}${structSizeConstant(structs.get(k.payload))};`);
  }
  o.push('\t\tdefault: return 0;');
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push('/* 1 for a synchronous command (its payload starts with a u32 request_id that the REPLY');
  o.push(' * repeats), else 0. */');
  o.push(`static inline int ${p}msg_is_sync(uint32_t p_kind) {`);
  o.push('\tswitch (p_kind) {');
  for (const k of kindTable.filter((x) => x.sync)) o.push(`\t\tcase ${P}MSG_${k.name}:`);
  o.push('\t\t\treturn 1;');
  o.push('\t\tdefault:');
  o.push('\t\t\treturn 0;');
  o.push('\t}');
  o.push('}');
  o.push('');
  o.push(`#endif /* ${guard} */`);
  return o.join('\n') + '\n';
}

// ---- TypeScript -------------------------------------------------------------------------
function generateTs() {
  const o = [];
  o.push('// GENERATED by bridge/protocol/generate.mjs from bridge/protocol/protocol.json.');
  o.push('// Do not edit: change protocol.json and run `node bridge/protocol/generate.mjs`.');
  o.push('');
  o.push(...tsComment(def.magic.doc));
  o.push(`export const MAGIC = ${hex(magic)};`);
  o.push(...tsComment(def.version.doc));
  o.push(`export const VERSION = ${version};`);
  o.push('');
  for (const c of constants) {
    const src = c.source ? ` Source: ${c.source}.` : '';
    const expr = /^\d+$/.test(c.expr) ? '' : ` (= ${c.expr})`;
    o.push(...tsComment(`${c.doc}${src}${expr}`));
    o.push(`export const ${c.name} = ${c.value};`);
  }
  o.push('');
  o.push(...tsComment(def.features.doc));
  o.push('export const Feature = {');
  for (const f of features) {
    o.push(...tsComment(f.doc + (f.required ? ' Required.' : ' Optional.'), '  '));
    o.push(`  ${f.name}: ${hex(1 << f.bit)},`);
  }
  o.push('} as const;');
  o.push(`export const FEATURES_KNOWN = ${hex(featuresKnown)};`);
  o.push(`export const FEATURES_REQUIRED = ${hex(featuresRequired)};`);
  o.push('');
  o.push(...tsComment(def.status.doc));
  o.push('export const Status = {');
  for (const s of statuses) {
    o.push(...tsComment(s.doc, '  '));
    o.push(`  ${s.name}: ${s.value},`);
  }
  o.push('} as const;');
  o.push('export type Status = (typeof Status)[keyof typeof Status];');
  o.push(`export const STATUS_COUNT = ${statuses.length};`);
  o.push('const STATUS_NAMES: readonly string[] = [');
  for (const s of statuses) o.push(`  '${s.name}',`);
  o.push('];');
  o.push('/** Name of a status code, for logs only; never parse it. */');
  o.push('export function statusName(status: number): string {');
  o.push("  return STATUS_NAMES[status] ?? 'UNKNOWN_STATUS';");
  o.push('}');
  o.push('');
  o.push(...tsComment(def.core_status.doc));
  o.push('export const CoreStatus = {');
  for (const s of coreStatuses) {
    o.push(...tsComment(`${s.doc} Godot: ${s.godot_error}.`, '  '));
    o.push(`  ${s.name}: ${s.value},`);
  }
  o.push('} as const;');
  o.push('export type CoreStatus = (typeof CoreStatus)[keyof typeof CoreStatus];');
  o.push(`export const CORE_STATUS_COUNT = ${coreStatuses.length};`);
  o.push(`/** Godot Error number of each core status, indexed by status (engine API dump, Godot ${dumpVersion}). */`);
  o.push('export const CORE_STATUS_GODOT_ERROR: readonly number[] = [');
  for (const s of coreStatuses) o.push(`  ${s.godot_value}, // ${s.name} -> ${s.godot_error}`);
  o.push('];');
  o.push('const CORE_STATUS_NAMES: readonly string[] = [');
  for (const s of coreStatuses) o.push(`  '${s.name}',`);
  o.push('];');
  o.push('/** Name of a core status, for logs only; never parse it. */');
  o.push('export function coreStatusName(status: number): string {');
  o.push("  return CORE_STATUS_NAMES[status] ?? 'UNKNOWN_CORE_STATUS';");
  o.push('}');
  o.push('');
  for (const e of wireEnums) {
    o.push(...tsComment(e.doc));
    o.push(`export const ${pascal(e.name)} = {`);
    for (const v of e.values) {
      o.push(...tsComment(v.doc, '  '));
      o.push(`  ${v.name}: ${v.value},`);
    }
    o.push('} as const;');
    o.push(`export type ${pascal(e.name)} = (typeof ${pascal(e.name)})[keyof typeof ${pascal(e.name)}];`);
  }
  o.push('');
  o.push(...tsComment(def.record_types.doc));
  o.push('export const RecordType = {');
  for (const t of recordTypes) {
    o.push(...tsComment(t.doc, '  '));
    o.push(`  ${t.name}: ${t.value},`);
  }
  o.push('} as const;');
  for (const r of ranges) {
    o.push(...tsComment(r.doc));
    o.push(`export const RECORD_TYPE_${r.name}_FIRST = ${r.first};`);
    o.push(`export const RECORD_TYPE_${r.name}_LAST = ${r.last};`);
  }
  o.push(`export const RECORD_TYPE_MAX = ${typeMax};`);
  o.push('');
  o.push(...tsComment(def.rings.doc));
  o.push('export const RingIndex = {');
  for (const r of rings) {
    o.push(...tsComment(`${r.doc} Producer: ${r.producer}; consumer: ${r.consumer}.`, '  '));
    o.push(`  ${r.name}: ${r.value},`);
  }
  o.push('} as const;');
  o.push('export type RingIndex = (typeof RingIndex)[keyof typeof RingIndex];');
  o.push('');
  o.push(...tsComment(def.worker_process.doc));
  for (const d of descriptors) {
    o.push(...tsComment(`${d.doc} Source: ${d.source}.`));
    o.push(`export const ${d.name} = ${d.value};`);
  }
  for (const e of environment) {
    o.push(...tsComment(`${e.doc} Source: ${e.source}.`));
    o.push(`export const ${e.name} = '${e.value}';`);
  }
  o.push('');
  o.push(...tsComment(def.message_kinds.doc));
  o.push('export const MessageKind = {');
  for (const k of kinds) {
    const payload = k.payload ? ` Payload: ${pascal(k.payload)}Offset.` : ' No fixed payload.';
    o.push(...tsComment(`${k.doc} Ring: ${k.ring}.${payload}`, '  '));
    o.push(`  ${k.name}: ${k.value},`);
  }
  o.push('} as const;');
  o.push('');
  for (const s of structs.values()) {
    const sizeName = structSizeConstant(s);
    if (!(sizeName in scope)) {
      o.push(`/** sizeof(${p}${s.name}) */`);
      o.push(`export const ${sizeName} = ${s.size};`);
    }
    o.push(...tsComment(`Byte offsets in ${p}${s.name}. ${docText(s.doc)}`));
    o.push(`export const ${pascal(s.name)}Offset = {`);
    for (const f of s.fields) {
      const arr = f.count !== 1 ? ` Array of ${f.count} ${f.type} (${upper(f.type)}_SIZE bytes each).` : '';
      o.push(...tsComment(`${f.type}: ${f.doc}${arr}`, '  '));
      o.push(`  ${f.name}: ${f.offset},`);
    }
    o.push('} as const;');
    o.push('');
  }
  o.push('// ---- message kind tables (generated from message_kinds) ----');
  o.push('/** The ring each message kind travels on, by kind. */');
  o.push('export const MESSAGE_RING: ReadonlyMap<number, RingIndex> = new Map([');
  for (const k of kindTable) o.push(`  [MessageKind.${k.name}, RingIndex.${k.ring}],`);
  o.push(']);');
  o.push(...tsComment('Fixed payload bytes of each message kind (the size of its payload struct, 0 when it has none; tails follow it), by kind.'));
  o.push('export const MESSAGE_PAYLOAD_SIZE: ReadonlyMap<number, number> = new Map([');
  for (const k of kindTable) o.push(`  [MessageKind.${k.name}, ${k.payload ? structSizeConstant(structs.get(k.payload)) : 0}],`);
  o.push(']);');
  o.push('/** Synchronous commands: their payload starts with a u32 request_id that the REPLY repeats. */');
  o.push('export const SYNC_KINDS: ReadonlySet<number> = new Set([');
  for (const k of kindTable.filter((x) => x.sync)) o.push(`  MessageKind.${k.name},`);
  o.push(']);');
  return o.join('\n').replace(/\n+$/, '') + '\n';
}

// ---- main -------------------------------------------------------------------------------
const outputs = [
  [C_OUT, generateC()],
  [TS_OUT, generateTs()],
];

if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [path, text] of outputs) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      process.stderr.write(`generate.mjs: ${path} is out of date; run node bridge/protocol/generate.mjs\n`);
      stale += 1;
    }
  }
  if (stale > 0) process.exit(1);
  process.stdout.write('generate.mjs: generated files are up to date\n');
} else {
  for (const [path, text] of outputs) writeFileSync(path, text);
  process.stdout.write(`generate.mjs: wrote ${outputs.map(([path]) => path).join(', ')}\n`);
}
