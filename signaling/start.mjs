#!/usr/bin/env node
// `npm run signaling -- [flags]`: bundles the server (signaling/build.mjs, a fraction of a
// second) and runs it in this process with the same arguments. `--help` lists the flags.
import { pathToFileURL } from 'node:url';
import { buildSignalingServer } from './build.mjs';

await import(pathToFileURL(await buildSignalingServer()).href);
