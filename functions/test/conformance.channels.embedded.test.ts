import { refs } from '@atende/core';
import { defineChannelConformance } from '../../conformance/channels.ts';
import { embeddedHarness } from '../../conformance/embedded.ts';

defineChannelConformance('embedded server (webhook routes, outbox carriers, local driver)', async () => {
  const h = await embeddedHarness();
  return {
    ...h,
    // The demo's Instagram simulator: its customers' DMs go to this server's /webhooks/instagram.
    instagram: h.app.instagramSimulator!,
    async webhook(path, headers, body) {
      const res = await fetch(h.url + path, { method: 'POST', headers, body: new Uint8Array(body) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    setSmtp: (host, port) =>
      h.app.store.transaction(async (tx) => {
        const channel = (await tx.get(refs.channel('email')))!;
        tx.set(refs.channel(channel.id), { ...channel, mail: { imap: null, smtp: { host, port, secure: false, user: '' }, fromName: 'Atende' }, updatedAt: Date.now() });
      }),
  };
});
