import { MAX_TEXT } from '../api.ts';
import { t } from '../i18n.ts';
import { closeIcon, h, icon, text, when } from './dom.ts';
import { signal } from '../signal.ts';

export interface ComposerProps {
  error: () => string | null;
  /** Returns false when the text was refused before sending (the reason shows as `error`). */
  send: (text: string) => boolean;
  attach: (file: File) => unknown;
  onDismiss: () => void;
}

const round = 'flex size-10 shrink-0 items-center justify-center rounded-full';

/** The text box with the attach and send buttons; the error of the last attempt above it. */
export const composer = ({ error, send, attach, onDismiss }: ComposerProps): HTMLElement => {
  const draft = signal('');

  const box = h('textarea', {
    value: () => draft.value,
    rows: 1,
    class:
      'max-h-32 min-h-10 flex-1 resize-none rounded-2xl border border-gray-300 bg-gray-50 px-3.5 py-2 text-sm leading-normal placeholder:text-gray-400 focus:border-brand focus:bg-white focus:ring-2 focus:ring-brand/20 focus:outline-none',
    placeholder: t('placeholder'),
    'aria-label': t('placeholder'),
    oninput: () => {
      draft.value = box.value;
      grow();
    },
    onkeydown: (e: KeyboardEvent) => {
      // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
      e.preventDefault();
      submit();
    },
    // A screenshot pasted into the box is sent like a picked file.
    onpaste: (e: ClipboardEvent) => {
      const file = e.clipboardData?.files?.[0];
      if (!file) return;
      e.preventDefault();
      void attach(file);
    },
  });

  const grow = () => {
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 128)}px`;
  };

  const submit = () => {
    if (!send(draft.value)) return;
    draft.value = '';
    grow();
    box.focus();
  };

  const picker = h('input', {
    type: 'file',
    class: 'hidden',
    tabindex: -1,
    'aria-hidden': 'true',
    onchange: () => {
      const file = picker.files?.[0];
      if (file) void attach(file);
      picker.value = '';
    },
  });

  return h(
    'div',
    { class: 'shrink-0 border-t border-gray-200 bg-white px-3 pt-2 pb-3' },
    when(error, (message) =>
      message
        ? h(
            'div',
            { class: 'mb-2 flex items-start gap-2 rounded-lg bg-red-50 px-3 py-2 text-xs text-red-700', role: 'alert', 'data-testid': 'composer-error' },
            h('span', { class: 'flex-1' }, message),
            h('button', { type: 'button', class: 'shrink-0 rounded p-0.5 hover:bg-red-100', 'aria-label': t('close'), onclick: onDismiss }, closeIcon('size-3.5')),
          )
        : null,
    ),
    h(
      'form',
      {
        class: 'flex items-end gap-1.5',
        onsubmit: (e: Event) => {
          e.preventDefault();
          submit();
        },
      },
      h(
        'button',
        {
          type: 'button',
          class: `${round} text-gray-500 hover:bg-gray-100 hover:text-gray-700 focus-visible:ring-2 focus-visible:ring-brand/40 focus-visible:outline-none`,
          'aria-label': t('attach'),
          title: t('attach'),
          onclick: () => picker.click(),
        },
        icon('size-5', 'm16 6-8.414 8.586a2 2 0 0 0 2.829 2.829l8.414-8.586a4 4 0 1 0-5.657-5.657l-8.379 8.551a6 6 0 1 0 8.485 8.485l8.379-8.551'),
      ),
      picker,
      box,
      h(
        'button',
        {
          type: 'submit',
          class: `${round} bg-brand text-brand-ink shadow-sm transition hover:opacity-90 focus-visible:ring-2 focus-visible:ring-brand/40 focus-visible:ring-offset-1 focus-visible:outline-none disabled:opacity-40`,
          'aria-label': t('send'),
          title: t('send'),
          disabled: () => !draft.value.trim(),
        },
        icon('size-5', 'M3.714 3.048a.498.498 0 0 0-.683.627l2.843 7.627a2 2 0 0 1 0 1.396l-2.842 7.627a.498.498 0 0 0 .682.627l18-8.5a.5.5 0 0 0 0-.904z', 'M6 12h16'),
      ),
    ),
    when(
      () => draft.value.length > MAX_TEXT - 200,
      (near) =>
        near
          ? h(
              'p',
              { class: () => `mt-1 text-right text-[10px] ${draft.value.length > MAX_TEXT ? 'text-red-600' : 'text-gray-400'}` },
              text(() => `${draft.value.length}/${MAX_TEXT}`),
            )
          : null,
    ),
  );
};
