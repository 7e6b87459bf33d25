import type { Ticket } from '@atende/core';
import { shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { useTicketsStore } from '@/stores/tickets';
import { useToastStore } from '@/stores/toasts';
import { useWorkspaceStore } from '@/stores/workspace';
import { userMessage } from '@/i18n/errors';

const closing = shallowRef<Ticket | null>(null);
const transferring = shallowRef<Ticket | null>(null);

/** What a person can do to a ticket from a card or the conversation header, with the feedback each gives. */
export const useTicketActions = () => {
  const tickets = useTicketsStore();
  const workspace = useWorkspaceStore();
  const toasts = useToastStore();
  const router = useRouter();
  const { t } = useI18n();

  const reason = (e: unknown) => userMessage(e);
  const fail = (e: unknown) => toasts.error(t('ticket.failed', { reason: reason(e) }));

  const show = (ticket: Ticket) => {
    // With four windows open the workspace first asks which one to give up; the address waits for the answer.
    if (workspace.open(ticket.id) === 'opened') void router.replace({ name: 'tickets', params: { ticketId: ticket.id } });
  };

  async function accept(ticket: Ticket) {
    try {
      const after = await tickets.accept(ticket.id);
      tickets.tab = 'mine';
      show(after);
      toasts.push(t('ticket.done.accepted', { name: ticket.contact.name }), 'success', 3000);
    } catch (e) {
      fail(e);
    }
  }

  async function reopen(ticket: Ticket) {
    try {
      const after = await tickets.reopen(ticket.id);
      tickets.tab = 'mine';
      show(after);
      toasts.push(t('ticket.done.reopened'), 'success', 3000);
    } catch (e) {
      fail(e);
    }
  }

  async function returnToQueue(ticket: Ticket) {
    try {
      await tickets.returnToQueue(ticket.id);
      toasts.push(t('ticket.done.returned'), 'success', 3000);
    } catch (e) {
      fail(e);
    }
  }

  return {
    closing,
    transferring,
    show,
    accept,
    reopen,
    returnToQueue,
    askClose: (ticket: Ticket) => (closing.value = ticket),
    askTransfer: (ticket: Ticket) => (transferring.value = ticket),
    reason,
  };
};
