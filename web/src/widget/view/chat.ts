import { computed } from '@vue/reactivity';
import type { WidgetApi, WidgetChannel } from '../api.ts';
import { useEmbedBridge } from '../embedBridge.ts';
import { t } from '../i18n.ts';
import type { WidgetLive } from '../live.ts';
import { useConversation } from '../useConversation.ts';
import { composer } from './composer.ts';
import { h, when } from './dom.ts';
import { header } from './header.ts';
import { survey } from './survey.ts';
import { thread } from './thread.ts';

export interface ChatProps {
  channel: WidgetChannel;
  api: WidgetApi;
  live: WidgetLive;
  token: string;
  embedded: boolean;
  onClose: () => void;
}

const dot = (delay: string) => h('span', { class: `size-1.5 animate-bounce rounded-full bg-brand ${delay}` });

/** The conversation screen; must be built inside an effect scope (it subscribes, and stops with it). */
export const chat = ({ channel, api, live, token, embedded, onClose }: ChatProps): HTMLElement => {
  const conversation = useConversation({ api, live, token });
  const { current, awaitingAgent, connected, error } = conversation;
  if (embedded) useEmbedBridge(conversation.thread);

  const protocol = computed(() =>
    current.value ? t(current.value.status === 'closed' ? 'protocolClosed' : 'protocol', { protocol: current.value.protocol }) : null,
  );
  const closed = computed(() => current.value?.status === 'closed' && conversation.pending.value.length === 0);
  const servedBy = computed(() => (current.value?.status === 'open' && current.value.assigneeName ? current.value.assigneeName.split(/\s+/)[0]! : null));
  const notice = computed(() => (awaitingAgent.value ? 'awaiting' : closed.value ? 'closed' : servedBy.value ? `serving:${servedBy.value}` : null));

  return h(
    'div',
    { class: 'flex h-full min-h-0 flex-col' },
    header({ title: () => channel.name || t('fallbackTitle'), subtitle: () => protocol.value, embedded, onClose }),
    when(
      () => connected.value,
      (up) => (up ? null : h('div', { class: 'shrink-0 bg-amber-50 px-4 py-1.5 text-center text-xs text-amber-800', role: 'status' }, t('reconnecting'))),
    ),
    thread({ items: () => conversation.thread.value, fileUrl: conversation.fileUrl, onRetry: conversation.retry }),
    when(
      () => notice.value,
      (which) =>
        which === 'awaiting'
          ? h(
              'div',
              {
                class: 'mx-3 mb-2 flex shrink-0 items-center gap-2.5 rounded-xl bg-gray-50 px-3 py-2 ring-1 ring-gray-200',
                role: 'status',
                'data-testid': 'awaiting-agent',
              },
              h('span', { class: 'flex gap-1', 'aria-hidden': 'true' }, dot('[animation-delay:-0.3s]'), dot('[animation-delay:-0.15s]'), dot('')),
              h(
                'span',
                { class: 'min-w-0 text-xs leading-snug' },
                h('span', { class: 'font-medium text-gray-800' }, t('awaitingAgent')),
                h('span', { class: 'block text-gray-500' }, t('awaitingAgentHint')),
              ),
            )
          : which?.startsWith('serving:')
            ? h(
                'p',
                { class: 'mx-3 mb-2 shrink-0 rounded-xl bg-emerald-50 px-3 py-1.5 text-center text-xs text-emerald-800 ring-1 ring-emerald-200', role: 'status', 'data-testid': 'served-by' },
                t('servedBy', { name: which!.slice('serving:'.length) }),
              )
          : which === 'closed'
            ? h('p', { class: 'mx-3 mb-2 shrink-0 rounded-xl bg-gray-50 px-3 py-2 text-center text-xs text-gray-600 ring-1 ring-gray-200', role: 'status' }, t('ticketClosed'))
            : null,
    ),
    survey(conversation.thread, conversation.sendText),
    composer({ error: () => error.value, send: conversation.sendText, attach: conversation.sendFile, onDismiss: conversation.dismissError }),
  );
};
