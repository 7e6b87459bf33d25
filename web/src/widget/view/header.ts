import { t } from '../i18n.ts';
import { closeIcon, h, text, when } from './dom.ts';

export interface HeaderProps {
  title: () => string;
  subtitle: () => string | null;
  embedded: boolean;
  onClose: () => void;
}

/** The brand-coloured bar: the company's initial and name, the protocol, and a close button inside an iframe. */
export const header = ({ title, subtitle, embedded, onClose }: HeaderProps): HTMLElement => {
  const initial = () => title().trim().charAt(0).toUpperCase();
  return h(
    'header',
    { class: 'flex shrink-0 items-center gap-3 bg-brand px-4 py-3 text-brand-ink' },
    when(initial, (letter) =>
      letter
        ? h('div', { class: 'flex size-10 shrink-0 items-center justify-center rounded-full bg-white/20 text-lg font-semibold', 'aria-hidden': 'true' }, letter)
        : null,
    ),
    h(
      'div',
      { class: 'min-w-0 flex-1' },
      h('h1', { class: 'truncate text-base leading-tight font-semibold' }, text(() => title() || '\u00a0')),
      when(subtitle, (s) => (s ? h('p', { class: 'truncate text-xs opacity-85', 'data-testid': 'protocol' }, s) : null)),
    ),
    embedded &&
      h(
        'button',
        {
          type: 'button',
          class:
            'flex size-9 items-center justify-center rounded-full hover:bg-white/15 focus-visible:ring-2 focus-visible:ring-white/70 focus-visible:outline-none',
          'aria-label': t('close'),
          title: t('close'),
          onclick: onClose,
        },
        closeIcon('size-5'),
      ),
  );
};
