/**
 * "The session ended underneath us" (expiry, logout in another tab, rights
 * taken away), said once by whichever driver notices: the local driver when
 * a request answers 401, the Firebase driver when the token refresh is
 * refused. The session store listens and takes the person to the login page
 * with a sentence, instead of leaving a console whose every click fails.
 */
const listeners = new Set<() => void>();

export const onSessionLost = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const reportSessionLost = (): void => {
  for (const l of [...listeners]) l();
};
