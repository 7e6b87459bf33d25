import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Why the official Firebase emulators cannot start here, or null when they
 * can: they need the firebase CLI, Java 21 or newer, and the Firestore
 * emulator's jar (downloaded by the CLI on first use).
 */
export const officialEmulatorsProblem = (): string | null => {
  const problems: string[] = [];
  const cli = spawnSync('firebase', ['--version'], { encoding: 'utf8' });
  if (cli.error || cli.status !== 0) problems.push('no firebase CLI on PATH (npm i -g firebase-tools)');
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${java.stderr ?? ''}${java.stdout ?? ''}`)?.[1];
  if (java.error || !version) problems.push('no Java (the emulators need Java 21+)');
  else if (Number(version) < 21) problems.push(`Java ${version} found, the Firestore emulator needs Java 21+`);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'firebase', 'emulators');
  const jar = existsSync(cache) && readdirSync(cache).some((f) => f.startsWith('cloud-firestore-emulator') && f.endsWith('.jar'));
  if (!jar) problems.push(`no Firestore emulator jar in ${cache} (firebase setup:emulators:firestore downloads it)`);
  return problems.length > 0 ? problems.join('; ') : null;
};

/** Set by the outer run for the inner one, which `firebase emulators:exec` starts. */
export const insideOfficialEmulators = (): boolean =>
  process.env.ATENDE_OFFICIAL_EMULATORS === '1' && !!process.env.FIRESTORE_EMULATOR_HOST && !!process.env.FIREBASE_AUTH_EMULATOR_HOST;
