// The multiplayer demo (godot-project/demo/, issue 12) as setup.sh runs it: scripts/run-demo.mjs
// starts the signalling server and three headless Godot processes, a host and two joiners,
// each a scripted player. From their output: every player saw every other join, move
// (unreliable positions) and chat (reliable), measured each link with get_stats() (an RTT
// above zero, a direct pair on loopback), and all exited 0. The output is kept in
// build/signaling/logs/demo-<engine>.log. Godot 3 always
// (godot3-server); Godot 4 where GODOT4 names a binary, skipped with the reason otherwise.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOGS, PROJECT, REPOSITORY } from './lib/paths.js';

const PLAYERS = ['alice', 'bob', 'carol'];
const TIME_LIMIT_S = 60;

interface Run {
  readonly code: number | null;
  readonly output: string;
  /** What each player printed, without its "name| " prefix. */
  readonly lines: ReadonlyMap<string, string[]>;
}

function runDemo(engine: 'godot3' | 'godot4'): Promise<Run> {
  const args = [join(REPOSITORY, 'scripts', 'run-demo.mjs'), '--engine', engine, '--players', String(PLAYERS.length), '--time-limit', String(TIME_LIMIT_S)];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, DEMO_GODOT_PROJECT: PROJECT }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const output = stdout + stderr;
      mkdirSync(LOGS, { recursive: true });
      writeFileSync(join(LOGS, `demo-${engine}.log`), output);
      const lines = new Map<string, string[]>(PLAYERS.map((name) => [name, []]));
      for (const line of output.split('\n')) {
        const match = /^(\w+)\| (.*)$/.exec(line);
        if (match) lines.get(match[1] ?? '')?.push(match[2] ?? '');
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output, lines });
    });
  });
}

function describeDemo(engine: 'godot3' | 'godot4', label: string, skipReason: string | null): void {
  if (skipReason) {
    describe.skip(`${label}: the multiplayer demo, three players (skipped: ${skipReason})`, () => {
      it('runs', () => {});
    });
    return;
  }
  describe.sequential(`${label}: the multiplayer demo, three players`, () => {
    let run: Run;
    const of = (name: string): string[] => run.lines.get(name) ?? [];
    const tail = (): string => run.output.split('\n').slice(-40).join('\n');

    it('a host and two joiners meet through the signalling server and all exit 0', async () => {
      run = await runDemo(engine);
      expect(run.code, tail()).toBe(0);
      expect(run.output).toMatch(/^demo: 3 players met in lobby \S+, saw each other and exited 0 in [\d.]+ s$/m);
      for (const name of PLAYERS) {
        expect(of(name).filter((l) => /SCRIPT ERROR|Parse Error|^FAILED|handle_crash|ERROR: webrtc_ts/.test(l)), name).toEqual([]);
      }
      expect(of('alice')).toContain(`me 1 alice`);
    }, (TIME_LIMIT_S + 30) * 1000);

    it('every player saw every other join, move (unreliable) and chat (reliable)', () => {
      for (const name of PLAYERS) {
        for (const other of PLAYERS.filter((o) => o !== name)) {
          const lines = of(name);
          expect(lines.some((l) => new RegExp(`^join ${other} \\(peer \\d+\\)$`).test(l)), `${name} saw ${other} join`).toBe(true);
          expect(lines.some((l) => new RegExp(`^position ${other} \\d+,\\d+$`).test(l)), `${name} got ${other}'s position`).toBe(true);
          expect(lines, `${name} got ${other}'s chat line`).toContain(`chat ${other}: hello from ${other}`);
        }
      }
    });

    // On loopback every link is direct; the remote candidate may be peer-reflexive (learnt from
    // a connectivity check that came before the candidate did through the server).
    it('every player measured each link: an RTT above zero, direct on loopback', () => {
      for (const name of PLAYERS) {
        for (const other of PLAYERS.filter((o) => o !== name)) {
          const seen = `${name}'s lines about links:\n${of(name).filter((l) => /^(stats|saw) /.test(l)).join('\n')}`;
          const saw = of(name).map((l) => new RegExp(`^saw ${other} \\(peer \\d+\\): (\\d+) positions, (\\d+) chat lines, rtt [\\d.]+ ms, (\\w+) \\((\\w+)/(\\w+)\\); rtt_msec (\\S+)$`).exec(l)).find((m) => m);
          expect(saw, seen).toBeTruthy();
          const [, positions, chats, route, local, remote, rtt] = saw ?? [];
          expect(Number(positions), seen).toBeGreaterThanOrEqual(10);
          expect(Number(chats), seen).toBe(1);
          expect(route, seen).toBe('direct');
          expect(local, seen).toBe('host');
          expect(['host', 'prflx'], seen).toContain(remote);
          expect(Number(rtt), seen).toBeGreaterThan(0);
          expect(of(name).some((l) => new RegExp(`^stats ${other}: rtt [\\d.]+ ms, direct \\(\\w+/\\w+\\)$`).test(l)), seen).toBe(true);
        }
      }
    });

    it('each player quit only once all had finished', () => {
      for (const name of PLAYERS) expect(of(name)).toContain('done: every player finished');
    });
  });
}

describeDemo('godot3', 'Godot 3', null);
describeDemo('godot4', 'Godot 4', process.env.GODOT4 ? null : 'GODOT4 does not name a Godot 4 binary');
