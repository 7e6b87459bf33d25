import { z } from 'zod';
import type { Contact } from './model/index.ts';

/**
 * Opening a web-chat session: what the visitor tells the widget, and the
 * contact it creates. The embedded server (`server/src/routes/widget.ts`) and
 * the `widget.session` callable (`functions/src/widgetSession.ts`) both use
 * these, so a visitor becomes the same contact on either backend.
 */
export const WidgetVisitor = z.object({
  name: z.string().trim().min(1, 'Informe seu nome. (Tell us your name.)').max(120, 'Nome muito longo. (Name too long.)'),
  // Lower-cased: the e-mail finds the contact again, whatever the visitor's capitals.
  email: z.union([z.string().trim().toLowerCase().email('E-mail inválido. (Invalid e-mail.)').max(200), z.literal('')]).optional(),
  phone: z.string().trim().max(40, 'Telefone muito longo. (Phone too long.)').optional(),
});
export type WidgetVisitor = z.infer<typeof WidgetVisitor>;

/** The identity key of a widget visitor on a channel (`contacts.identityKeys`). */
export const widgetIdentityKey = (channelId: string, visitorId: string): string => `${channelId}:${visitorId}`;

/** The contact a new widget visitor becomes. */
export const widgetContact = (visitor: WidgetVisitor, channelId: string, visitorId: string, id: string, now: number): Contact => ({
  id,
  name: visitor.name,
  phone: visitor.phone || null,
  email: visitor.email || null,
  identityKeys: [widgetIdentityKey(channelId, visitorId)],
  tagIds: [],
  notes: '',
  createdAt: now,
  updatedAt: now,
});
