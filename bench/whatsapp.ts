import type { HttpClient } from './support/http.ts';
import type { LiveClient } from './support/live.ts';
import { mapPool } from './support/pool.ts';
import { sendAsWhatsApp, signatureOf, textWebhook, waIdOf } from './support/whatsapp.ts';
import type { Visitor } from './support/widget.ts';
import { ingestClosed, withCpu, type IngestResult } from './ingest.ts';

/** Indexes far from the widget visitors', so both kinds of customer never share a marker. */
const FIRST_INDEX = 10_000;

/**
 * Whether the server has the WhatsApp webhook: a POST with a wrong signature
 * must be refused by it (401/403), not be unknown (404).
 */
export const hasWhatsAppWebhook = async (http: HttpClient): Promise<boolean> => {
  const raw = textWebhook(waIdOf(FIRST_INDEX - 1), 'Sonda', 'wamid.bench-probe', 'sonda');
  const res = await http.post('/webhooks/whatsapp', raw, { 'x-hub-signature-256': signatureOf(raw, 'not-the-app-secret') });
  return res.status === 401 || res.status === 403;
};

/**
 * WhatsApp customers writing to the demo's first number: signed webhook POSTs
 * of text messages (as Meta's Cloud API sends them) through the whole path to
 * the agent socket subscribed to `tickets.waiting`. Each customer's first
 * message meets the demo's bot; the answer "1" routes the ticket to Suporte's
 * queue, where the measured messages then land.
 */
export const ingestWhatsApp = async (
  http: HttpClient,
  agent: LiveClient,
  subId: string,
  count: number,
  seconds: number,
  cpu: { cpuMs(): number; io(): { wchar: number; syscw: number } },
  warmupSeconds = 0,
): Promise<IngestResult> => {
  const customers: Visitor[] = Array.from({ length: count }, (_, i) => ({ index: FIRST_INDEX + i, token: '', contactId: '', ticketId: null, seq: 0 }));
  await mapPool(customers, 16, async (v) => {
    for (const [n, text] of [`bench ${v.index}:0 Oi`, '1'].entries()) {
      const res = await sendAsWhatsApp(http, v, text, `first-${v.index}-${n}`);
      if (res.status !== 200) throw new Error(`whatsapp webhook: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });
  // Unmeasured first (BENCH_WARMUP): a short run otherwise measures V8 compiling the path, not the path.
  if (warmupSeconds > 0) await ingestClosed(http, agent, subId, customers, warmupSeconds, sendAsWhatsApp);
  return withCpu(() => cpu.cpuMs(), () => ingestClosed(http, agent, subId, customers, seconds, sendAsWhatsApp), () => cpu.io());
};
