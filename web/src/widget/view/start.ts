import type { SessionInput } from '../api.ts';
import { t } from '../i18n.ts';
import { h, text, when } from './dom.ts';
import { signal } from '../signal.ts';

export interface StartProps {
  busy: () => boolean;
  error: () => string | null;
  onStart: (input: SessionInput) => void;
}

const field =
  'block w-full rounded-lg border border-gray-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-gray-400 focus:border-brand focus:ring-2 focus:ring-brand/25 focus:outline-none aria-invalid:border-red-500';

/** The first screen: who the customer is (name required, e-mail and phone optional). */
export const start = ({ busy, error, onStart }: StartProps): HTMLElement => {
  const invalid = signal<{ name?: string; email?: string }>({});

  const optional = (key: 'email' | 'phone', id: string) =>
    h('label', { for: id, class: 'mt-4 mb-1 text-sm font-medium' }, `${t(key)} `, h('span', { class: 'font-normal text-gray-400' }, `(${t('optional')})`));
  const errorOf = (which: 'name' | 'email') =>
    when(
      () => invalid.value[which],
      (message) => (message ? h('p', { id: `w-${which}-error`, class: 'mt-1 text-xs text-red-600' }, message) : null),
    );
  const input = (id: string, type: string, autocomplete: string, maxlength: number, which?: 'name' | 'email') =>
    h('input', {
      id,
      class: field,
      type,
      autocomplete,
      maxlength,
      ...(which && {
        'aria-invalid': () => (invalid.value[which] ? 'true' : undefined),
        'aria-describedby': () => (invalid.value[which] ? `${id}-error` : undefined),
      }),
    });

  const name = input('w-name', 'text', 'name', 120, 'name');
  name.required = true;
  name.placeholder = t('namePlaceholder');
  const email = input('w-email', 'email', 'email', 200, 'email');
  const phone = input('w-phone', 'tel', 'tel', 40);

  const submit = (e: Event) => {
    e.preventDefault();
    const [n, m, p] = [name.value.trim(), email.value.trim(), phone.value.trim()];
    invalid.value = {
      ...(n ? {} : { name: t('nameRequired') }),
      ...(m && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m) ? { email: t('emailInvalid') } : {}),
    };
    if (invalid.value.name || invalid.value.email) return;
    onStart({ name: n, ...(m ? { email: m } : {}), ...(p ? { phone: p } : {}) });
  };

  return h(
    'div',
    { class: 'flex-1 overflow-y-auto bg-gray-50' },
    h(
      'div',
      { class: 'bg-brand px-6 pt-4 pb-14 text-brand-ink' },
      h('h2', { class: 'text-2xl font-semibold' }, t('welcomeTitle')),
      h('p', { class: 'mt-1 text-sm opacity-90' }, t('welcomeText')),
    ),
    h(
      'form',
      { class: 'mx-4 -mt-10 mb-6 flex flex-col rounded-2xl bg-white p-5 shadow-md ring-1 ring-black/5', novalidate: true, onsubmit: submit },
      h('label', { for: 'w-name', class: 'mb-1 text-sm font-medium' }, t('name')),
      name,
      errorOf('name'),
      optional('email', 'w-email'),
      email,
      errorOf('email'),
      optional('phone', 'w-phone'),
      phone,
      when(error, (message) => (message ? h('p', { class: 'mt-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700', role: 'alert' }, message) : null)),
      h(
        'button',
        {
          type: 'submit',
          class:
            'mt-6 w-full rounded-lg bg-brand px-4 py-2.5 text-sm font-semibold text-brand-ink shadow-sm transition hover:opacity-90 focus-visible:ring-2 focus-visible:ring-brand/40 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60',
          disabled: busy,
        },
        text(() => (busy() ? t('starting') : t('start'))),
      ),
    ),
  );
};
