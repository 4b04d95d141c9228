// One headless Godot process running a mesh-peer scene: its output kept line by line (and
// written to build/signaling/logs/<engine>/), waits for lines, and commands appended to its control
// file (the scene reads it every 50 ms).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_LINE } from './paths.js';

export interface EnginePeerOptions {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly controlDir: string;
  /** Where its output is written, as <name>.log. */
  readonly logDir: string;
}

export class EnginePeer {
  readonly name: string;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  readonly #control: string;
  #partial = '';
  id = 0;

  constructor(options: EnginePeerOptions) {
    this.name = options.name;
    this.#control = join(options.controlDir, `${options.name}.commands`);
    writeFileSync(this.#control, '');
    mkdirSync(options.logDir, { recursive: true });
    const log = createWriteStream(join(options.logDir, `${options.name}.log`));
    this.#child = spawn(options.binary, [...options.args], {
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', ...options.env, SIGNALING_CONTROL: this.#control },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer) => {
      log.write(chunk);
      const text = this.#partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts.map((l) => l.replace(/\r$/, '')));
    };
    this.#child.stdout?.on('data', take);
    this.#child.stderr?.on('data', take);
    this.exited = new Promise((resolve) => this.#child.on('exit', (code) => {
      if (this.#partial) this.lines.push(this.#partial);
      log.end();
      resolve(code);
    }));
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  command(line: string): void {
    appendFileSync(this.#control, `${line}\n`);
  }

  /** The first output line matching `pattern`, waiting up to `timeoutMs` for it. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.lines) {
        const match = pattern.exec(line);
        if (match) return match;
      }
      if (!this.running) throw new Error(`${this.name} exited (${this.#child.exitCode ?? this.#child.signalCode}) without printing ${pattern}\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no line ${pattern} within ${timeoutMs} ms\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  has(pattern: RegExp): boolean {
    return this.lines.some((line) => pattern.test(line));
  }

  failures(): string[] {
    return this.lines.filter((line) => FAILURE_LINE.test(line));
  }

  tail(count = 30): string {
    return this.lines.slice(-count).map((l) => `  ${this.name}| ${l}`).join('\n');
  }

  kill(): void {
    if (this.running) this.#child.kill('SIGKILL');
  }
}
