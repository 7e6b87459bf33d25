import { describe, expect, it } from 'vitest';
import { channelAdapters, outboundOf, parseRating, refs, SURVEY_CHOICES, type DeliveryJob } from '../src/index.ts';
import { makeWorld, staff } from './support.ts';

const ctx = { baseUrl: 'https://graph.example/v23.0', account: { id: '100000000000001', businessId: null, display: null, secretsSet: true }, secrets: { accessToken: 'token' } };

describe('the satisfaction survey on WhatsApp (D8)', () => {
  it('goes out as an interactive list whose rows are the five scores, the digit first', async () => {
    const w = await makeWorld();
    await w.store.transaction(async (tx) => {
      const c = (await tx.get(refs.channel('zap2')))!;
      tx.set(refs.channel('zap2'), { ...c, defaultSectorId: 'suporte', survey: { enabled: true, question: 'De 1 a 5, como foi?', thanks: 'Valeu!', expiresMinutes: 60 } });
    });
    const { ticketId } = await w.inbound('zap2', '5511999990001', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    await w.run(staff('ana'), 'ticket.close', { ticketId });
    const question = w.messages(ticketId).find((m) => m.survey)!;
    expect(question.text).toBe('De 1 a 5, como foi?');
    const ticket = w.ticket(ticketId);
    const job = { message: question, ticket, channel: w.store.all('channels').find((c) => c.id === 'zap2')!, to: '5511999990001', replyToChannelMessageId: null } as unknown as DeliveryJob;
    const out = outboundOf(job, () => null);
    expect(out.menu).toEqual({ header: 'De 1 a 5, como foi?', options: SURVEY_CHOICES });
    const [call] = channelAdapters.whatsapp!.buildSend(ctx as never, out);
    const body = call!.json as { type: string; interactive: { type: string; body: { text: string }; action: { sections: { rows: { id: string; title: string }[] }[] } } };
    expect(body.type).toBe('interactive');
    expect(body.interactive.type).toBe('list');
    expect(body.interactive.body.text).toBe('De 1 a 5, como foi?');
    expect(body.interactive.action.sections[0]!.rows.map((r) => r.id)).toEqual(['5', '4', '3', '2', '1']);
    // Every row's title is itself an answer (what WhatsApp sends back as the reply's title).
    for (const row of body.interactive.action.sections[0]!.rows) expect(parseRating(row.title)?.score).toBe(Number(row.id));

    // The customer picks "4 - Bom" from the list: it lands on the closed ticket, no new ticket.
    const before = w.store.all('tickets').length;
    await w.inbound('zap2', '5511999990001', SURVEY_CHOICES[1]!.label);
    expect(w.store.all('tickets')).toHaveLength(before);
    expect(w.ticket(ticketId).survey).toMatchObject({ score: 4, comment: null });
  });

  it('a channel without choices (e-mail) gets the plain question, which already says how to answer', () => {
    expect(SURVEY_CHOICES.map((c) => parseRating(c.label)?.score)).toEqual([5, 4, 3, 2, 1]);
  });
});
