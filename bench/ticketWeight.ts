/**
 * What the thread's copy on the ticket (`Ticket.recent`, core/src/store/threadLayout.ts) weighs: bench/firestore.ts's
 * ticket life (the bot's step, accept, 5 customer and 5 agent messages, a transfer, the close) run on the Node Firestore
 * emulator through the functions' own handlers, no consoles, and after each step the ticket's size with and without
 * the copy — as Firestore counts a document's storage size (field names, UTF-8 strings + 1, 8 bytes a number or a
 * timestamp, the name + 32: "Storage size calculations" in Firestore's docs) and as the JSON a console's listener is
 * handed. Prints the heaviest step. `npx tsx bench/ticketWeight.ts` (~5 s).
 */
import { commandRegistry, createIdGenerator, executeCommand, seedDemo, SYSTEM, type Ticket } from '@atende/core';
import { handleCommand, sendingReplies, storeOf, type Deps } from '../functions/src/handlers.ts';
import { fromFirestore } from '../functions/src/store.ts';
import { MemoryAuth } from '../conformance/firestore.ts';
import { startEmulator } from '../functions/test/support/emulator.ts';
import { acceptingCarriers } from './support/acceptingCarrier.ts';

type Data = Record<string, unknown>;

/** A value's storage size on Firestore. */
const valueSize = (v: unknown): number => {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 8;
  if (typeof v === 'string') return Buffer.byteLength(v) + 1;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + valueSize(x), 0);
  if (typeof v === 'object' && typeof (v as { toMillis?: unknown }).toMillis === 'function') return 8;
  return Object.entries(v as Data).reduce((s, [k, x]) => s + Buffer.byteLength(k) + 1 + valueSize(x), 0);
};
const docSize = (path: string, data: Data): number => path.split('/').reduce((s, p) => s + Buffer.byteLength(p) + 1, 16) + valueSize(data) + 32;

export interface TicketWeight {
  step: string;
  lines: number;
  firestoreBytes: { with: number; without: number };
  jsonBytes: { with: number; without: number; copy: number };
}

export const ticketWeight = async (): Promise<{ heaviest: TicketWeight; steps: TicketWeight[] }> => {
  const emulator = await startEmulator();
  let now = Date.now();
  const clock = () => now;
  const deps: Deps = { db: emulator.db, auth: new MemoryAuth(), clock, newId: createIdGenerator(clock) };
  const carriers = acceptingCarriers();
  try {
    await seedDemo({ store: storeOf(emulator.db), clock, newId: deps.newId });
    let n = 0;
    const customer = (text: string) => {
      now += 1000;
      return sendingReplies(deps, carriers, (runner) =>
        executeCommand(commandRegistry, runner, SYSTEM, 'inbound.receive', {
          channelId: 'whatsapp',
          externalId: '5511987650001',
          contact: { name: 'Cliente Bench', phone: '5511987650001' },
          channelMessageId: `wamid.weight.${++n}`,
          text,
        }),
      ) as Promise<{ ticketId: string }>;
    };
    const as = (uid: string, name: string, input: unknown) => {
      now += 1000;
      return handleCommand(deps, { uid, token: {} }, { name, input }, carriers);
    };
    const steps: TicketWeight[] = [];
    const weigh = async (step: string, ticketId: string) => {
      const path = `tickets/${ticketId}`;
      const raw = (await emulator.db.doc(path).get()).data()!;
      const { recent: rawRecent, ...rawWithout } = raw;
      const ticket = fromFirestore<Ticket>('tickets', raw);
      const { recent, ...without } = ticket;
      steps.push({
        step,
        lines: recent?.lines.length ?? 0,
        firestoreBytes: { with: docSize(path, raw), without: docSize(path, rawWithout) },
        jsonBytes: { with: Buffer.byteLength(JSON.stringify(ticket)), without: Buffer.byteLength(JSON.stringify(without)), copy: rawRecent ? Buffer.byteLength(JSON.stringify(recent)) : 0 },
      });
    };
    const { ticketId } = await customer('Oi, boa tarde');
    await weigh('bot', ticketId);
    await customer('1');
    await weigh('waiting', ticketId);
    await as('ana', 'ticket.accept', { ticketId });
    for (let i = 1; i <= 5; i++) {
      await customer(`Mensagem ${i} do cliente`);
      await as('ana', 'message.send', { ticketId, text: `Resposta ${i} da Ana`, attachments: [], clientId: `weight-${i}` });
      await weigh(`reply ${i}`, ticketId);
    }
    await as('ana', 'ticket.transfer', { ticketId, assigneeId: 'carla' });
    await weigh('transferred', ticketId);
    await as('carla', 'ticket.close', { ticketId, classificationId: 'duvida' });
    await weigh('closed', ticketId);
    const heaviest = steps.reduce((a, b) => (b.firestoreBytes.with > a.firestoreBytes.with ? b : a));
    return { heaviest, steps };
  } finally {
    await emulator.stop();
  }
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const r = await ticketWeight();
  for (const s of r.steps)
    console.log(`${s.step.padEnd(12)} ${String(s.lines).padStart(3)} lines  Firestore ${s.firestoreBytes.without} → ${s.firestoreBytes.with} B  JSON ${s.jsonBytes.without} → ${s.jsonBytes.with} B (copy ${s.jsonBytes.copy} B)`);
  console.log(JSON.stringify(r.heaviest));
  process.exit(0);
}
