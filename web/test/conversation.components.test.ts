import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import ConversationComposer from '@/components/conversation/ConversationComposer.vue';
import ConversationMessage from '@/components/conversation/ConversationMessage.vue';
import { linkify } from '@/composables/linkify';
import { i18n } from '@/i18n';
import { message } from './fixtures';

describe('ConversationComposer', () => {
  const composer = (disabledReason: string | null = null) => mount(ConversationComposer, { props: { ticketId: 't1', disabledReason }, global: { plugins: [i18n, createPinia()] } });

  it('sends on Enter and adds a line on Shift+Enter', async () => {
    const w = composer();
    const box = w.get('textarea[aria-label="Mensagem"]');
    await box.setValue('primeira linha');
    await box.trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(w.emitted('send')).toBeUndefined();
    await box.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('send')).toEqual([['primeira linha']]);
    expect((box.element as HTMLTextAreaElement).value).toBe('');
  });

  it('does not send an empty message, and sends from the Enviar button', async () => {
    const w = composer();
    const box = w.get('textarea');
    await box.setValue('   ');
    await box.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('send')).toBeUndefined();
    await box.setValue('Olá');
    const button = w.findAll('button').find((b) => b.text() === 'Enviar')!;
    expect(button.attributes('type')).toBe('submit');
    await w.get('form').trigger('submit');
    expect(w.emitted('send')).toEqual([['Olá']]);
  });

  describe('placeholder', () => {
    // jsdom lays nothing out: a ResizeObserver that reports the form as `width` px wide, as Chromium would.
    const formWidth = (width: number) =>
      vi.stubGlobal(
        'ResizeObserver',
        class {
          constructor(private readonly report: ResizeObserverCallback) {}
          observe(target: Element) {
            const size = [{ inlineSize: width, blockSize: 40 }];
            this.report([{ target, contentRect: { width, height: 40 }, contentBoxSize: size, borderBoxSize: size } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
          }
          unobserve() {}
          disconnect() {}
        },
      );
    afterEach(() => void vi.unstubAllGlobals());

    it('says less where the whole one would be cut (four columns at 1280: ~165 px for the box)', async () => {
      formWidth(165);
      const w = composer();
      await nextTick();
      expect(w.get('textarea').attributes('placeholder')).toBe('Escreva…');
    });

    it('is whole where it fits', async () => {
      formWidth(371);
      const w = composer();
      await nextTick();
      expect(w.get('textarea').attributes('placeholder')).toBe('Escreva sua mensagem…');
    });
  });

  it('is disabled with the explanation while peeking', () => {
    const w = composer('Clique em Atender para responder');
    const box = w.get('textarea');
    expect(box.attributes('disabled')).toBeDefined();
    const why = w.get(`#${box.attributes('aria-describedby')}`);
    expect(why.text()).toBe('Clique em Atender para responder');
  });
});

describe('ConversationMessage', () => {
  const render = (text: string, fields = {}) =>
    mount(ConversationMessage, {
      props: { message: message('m1', { text, ...fields }), fileUrl: (id: string) => `/f/${id}` },
      global: { plugins: [i18n, createPinia()] },
    });

  it('shows customer text as text, never as HTML', () => {
    const w = render('<img src=x onerror=alert(1)> oi');
    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toContain('<img src=x onerror=alert(1)> oi');
  });

  it('makes links clickable in a new tab without giving the page away', () => {
    const w = render('veja https://exemplo.com/a?b=1. obrigado');
    const a = w.get('a');
    expect(a.attributes()).toMatchObject({ href: 'https://exemplo.com/a?b=1', target: '_blank' });
    expect(a.attributes('rel')).toContain('noopener');
    expect(w.text()).toContain('veja https://exemplo.com/a?b=1. obrigado');
  });

  it('does not turn a javascript: URL into a link', () => {
    expect(linkify('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
  });

  it('labels the delivery state of an agent message and a system line as a sentence', () => {
    const out = render('Oi', { direction: 'out', authorName: 'Ana Souza', status: 'delivered' });
    expect(out.get('[role="img"]').attributes('aria-label')).toBe('Entregue');
    const system = render('', { direction: 'system', event: { kind: 'accepted', actorName: 'Ana Souza' } });
    expect(system.text()).toContain('Ana Souza atendeu');
    // Wrapped in a narrow column, the line stays centred and its time stays with its dot.
    expect(system.find('[data-kind="system"] p').classes()).toContain('text-center');
    expect(system.find('[data-kind="system"] p span').classes()).toContain('whitespace-nowrap');
  });
});
