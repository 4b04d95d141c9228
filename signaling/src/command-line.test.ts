import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, parseCommandLine, usage } from './command-line.js';
import { DEFAULT_LIMITS, LIMIT_SPECS } from './limits.js';

describe('command line', () => {
  it('defaults: 127.0.0.1, the demo port 9080, DEFAULT_LIMITS', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'run', command: { host: DEFAULT_HOST, port: DEFAULT_PORT, limits: DEFAULT_LIMITS, quiet: false } });
    expect(DEFAULT_HOST).toBe('127.0.0.1');
  });

  it('--port and --host, as two arguments or with "="', () => {
    expect(parseCommandLine(['--port', '0', '--host', '::1'])).toMatchObject({ kind: 'run', command: { host: '::1', port: 0 } });
    expect(parseCommandLine(['--port=8000', '--host=0.0.0.0', '--quiet'])).toMatchObject({ kind: 'run', command: { host: '0.0.0.0', port: 8000, quiet: true } });
  });

  it.each(LIMIT_SPECS.map((spec) => [spec.flag, spec] as const))('%s sets its limit, within its range only', (flag, spec) => {
    expect(parseCommandLine([flag, String(spec.max)])).toMatchObject({ kind: 'run', command: { limits: { ...DEFAULT_LIMITS, [spec.key]: spec.max } } });
    expect(parseCommandLine([`${flag}=${spec.min}`])).toMatchObject({ kind: 'run', command: { limits: { [spec.key]: spec.min } } });
    expect(parseCommandLine([flag, String(spec.max + 1)])).toEqual({ kind: 'error', message: `${flag} must be from ${spec.min} to ${spec.max}, got ${spec.max + 1}` });
    if (spec.min > 0) expect(parseCommandLine([flag, String(spec.min - 1)]).kind).toBe('error');
    expect(parseCommandLine([flag, '1.5'])).toEqual({ kind: 'error', message: `${flag} needs a whole number, got "1.5"` });
    expect(parseCommandLine([flag])).toEqual({ kind: 'error', message: `${flag} needs a value` });
    expect(usage()).toContain(flag);
  });

  it('every default lies within its own range', () => {
    for (const spec of LIMIT_SPECS) {
      expect(spec.default).toBeGreaterThanOrEqual(spec.min);
      expect(spec.default).toBeLessThanOrEqual(spec.max);
    }
    expect(Object.keys(DEFAULT_LIMITS).sort()).toEqual(LIMIT_SPECS.map((s) => s.key).sort());
  });

  it('refuses what it does not know', () => {
    expect(parseCommandLine(['--prot', '1'])).toEqual({ kind: 'error', message: 'unknown argument "--prot"' });
    expect(parseCommandLine(['9080'])).toEqual({ kind: 'error', message: 'unknown argument "9080"' });
    expect(parseCommandLine(['--port', '65536']).kind).toBe('error');
    expect(parseCommandLine(['--host', 'example.com'])).toEqual({ kind: 'error', message: '--host needs an IP address, got "example.com"' });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
  });
});
