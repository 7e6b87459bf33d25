import { describe, expect, it } from 'vitest';
import {
  buildReply,
  decideInbound,
  htmlToText,
  outboundMessageId,
  replySubject,
  sanitizeHtml,
  splitQuoted,
  ticketIdFromMail,
  type ReceivedMail,
} from '../src/channels/email/index.ts';

const mail = (over: Partial<ReceivedMail> = {}): ReceivedMail => ({
  messageId: '<CAF=abc123@mail.gmail.com>',
  inReplyTo: null,
  references: [],
  from: { address: 'joana@cliente.com.br', name: 'Joana Silva' },
  replyTo: null,
  to: ['suporte@loja.test'],
  subject: 'Pedido 4521 não chegou',
  date: Date.UTC(2026, 10, 30, 13),
  text: 'Olá, meu pedido 4521 não chegou.\nPodem verificar?',
  html: null,
  automatic: false,
  attachments: [],
  ...over,
});

describe('splitQuoted', () => {
  it('cuts at a Gmail pt-BR history line and keeps the history apart', () => {
    const body = 'Ainda não recebi.\n\nEm seg., 30 de nov. de 2026 às 10:00, Ana · Loja <suporte@loja.test> escreveu:\n> Olá Joana, já verificamos.\n> Até logo';
    expect(splitQuoted(body)).toEqual({
      text: 'Ainda não recebi.',
      quoted: 'Em seg., 30 de nov. de 2026 às 10:00, Ana · Loja <suporte@loja.test> escreveu:\n> Olá Joana, já verificamos.\n> Até logo',
    });
  });

  it('cuts at an English "On … wrote:" line, an Outlook header block and a signature', () => {
    expect(splitQuoted('Thanks!\nOn Mon, Nov 30, 2026 at 10:00 AM Ana <a@b.c> wrote:\n> hi').text).toBe('Thanks!');
    const outlook = 'Segue o comprovante.\n\nDe: Loja <suporte@loja.test>\nEnviado em: segunda-feira, 30 de novembro de 2026 10:00\nPara: Joana\nAssunto: Re: Pedido';
    expect(splitQuoted(outlook).text).toBe('Segue o comprovante.');
    expect(splitQuoted('Obrigada\n-- \nJoana Silva\nCliente desde 2019')).toEqual({ text: 'Obrigada', quoted: '-- \nJoana Silva\nCliente desde 2019' });
  });

  it('treats trailing "> " lines as history but keeps answers written between quotes', () => {
    expect(splitQuoted('Sim, pode trocar.\n\n> Podemos trocar o produto?\n> Att').text).toBe('Sim, pode trocar.');
    const interleaved = '> Qual o número do pedido?\n4521\n> E o CPF?\n123.456.789-00';
    expect(splitQuoted(interleaved).text).toBe(interleaved);
  });

  it('keeps a bare forward visible instead of showing an empty message', () => {
    const forward = '---------- Forwarded message ---------\nFrom: banco@x.com\nSeu boleto venceu.';
    expect(splitQuoted(forward)).toEqual({ text: forward, quoted: '' });
  });
});

describe('sanitizeHtml / htmlToText', () => {
  it('removes scripts, handlers, styles, frames, remote images and javascript: links', () => {
    const dirty =
      '<p onclick="steal()">Olá <b>Ana</b></p><script>alert(1)</script><style>p{}</style><img src="https://t.example/pixel.gif">' +
      '<a href="javascript:alert(1)">x</a><a href="https://loja.test/pedido">pedido</a><iframe src="https://evil"></iframe><form><input></form>';
    const clean = sanitizeHtml(dirty);
    expect(clean).not.toMatch(/script|onclick|style|img|iframe|javascript|form|input/i);
    expect(clean).toContain('<b>Ana</b>');
    expect(clean).toContain('<a href="https://loja.test/pedido" target="_blank" rel="noopener noreferrer nofollow">pedido</a>');
  });

  it('turns HTML into readable text with line breaks, lists and entities', () => {
    expect(htmlToText('<p>Ol&aacute; &amp; bem-vindo</p><ul><li>um</li><li>dois</li></ul>Fim<br>&#8212; Ana')).toBe(
      'Olá & bem-vindo\n• um\n• dois\nFim\n— Ana',
    );
  });
});

