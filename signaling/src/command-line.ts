// The server's command line: `--host`, `--port`, `--quiet`, `--help`, and one flag per limit
// (limits.ts). Flags take their value as the next argument or after "=".
import { isIP } from 'node:net';
import { DEFAULT_LIMITS, LIMIT_SPECS, type Limits } from './limits.js';

/** Loopback unless told otherwise: a signalling server is reachable only where it is meant to be. */
export const DEFAULT_HOST = '127.0.0.1';
/** The demo's port (server.js PORT, and its client UI's default URL). */
export const DEFAULT_PORT = 9080;

export interface ServerCommand {
  readonly host: string;
  readonly port: number;
  readonly limits: Limits;
  readonly quiet: boolean;
}

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly command: ServerCommand }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

export function usage(): string {
  const lines = [
    'usage: npm run signaling -- [--port N] [--host ADDRESS] [--quiet] [limits]',
    '',
    `  --host ADDRESS   address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 or :: for every interface)`,
    `  --port N         TCP port (default ${DEFAULT_PORT}; 0 picks a free one, printed at start)`,
    '  --quiet          log nothing but the listening line and errors',
    '',
    'limits (a client that goes past one is closed with a code and a reason):',
  ];
  for (const spec of LIMIT_SPECS) {
    lines.push(`  ${`${spec.flag} N`.padEnd(31)} ${spec.what} (default ${spec.default}, ${spec.min}-${spec.max})`);
  }
  return lines.join('\n');
}

function integer(flag: string, text: string, min: number, max: number): number | string {
  if (!/^[0-9]+$/.test(text)) return `${flag} needs a whole number, got "${text}"`;
  const value = Number(text);
  if (value < min || value > max) return `${flag} must be from ${min} to ${max}, got ${text}`;
  return value;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let host = DEFAULT_HOST;
  let port = DEFAULT_PORT;
  let quiet = false;
  const limits: Record<keyof Limits, number> = { ...DEFAULT_LIMITS };
  const error = (message: string): ParsedCommandLine => ({ kind: 'error', message });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const known = flag === '--host' || flag === '--port' || LIMIT_SPECS.some((spec) => spec.flag === flag);
    if (!known) return error(`unknown argument "${arg}"`);
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined) return error(`${flag} needs a value`);
    if (flag === '--host') {
      if (isIP(value) === 0 && value !== 'localhost') return error(`--host needs an IP address, got "${value}"`);
      host = value;
      continue;
    }
    const spec = LIMIT_SPECS.find((s) => s.flag === flag);
    const parsed = spec ? integer(flag, value, spec.min, spec.max) : integer(flag, value, 0, 65_535);
    if (typeof parsed === 'string') return error(parsed);
    if (spec) limits[spec.key] = parsed;
    else port = parsed;
  }
  return { kind: 'run', command: { host, port, limits, quiet } };
}
