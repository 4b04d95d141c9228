// How much the core, the worker and the WebRTC stack say. One threshold per
// process: GODOT_WEBRTC_LOG_LEVEL in the worker (protocol.json ENV_LOG_LEVEL,
// set from the project setting webrtc_ts/log_level by the shims), or the
// Session's option in process. README.md, 'Logs and diagnostics'.
import { ENV_LOG_LEVEL } from '../../../bridge/protocol/protocol.js';
import type { LogLevel } from './events.js';

/** Least to most detailed; a threshold shows its own level and those before it. */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warning', 'info', 'debug', 'verbose'];

export const DEFAULT_LOG_LEVEL: LogLevel = 'warning';

/** Whether a line at `level` shows under `threshold`. */
export function logShows(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold);
}

export type ParsedLogLevel =
  | { readonly ok: true; readonly level: LogLevel }
  | { readonly ok: false; readonly level: LogLevel; readonly warning: string };

/**
 * A level as a person typed it (any case, surrounding blanks ignored; empty or
 * absent means the default). Anything else: the default and one warning line.
 */
export function parseLogLevel(text: string | undefined, from = ENV_LOG_LEVEL): ParsedLogLevel {
  const wanted = (text ?? '').trim().toLowerCase();
  if (wanted === '') return { ok: true, level: DEFAULT_LOG_LEVEL };
  const level = LOG_LEVELS.find((l) => l === wanted);
  if (level !== undefined) return { ok: true, level };
  return {
    ok: false,
    level: DEFAULT_LOG_LEVEL,
    warning: `log level ${JSON.stringify(text)} (${from}) is not one of ${LOG_LEVELS.join(', ')}; using ${DEFAULT_LOG_LEVEL}`,
  };
}
