// Checks on values that arrive from a Godot Dictionary (decoded from JSON, so
// ints and floats are both `number`). Each failure names the key it is about.

export type Checked<T> = { ok: true; value: T } | { ok: false; key: string; message: string };

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function bad(key: string, message: string): { ok: false; key: string; message: string } {
  return { ok: false, key, message };
}

export type Dict = Readonly<Record<string, unknown>>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `dict` has `key` as its own property (a Godot Dictionary has no prototype keys). */
export function has(dict: Dict, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

export function checkBool(dict: Dict, key: string, path: string): Checked<boolean | undefined> {
  if (!has(dict, key)) return ok(undefined);
  const v = dict[key];
  return typeof v === 'boolean' ? ok(v) : bad(path, `must be a bool, got ${describe(v)}`);
}

export function checkInt(dict: Dict, key: string, path: string, min: number, max: number): Checked<number | undefined> {
  if (!has(dict, key)) return ok(undefined);
  const v = dict[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) return bad(path, `must be an int, got ${describe(v)}`);
  if (v < min || v > max) return bad(path, `must be between ${min} and ${max}, got ${v}`);
  return ok(v);
}

export function checkString(dict: Dict, key: string, path: string): Checked<string | undefined> {
  if (!has(dict, key)) return ok(undefined);
  const v = dict[key];
  return typeof v === 'string' ? ok(v) : bad(path, `must be a String, got ${describe(v)}`);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'an Array';
  if (typeof value === 'object') return 'a Dictionary';
  if (typeof value === 'number') return Number.isInteger(value) ? `the int ${value}` : `the float ${value}`;
  if (typeof value === 'string') return `the String ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a ${typeof value}`;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
