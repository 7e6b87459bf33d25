import { createLocalBackend } from './local.ts';
import type { Backend } from './types.ts';

export * from './types.ts';

let current: Backend | null = null;

/**
 * The driver this build talks to, chosen by `VITE_BACKEND` at build time.
 * The Firebase driver is imported lazily so the local bundle does not carry
 * the Firebase SDK.
 */
export const loadBackend = async (): Promise<Backend> => {
  if (current) return current;
  if (import.meta.env.VITE_BACKEND === 'firebase') {
    const { createFirebaseBackend } = await import('./firebase.ts');
    current = createFirebaseBackend();
  } else {
    current = createLocalBackend();
  }
  return current;
};

/** The driver after `loadBackend()` resolved; stores use it in their actions. */
export const backend = (): Backend => {
  if (!current) throw new Error('backend not loaded: call loadBackend() first');
  return current;
};

/** For tests: put a fake or a local driver against a test server in place. */
export const useBackend = (b: Backend): void => {
  current = b;
};
