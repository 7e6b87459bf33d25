import { CommandError } from '../errors.ts';
import type { MessageTemplate } from '../model/index.ts';
import type { HttpAnswer, HttpCall, SendContext } from './types.ts';
import { whatsAppTemplatesRequest } from './whatsapp/send.ts';
import { graphFailure } from './whatsapp/errors.ts';

/** A template as the provider lists it, before it becomes a `templates` document. */
export interface ProviderTemplate {
  providerId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  body: string;
}

/** The most pages one sync reads (100 templates each). */
export const MAX_TEMPLATE_PAGES = 20;

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** How many {{n}} a body has (the highest n). */
export const templateVariables = (body: string): number => Math.min(20, Math.max(0, ...[...body.matchAll(PLACEHOLDER)].map((m) => Number(m[1]))));

/** The body with its {{n}} filled in (missing values stay as written). */
export const renderTemplate = (body: string, params: readonly string[]): string =>
  body.replace(PLACEHOLDER, (all, n: string) => params[Number(n) - 1] ?? all);

/** Reads one page of `GET /{waba-id}/message_templates`. Throws CommandError naming the provider's reason. */
export const readTemplatesPage = (answer: HttpAnswer): { templates: ProviderTemplate[]; after: string | null } => {
  if (answer.status !== 200) {
    const failure = graphFailure(answer).failure;
    throw new CommandError('failed-precondition', `The provider refused the template list: ${failure.code}`, [{ path: 'channelId', message: failure.detail ?? failure.code }]);
  }
  const body = (answer.body ?? {}) as { data?: unknown; paging?: { cursors?: { after?: unknown }; next?: unknown } };
  const data = Array.isArray(body.data) ? body.data : [];
  const templates: ProviderTemplate[] = [];
  for (const raw of data as Record<string, unknown>[]) {
    if (typeof raw?.name !== 'string' || typeof raw.language !== 'string') continue;
    const components = Array.isArray(raw.components) ? (raw.components as { type?: unknown; text?: unknown }[]) : [];
    const text = components.find((c) => String(c.type).toUpperCase() === 'BODY')?.text;
    templates.push({
      providerId: String(raw.id ?? ''),
      name: raw.name.slice(0, 512),
      language: raw.language.slice(0, 20),
      category: String(raw.category ?? '').slice(0, 40),
      status: String(raw.status ?? '').slice(0, 40),
      body: typeof text === 'string' ? text.slice(0, 1024) : '',
    });
  }
  const after = body.paging?.next && typeof body.paging.cursors?.after === 'string' ? body.paging.cursors.after : null;
  return { templates, after };
};

/** Every page of a WhatsApp Business Account's templates, through the backend's `fetch`. */
export const fetchWhatsAppTemplates = async (ctx: SendContext, fetch: (call: HttpCall) => Promise<HttpAnswer>): Promise<ProviderTemplate[]> => {
  if (!ctx.account.businessId) throw new CommandError('failed-precondition', 'Connect the channel with its WhatsApp Business Account id first', [{ path: 'account.businessId', message: 'missing' }]);
  const all: ProviderTemplate[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
    const read = readTemplatesPage(await fetch(whatsAppTemplatesRequest(ctx, after)));
    all.push(...read.templates);
    after = read.after;
    if (!after) break;
  }
  return all;
};

export type { MessageTemplate };

/** The demo's templates: what the simulator's fake Graph API lists, and what the demo seed stores already synced. */
export const DEMO_TEMPLATES: (Omit<ProviderTemplate, 'providerId' | 'body'> & { components: { type: string; text?: string }[] })[] = [
  { name: 'retomar_atendimento', language: 'pt_BR', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Olá, {{1}}! Aqui é {{2}}. Podemos continuar seu atendimento (protocolo {{3}})?' }] },
  { name: 'pedido_enviado', language: 'pt_BR', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Olá, {{1}}! Seu pedido foi enviado e chega em até {{2}} dias úteis.' }] },
  { name: 'pesquisa_satisfacao', language: 'pt_BR', category: 'MARKETING', status: 'APPROVED', components: [{ type: 'BODY', text: 'Olá, {{1}}! De 1 a 5, como foi seu atendimento?' }] },
  { name: 'resume_service', language: 'en_US', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hi {{1}}! This is {{2}}. Shall we continue (protocol {{3}})?' }] },
  { name: 'promocao_natal', language: 'pt_BR', category: 'MARKETING', status: 'REJECTED', components: [{ type: 'BODY', text: 'Promoção de Natal!' }] },
];

/** The provider id the fake Graph API gives the i-th demo template. */
export const demoTemplateId = (i: number): string => `${900000000000001 + i}`;

