import { FilterXSS, type IWhiteList } from 'xss';

/**
 * E-mail HTML, made safe to show: only formatting tags survive, no script,
 * style, form, frame or event handler; links keep http(s)/mailto targets and
 * open elsewhere; remote images are dropped (they track the reader), inline
 * ones (`cid:` parts become attachments) too. The SPA shows the result in a
 * sandboxed frame besides.
 */
const allowList: IWhiteList = {
  a: ['href', 'title'],
  b: [],
  blockquote: [],
  br: [],
  code: [],
  div: [],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  hr: [],
  i: [],
  li: [],
  ol: [],
  p: [],
  pre: [],
  s: [],
  small: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  thead: [],
  tr: [],
  u: [],
  ul: [],
};

const filter = new FilterXSS({
  whiteList: allowList,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'head', 'title', 'noscript', 'template', 'iframe', 'object', 'svg', 'math'],
  allowCommentTag: false,
  css: false,
  safeAttrValue(tag, name, value) {
    return value.replace(/[<>"]/g, '');
  },
  onTagAttr(tag, name, value) {
    if (tag === 'a' && name === 'href') {
      const safe = /^(https?:|mailto:)/i.test(value.trim()) ? value.trim().replace(/"/g, '%22') : '';
      return safe ? `href="${safe}" target="_blank" rel="noopener noreferrer nofollow"` : '';
    }
    return undefined;
  },
});

export const MAX_HTML = 200_000;

export const sanitizeHtml = (html: string): string => filter.process(html.slice(0, MAX_HTML)).trim();

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ordf: 'ª', ordm: 'º', euro: '€', hellip: '…', ndash: '–', mdash: '—' };
// Portuguese letters: &aacute; &Atilde; &ccedil; …
for (const [base, marks] of Object.entries({ a: 'acute grave circ tilde uml', e: 'acute grave circ uml', i: 'acute grave circ uml', o: 'acute grave circ tilde uml', u: 'acute grave circ uml', c: 'cedil', n: 'tilde' }))
  for (const mark of marks.split(' ')) {
    const combining = { acute: '\u0301', grave: '\u0300', circ: '\u0302', tilde: '\u0303', uml: '\u0308', cedil: '\u0327' }[mark] ?? '';
    ENTITIES[`${base}${mark}`] = `${base}${combining}`.normalize('NFC');
    ENTITIES[`${base.toUpperCase()}${mark}`] = `${base.toUpperCase()}${combining}`.normalize('NFC');
  }

/** Plain text of an HTML body, for mails that came without a text part. */
export const htmlToText = (html: string): string =>
  html
    .slice(0, MAX_HTML)
    .replace(/<(script|style|head|title)[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|h[1-6]|li|blockquote|table)\s*>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<blockquote[^>]*>/gi, '\n> ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
      return ENTITIES[code] ?? ENTITIES[code.toLowerCase()] ?? all;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
