import { computed, ref, type ComputedRef } from '@vue/reactivity';
import { t } from '../i18n.ts';
import type { ThreadItem } from '../thread.ts';
import { h, when } from './dom.ts';

/**
 * D8 in the widget: after Finalizar the satisfaction question arrives as a
 * message marked `survey`; while nothing from the customer follows it, 1–5
 * buttons (and an optional comment) answer it. The answer is an ordinary
 * message ("5 - comentário") that the server records on the closed ticket.
 */
export const openSurvey = (items: readonly ThreadItem[]): boolean => {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === 'pending') return false;
    if (item.kind !== 'message') continue;
    if (item.message.direction === 'in') return false;
    if (item.message.survey) return true;
  }
  return false;
};

const SCORES = [1, 2, 3, 4, 5] as const;

export const survey = (items: ComputedRef<readonly ThreadItem[]>, send: (text: string) => boolean): Node => {
  const open = computed(() => openSurvey(items.value));
  const comment = ref('');
  const answer = (score: number) => {
    const text = comment.value.trim() ? `${score} - ${comment.value.trim()}` : String(score);
    if (send(text)) comment.value = '';
  };
  return when(
    () => open.value,
    (show) =>
      show
        ? h(
            'div',
            { class: 'mx-3 mb-2 shrink-0 rounded-xl bg-gray-50 px-3 py-2.5 ring-1 ring-gray-200', role: 'group', 'aria-label': t('surveyTitle'), 'data-testid': 'survey' },
            h('p', { class: 'text-xs font-medium text-gray-700' }, t('surveyTitle')),
            h(
              'div',
              { class: 'mt-2 flex gap-1.5' },
              ...SCORES.map((s) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'flex h-9 flex-1 items-center justify-center rounded-lg bg-white text-sm font-semibold text-gray-800 ring-1 ring-gray-300 hover:bg-brand hover:text-white',
                    'aria-label': t('surveyScore', { n: s }),
                    'data-score': String(s),
                    onclick: () => answer(s),
                  },
                  String(s),
                ),
              ),
            ),
            h('div', { class: 'mt-1 flex justify-between text-[10px] text-gray-500' }, h('span', null, t('surveyLow')), h('span', null, t('surveyHigh'))),
            h('input', {
              type: 'text',
              maxLength: 500,
              class: 'mt-2 h-8 w-full rounded-lg border border-gray-300 bg-white px-2.5 text-xs',
              placeholder: t('surveyComment'),
              'aria-label': t('surveyComment'),
              oninput: (e: Event) => (comment.value = (e.target as HTMLInputElement).value),
            }),
          )
        : null,
  );
};
