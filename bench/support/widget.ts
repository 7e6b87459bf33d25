import type { HttpClient } from './http.ts';

export interface Visitor {
  index: number;
  token: string;
  contactId: string;
  ticketId: string | null;
  seq: number;
}

export interface WidgetAck {
  ticketId: string;
  messageId: string;
  protocol: string;
}

/** A web-chat customer: a widget session, as the widget page would open it. */
export const openVisitor = async (http: HttpClient, channelId: string, index: number, prefix: string): Promise<Visitor> => {
  const res = await http.post<{ token: string; contactId: string }>(`/api/widget/${channelId}/session`, { name: `${prefix} ${index}` });
  if (res.status !== 200) throw new Error(`widget session: ${res.status} ${JSON.stringify(res.body)}`);
  return { index, token: res.body.token, contactId: res.body.contactId, ticketId: null, seq: 0 };
};

export const sendAsVisitor = (http: HttpClient, v: Visitor, text: string, clientMessageId: string) =>
  http.post<WidgetAck>('/api/widget/messages', { text, clientMessageId }, { authorization: `Bearer ${v.token}` });
