/**
 * Splits an e-mail's plain text into what the customer wrote now and the
 * history their mail client quoted below it (or above it, for "> " lines),
 * so the thread shows the new words and keeps the rest one click away.
 */

/** Lines that open the quoted history, in the languages Brazilian mail clients write. */
const HISTORY_OPENERS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "Em seg., 30 de nov. de 2026 às 10:00, Ana <ana@x> escreveu:"
  /^\s*(em|no dia)\s.+\s(escreveu|escribió)\s*:\s*$/i,
  /^\s*on\s.+\swrote\s*:\s*$/i,
  /^\s*le\s.+\sa écrit\s*:\s*$/i,
  // Outlook
  /^\s*-{2,}\s*(mensagem original|original message|mensaje original)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  // Forwarded
  /^\s*-{2,}\s*(mensagem encaminhada|forwarded message)\s*-{2,}\s*$/i,
];

/** Outlook's header block: "De: …" followed within two lines by "Enviado em:"/"Sent:"/"Data:". */
const OUTLOOK_FROM = /^\s*(de|from)\s*:\s*\S/i;
const OUTLOOK_NEXT = /^\s*(enviado(\s+em)?|sent|data|date|para|to)\s*:/i;

/** The "-- " line before a signature (RFC 3676). */
const SIGNATURE = /^-- ?$/;

export interface SplitText {
  /** What the customer wrote in this message. */
  text: string;
  /** The quoted history and the signature, for "mostrar histórico"; empty when there was none. */
  quoted: string;
}

const tidy = (lines: string[]): string =>
  lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

export const splitQuoted = (body: string): SplitText => {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const next = `${lines[i + 1] ?? ''}\n${lines[i + 2] ?? ''}`;
    const opensHistory =
      HISTORY_OPENERS.some((re) => re.test(line)) ||
      SIGNATURE.test(line) ||
      (OUTLOOK_FROM.test(line) && next.split('\n').some((l) => OUTLOOK_NEXT.test(l)));
    // "Em 30/11, Ana escreveu:" is sometimes wrapped onto two lines.
    const wrappedOpener = i + 1 < lines.length && HISTORY_OPENERS.some((re) => re.test(`${line} ${lines[i + 1] ?? ''}`)) && /^\s*(em|on)\s/i.test(line);
    if (opensHistory || wrappedOpener) {
      cut = i;
      break;
    }
  }
  const head = lines.slice(0, cut);
  const tail = lines.slice(cut);
  // "> " lines interleaved with the answer (bottom-posting) stay where they are only when the
  // customer wrote between them; a trailing block of them is history.
  let end = head.length;
  while (end > 0 && (/^\s*>/.test(head[end - 1] ?? '') || (head[end - 1] ?? '').trim() === '')) end--;
  const text = tidy(head.slice(0, end));
  const quoted = tidy([...head.slice(end), ...tail]);
  // A mail that is nothing but a quote (a bare forward) keeps its text visible.
  if (!text && quoted) return { text: quoted, quoted: '' };
  return { text, quoted };
};
