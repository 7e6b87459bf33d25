import { describe, expect, it } from 'vitest';
import { parseOrThrow, widgetContact, WidgetVisitor } from '../src/index.ts';

describe('widget sessions (one rule for both backends)', () => {
  it('lower-cases and trims the e-mail, and turns empty details into null', () => {
    const visitor = parseOrThrow(WidgetVisitor, { name: ' Vera ', email: ' Vera@Example.COM ', phone: '' });
    const contact = widgetContact(visitor, 'site', 'v-1', 'c1', 1000);
    expect(contact).toEqual({ id: 'c1', name: 'Vera', phone: null, email: 'vera@example.com', identityKeys: ['site:v-1'], tagIds: [], notes: '', createdAt: 1000, updatedAt: 1000 });
    expect(widgetContact(parseOrThrow(WidgetVisitor, { name: 'Vera', email: '' }), 'site', 'v-2', 'c2', 1).email).toBeNull();
  });

  it('refuses a missing name and a bad e-mail, in Portuguese first', () => {
    expect(() => parseOrThrow(WidgetVisitor, { name: ' ' })).toThrow(/Informe seu nome/);
    expect(() => parseOrThrow(WidgetVisitor, { name: 'Vera', email: 'not-an-email' })).toThrow(/E-mail inválido/);
  });
});