describe('threading', () => {
  it('finds the ticket from In-Reply-To, then References, then a +t. sub-address', () => {
    const ours = outboundMessageId('tk_1', 'm9', 'suporte@loja.test');
    expect(ours).toBe('<atende.tk_1.m9@loja.test>');
    expect(ticketIdFromMail({ inReplyTo: ours, references: [], to: [] }, 'suporte@loja.test')).toBe('tk_1');
    expect(ticketIdFromMail({ inReplyTo: '<x@gmail.com>', references: ['<atende.tk_2.m1@loja.test>', '<x@gmail.com>'], to: [] }, 'suporte@loja.test')).toBe('tk_2');
    expect(ticketIdFromMail({ inReplyTo: null, references: [], to: ['Suporte+t.tk_3@Loja.test'] }, 'suporte@loja.test')).toBe('tk_3');
    expect(ticketIdFromMail({ inReplyTo: '<other@x>', references: [], to: ['outro+t.tk_3@loja.test'] }, 'suporte@loja.test')).toBeNull();
  });

  it('writes one "Re:" and the protocol, whatever the client prefixed', () => {
    expect(replySubject('RES: Re: Pedido 4521 [#20261130-0001]', '20261130-0001')).toBe('Re: Pedido 4521 [#20261130-0001]');
    expect(replySubject('', '20261130-0002')).toBe('Re: Atendimento [#20261130-0002]');
  });
});

describe('decideInbound', () => {
  it('maps a customer mail: sender as identity, new words as text, history apart', () => {
    const d = decideInbound(mail({ text: 'Ainda nada.\n\nOn Mon, Nov 30, 2026 Ana <suporte@loja.test> wrote:\n> Já enviamos' }), 'suporte@loja.test');
    expect(d).toMatchObject({
      ignore: null,
      externalId: 'joana@cliente.com.br',
      name: 'Joana Silva',
      channelMessageId: '<CAF=abc123@mail.gmail.com>',
      text: 'Ainda nada.',
      subject: 'Pedido 4521 não chegou',
      threadTicketId: null,
    });
    expect(d.quoted).toContain('Já enviamos');
  });

  it('reads HTML-only mails as text and keeps the sanitised HTML', () => {
    const d = decideInbound(mail({ text: null, html: '<div>Bom dia<br>Preciso da <b>2ª via</b></div><script>x()</script>' }), 'suporte@loja.test');
    expect(d.text).toBe('Bom dia\nPreciso da 2ª via');
    expect(d.html).toBe('<div>Bom dia<br>Preciso da <b>2ª via</b></div>');
  });

  it('ignores auto-replies, bounces, our own mails and empty mails, saying why', () => {
    expect(decideInbound(mail({ automatic: true }), 'suporte@loja.test').ignore).toMatch(/automatic/);
    expect(decideInbound(mail({ from: { address: 'MAILER-DAEMON@loja.test', name: null } }), 'suporte@loja.test').ignore).toMatch(/bounce/);
    expect(decideInbound(mail({ from: { address: 'suporte@loja.test', name: null } }), 'suporte@loja.test').ignore).toMatch(/loop/);
    expect(decideInbound(mail({ text: '  ', html: null }), 'suporte@loja.test').ignore).toMatch(/empty/);
  });

  it('keeps file attachments, drops inline images of an HTML mail, and names mails without Message-ID stably', () => {
    const d = decideInbound(
      mail({
        messageId: null,
        html: '<p>foto</p>',
        attachments: [
          { name: 'logo.png', mime: 'image/png', size: 10, inline: true },
          { name: 'nota.pdf', mime: 'application/pdf', size: 10, inline: false },
        ],
      }),
      'suporte@loja.test',
    );
    expect(d.keepAttachments).toEqual([1]);
    expect(d.channelMessageId).toBe(decideInbound(mail({ messageId: null }), 'suporte@loja.test').channelMessageId);
  });
});

describe('buildReply', () => {
  it('answers in the thread: Re: subject with protocol, In-Reply-To, References, signature, +t. Reply-To', () => {
    const out = buildReply({
      mailbox: 'suporte@loja.test',
      fromName: 'Loja',
      signature: 'Equipe Financeiro\n(11) 4000-0000',
      ticket: { id: 'tk_1', protocol: '20261130-0007', contactEmail: 'joana@cliente.com.br' },
      message: { id: 'm2', text: 'Olá Joana, segue a 2ª via.', authorName: 'Ana', attachmentIds: ['f1'] },
      answering: { messageId: '<b@gmail>', subject: 'Re: 2ª via', references: ['<a@gmail>'] },
    });
    expect(out).toMatchObject({
      from: { name: 'Ana · Loja', address: 'suporte@loja.test' },
      replyTo: 'suporte+t.tk_1@loja.test',
      to: 'joana@cliente.com.br',
      subject: 'Re: 2ª via [#20261130-0007]',
      messageId: '<atende.tk_1.m2@loja.test>',
      inReplyTo: '<b@gmail>',
      references: ['<a@gmail>', '<b@gmail>'],
      attachmentIds: ['f1'],
    });
    expect(out.text).toBe('Olá Joana, segue a 2ª via.\n\n-- \nEquipe Financeiro\n(11) 4000-0000');
  });
});
