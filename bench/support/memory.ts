import { readFileSync } from 'node:fs';

export interface MemoryParts {
  /** Anonymous memory (heaps: V8's, SQLite's, malloc's), file-backed pages (code, mapped files), peak RSS, in MB. */
  anonMb: number;
  fileMb: number;
  peakMb: number;
  threads: number;
  summary: string;
}

/** What a process's resident memory is made of, from /proc/<pid>/status. */
export const memoryOf = (pid: number): MemoryParts => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
  const threads = Number(/^Threads:\s+(\d+)$/m.exec(status)?.[1] ?? Number.NaN);
  const [anonMb, fileMb, peakMb] = [kb('RssAnon'), kb('RssFile'), kb('VmHWM')];
  const mb = (x: number) => `${Math.round(x * 10) / 10} MB`;
  return { anonMb, fileMb, peakMb, threads, summary: `anonymous ${mb(anonMb)}, file-backed ${mb(fileMb)}, peak ${mb(peakMb)}, ${threads} threads` };
};
