// Where the engine tests find things. The runner (scripts/run-signaling-tests.sh) sets
// SIGNALING_GODOT_PROJECT to its copy of godot-project/ with a private copy of the addon, so
// another test assembling the addon meanwhile cannot swap the shim under a running Godot.
import { join } from 'node:path';

export const REPOSITORY = new URL('../../..', import.meta.url).pathname;
export const PROJECT = process.env.SIGNALING_GODOT_PROJECT ?? join(REPOSITORY, 'godot-project');
export const LOGS = join(REPOSITORY, 'build', 'signaling', 'logs');

/** Lines that fail an engine test wherever they appear (the Godot 3 scene runner's list). */
export const FAILURE_LINE = /^FAIL|SCRIPT ERROR|Parse Error|Program crashed|handle_crash|Segmentation fault|AddressSanitizer|runtime error:|ObjectDB instances leaked|Assertion .* failed/;
