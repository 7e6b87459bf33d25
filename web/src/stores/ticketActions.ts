import type { Ticket } from '@atende/core';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import { i18n } from '@/i18n';
import { userMessage } from '@/i18n/errors';
import { useTicketsStore } from './tickets';
import { useToastStore } from './toasts';
import { useWorkspaceStore } from './workspace';

/**
 * What a person can do to a ticket from a card or the conversation header,
 * with the feedback each gives. The button that offers an action calls it
 * here; the two dialogs (close, transfer) are mounted once, in the shell, and
 * open when `closing` / `transferring` name a ticket. Adding an action: the
 * command, a function here, the one button.
 */
export const useTicketActions = defineStore('ticketActions', () => {
  const tickets = useTicketsStore();
  const workspace = useWorkspaceStore();
  const toasts = useToastStore();
  // Injected from the app (Pinia runs setup stores in its context): importing router.ts would close a loop
  // router → pages → buttons → this store.
  const router = useRouter();
  const t = i18n.global.t;

  /** The ticket the close dialog is asking about; null when it is shut. */
  const closing = shallowRef<Ticket | null>(null);
  /** The ticket the transfer dialog is asking about; null when it is shut. */
  const transferring = shallowRef<Ticket | null>(null);

  const fail = (e: unknown) => toasts.error(t('ticket.failed', { reason: userMessage(e) }));

  /** Opens the ticket's conversation in the workspace (with four windows open, the workspace first asks which to give up). */
  function show(ticket: Ticket) {
    if (workspace.open(ticket.id) === 'opened') void router.replace({ name: 'tickets', params: { ticketId: ticket.id } });
  }

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

  const askClose = (ticket: Ticket) => void (closing.value = ticket);
  const askTransfer = (ticket: Ticket) => void (transferring.value = ticket);

  return { closing, transferring, show, accept, reopen, returnToQueue, askClose, askTransfer };
});
