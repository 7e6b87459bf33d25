import { createHmac } from 'node:crypto';

/**
 * How the fake Meta APIs (WhatsApp, Instagram) deliver webhooks: each body signed with the app
 * secret (`x-hub-signature-256`) and posted one at a time, in order. A failed post is dropped
 * (Meta would retry). `options` is read at each post, so it may be given before it is set.
 */
export const webhookQueue = (options: () => { appSecret: string; webhookUrl: () => string }) => {
  let chain: Promise<void> = Promise.resolve();
  return (body: string): Promise<void> => {
    const { appSecret, webhookUrl } = options();
    const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
    const send = async () => {
      try {
        await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body, signal: AbortSignal.timeout(30_000) });
      } catch {
        /* Meta would retry; the simulator drops it */
      }
    };
    const done = chain.then(send);
    chain = done;
    return done;
  };
};
