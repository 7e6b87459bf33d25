import type { Writable } from 'node:stream';

/**
 * Pino's JSON lines, for a person at a terminal: `14:03:22 INFO  message  key=value`.
 * JSON stays the format for anything else (journald, files, log shippers).
 */
const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[41m'],
};
const RESET = '\x1b[0m';
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

const value = (v: unknown): string => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v));

/** One pino JSON line as one readable line (with the error's stack below it); a line that is not JSON passes through. */
export const prettyLine = (line: string, color: boolean): string => {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const [name, tint] = LEVELS[Number(entry.level)] ?? [String(entry.level), ''];
  const time = new Date(Number(entry.time ?? Date.now())).toTimeString().slice(0, 8);
  const err = entry.err as { stack?: string } | undefined;
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k) && k !== 'err')
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  const level = color ? `${tint}${name}${RESET}` : name;
  return `${time} ${level} ${String(entry.msg ?? '')}${fields ? `  ${color ? '\x1b[90m' : ''}${fields}${color ? RESET : ''}` : ''}${err?.stack ? `\n${err.stack}` : ''}`;
};

/** A destination stream for pino that writes `prettyLine`s to `out`. */
export const prettyStream = (out: Writable & { isTTY?: boolean }): { write: (chunk: string) => void } => ({
  write: (chunk: string) => {
    for (const line of chunk.split('\n')) if (line) out.write(`${prettyLine(line, out.isTTY === true)}\n`);
  },
});
