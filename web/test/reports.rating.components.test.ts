import type { Ticket } from '@atende/core';
import { mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import TicketSideRating from '@/components/ticket/TicketSideRating.vue';
import { i18n } from '@/i18n';

const HOUR = 3_600_000;
const survey: NonNullable<Ticket['survey']> = { sentAt: 0, expiresAt: 24 * HOUR, score: null, comment: null, answeredAt: null, agentId: 'ana' };
const side = (s: Ticket['survey'], now = HOUR) => mount(TicketSideRating, { props: { ticket: { survey: s }, now }, global: { plugins: [i18n] } });

beforeEach(() => {
  i18n.global.locale.value = 'pt-BR';
});

describe("the customer's rating in the closed ticket's side panel", () => {
  it('shows the score in stars and as a number, and the comment', () => {
    const w = side({ ...survey, score: 4, comment: 'Foi rápido', answeredAt: 2 * HOUR });
    expect(w.get('[data-testid="ticket-rating"]').attributes('aria-label')).toBe('Avaliação 4 de 5');
    expect(w.get('[data-testid="ticket-rating"]').text()).toBe('4');
    expect(w.findAll('[data-testid="ticket-rating"] svg.fill-current')).toHaveLength(4);
    expect(w.get('[data-testid="side-rating-comment"]').text()).toBe('“Foi rápido”');
    expect(w.text()).toMatch(/Respondida em/);
  });

  it('says when the survey is still waiting, or expired without an answer; nothing when none was sent', () => {
    expect(side(survey, HOUR).text()).toMatch(/aguardando resposta até/);
    expect(side(survey, 25 * HOUR).text()).toMatch(/o cliente não respondeu/);
    expect(side(survey).find('[data-testid="ticket-rating"]').exists()).toBe(false);
    expect(side(null).find('[data-testid="side-rating"]').exists()).toBe(false);
  });
});
