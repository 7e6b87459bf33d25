import { watch } from '@vue/reactivity';
import { t } from '../i18n.ts';
import { sameRun, type ThreadItem } from '../thread.ts';
import { chatIcon, h } from './dom.ts';
import { messageView } from './message.ts';

export interface ThreadProps {
  items: () => ThreadItem[];
  fileUrl: (ticketId: string, attachmentId: string) => string;
  onRetry: (clientMessageId: string) => void;
}

interface Row {
  li: HTMLLIElement;
  /** What the row was drawn from: redrawn only when one of these changes. */
  doc: unknown;
  continues: boolean;
  last: boolean;
  first: boolean;
}

const docOf = (item: ThreadItem) => (item.kind === 'ticket' ? item.ticket : item.kind === 'message' ? item.message : item.pending);

/**
 * The conversation, keyed by item: a new message adds one row and leaves the
 * others (and the reader's scroll position) alone; a pending copy replaced by
 * the server's is redrawn in place.
 */
export const thread = ({ items, fileUrl, onRetry }: ThreadProps): HTMLElement => {
  const rows = new Map<string, Row>();
  const list = h('ol', { class: 'flex flex-col gap-1.5' });
  const empty = h(
    'div',
    { class: 'flex h-full flex-col items-center justify-center gap-2 text-center text-sm text-gray-500' },
    h('div', { class: 'flex size-12 items-center justify-center rounded-full bg-brand/10 text-brand' }, chatIcon('size-6')),
    t('newConversation'),
  );
  let pinned = true;
  const scroller = h('div', {
    class: 'min-h-0 flex-1 overflow-y-auto bg-gray-50/60 px-3 py-4',
    role: 'log',
    'aria-live': 'polite',
  });
  // Stay at the bottom while the customer is there; leave them alone while they read older messages.
  scroller.addEventListener('scroll', () => (pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80), { passive: true });
  const toBottom = (force: boolean) => {
    if (pinned || force) scroller.scrollTop = scroller.scrollHeight;
  };

  const draw = (item: ThreadItem, continues: boolean, last: boolean, first: boolean): Node =>
    item.kind === 'ticket'
      ? h(
          'div',
          {
            class: `my-3 flex items-center gap-2 text-[11px] font-medium tracking-wide text-gray-400 uppercase ${first ? 'mt-0' : ''}`,
            'data-testid': 'ticket-separator',
          },
          h('span', { class: 'h-px flex-1 bg-gray-200' }),
          t(item.ticket.status === 'closed' ? 'protocolClosed' : 'protocol', { protocol: item.ticket.protocol }),
          h('span', { class: 'h-px flex-1 bg-gray-200' }),
        )
      : messageView({
          ...(item.kind === 'message' ? { message: item.message } : { pending: item.pending }),
          continues,
          last,
          fileUrl,
          onRetry,
        });

  const update = (now: ThreadItem[]) => {
    const keys = new Set(now.map((i) => i.key));
    for (const [key, row] of rows)
      if (!keys.has(key)) {
        row.li.remove();
        rows.delete(key);
      }
    let cursor = list.firstChild;
    now.forEach((item, index) => {
      const doc = docOf(item);
      const continues = sameRun(now[index - 1], item);
      const last = !sameRun(item, now[index + 1]);
      const first = index === 0;
      let row = rows.get(item.key);
      if (!row) {
        row = { li: h('li'), doc: null, continues, last, first };
        rows.set(item.key, row);
      }
      if (row.doc !== doc || row.continues !== continues || row.last !== last || row.first !== first || !row.li.firstChild) {
        row.li.replaceChildren(draw(item, continues, last, first));
        Object.assign(row, { doc, continues, last, first });
      }
      if (row.li === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(row.li, cursor);
    });
    const shown = now.length ? list : empty;
    if (scroller.firstChild !== shown) scroller.replaceChildren(shown);
  };

  watch(
    items,
    (now, before) => {
      const known = new Set((before as ThreadItem[] | undefined)?.map((i) => i.key));
      update(now);
      const newest = now[now.length - 1];
      // Something the customer just sent always brings them down to it.
      toBottom(newest?.kind === 'pending' && !known.has(newest.key));
    },
    { immediate: true },
  );
  // Once in the page (right after this returns), start at the newest message.
  queueMicrotask(() => toBottom(true));
  return scroller;
};
