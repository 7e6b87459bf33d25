import type { FirebaseApp } from 'firebase/app';

/** `{action, input}` → the `copilot` callable; with `onDelta`, its streamed chunks (`{delta}`) as they come. */
export type CallCopilot = (action: string, input: unknown, onDelta?: (text: string) => void) => Promise<unknown>;

/**
 * The `copilot` callable through the Functions SDK (functions/src/index.ts):
 * the same core `runCopilot` as the embedded server's `POST /api/copilot/:action`.
 * Streams with the SDK's `.stream()` when the caller wants the text as it is written.
 */
export const callableCopilot = (app: FirebaseApp, options: { region?: string | undefined; emulator?: { host: string; port: number } | undefined } = {}): CallCopilot => {
  type Callable = ((data: unknown) => Promise<{ data: unknown }>) & {
    stream: (data: unknown) => Promise<{ stream: AsyncIterable<unknown>; data: Promise<unknown> }>;
  };
  let fn: Promise<Callable> | null = null;
  const load = async () => {
    const { getFunctions, httpsCallable, connectFunctionsEmulator } = await import('firebase/functions');
    const functions = getFunctions(app, options.region ?? 'southamerica-east1');
    if (options.emulator) connectFunctionsEmulator(functions, options.emulator.host, options.emulator.port);
    return httpsCallable(functions, 'copilot', { timeout: 120_000 }) as unknown as Callable;
  };
  return async (action, input, onDelta) => {
    fn ??= load();
    const call = await fn;
    if (!onDelta) return (await call({ action, input })).data;
    const { stream, data } = await call.stream({ action, input });
    for await (const chunk of stream) {
      const delta = (chunk as { delta?: unknown } | null)?.delta;
      if (typeof delta === 'string') onDelta(delta);
    }
    return data;
  };
};
