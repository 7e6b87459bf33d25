import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommandError, ERROR_FALLBACKS, ERROR_TEXTS, errorText, reasonOf } from '../src/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** Every .ts file under a folder (tests excluded). */
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(root, dir, name);
    if (statSync(path).isDirectory()) return sources(join(dir, name));
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });

/** Reads a JS string or template literal starting at `i`; `${…}` parts become "X" (nested templates included). */
const literalAt = (text: string, i: number): string | null => {
  const quote = text[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return null;
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\') {
      out += text[++j];
      continue;
    }
    if (c === quote) return out;
    if (quote === '`' && c === '$' && text[j + 1] === '{') {
      let depth = 1;
      j += 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        else if (text[j] === '`') {
          // a nested template: skip to its end
          j++;
          while (j < text.length && text[j] !== '`') j++;
        }
      }
      j--;
      out += 'X';
      continue;
    }
    out += c;
  }
  return null;
};

/** Every message thrown with a literal: `new CommandError('code', '…')`, `precondition(ok, '…')`. */
const thrownMessages = (): { where: string; message: string }[] => {
  const found: { where: string; message: string }[] = [];
  for (const file of [...sources('core/src'), ...sources('server/src'), ...sources('functions/src')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new CommandError\(\s*'[a-z-]+',\s*|precondition\([^,]+,\s*/g)) {
      const message = literalAt(text, m.index + m[0].length);
      if (message !== null) found.push({ where: `${file.slice(root.length)}:${text.slice(0, m.index).split('\n').length}`, message });
    }
  }
  return found;
};

/** Every refusal a policy or catalogue check returns ('…' instead of true). */
const decisions = (): string[] => {
  const found: string[] = [];
  for (const file of ['core/src/policy.ts', 'core/src/queries/catalogue.ts'].map((f) => join(root, f)))
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\? true : |return |: )(['`])((?:(?!\1)[^\n])*\s(?:(?!\1)[^\n])*)\1/g)) if (!m[2]!.includes(' | ')) found.push(m[2]!.replace(/\$\{[^}]*\}/g, 'X'));
  return found;
};

describe('error texts (issue 13): every error a person can meet has a code and both languages', () => {
  it('walks every code: both languages, the same parameters, nothing left unfilled', () => {
    for (const [reason, text] of Object.entries(ERROR_TEXTS)) {
      expect(text.en.trim(), reason).not.toBe('');
      expect(text['pt-BR'].trim(), reason).not.toBe('');
      const params = placeholders(text.en);
      // Portuguese may leave a parameter out, never invent one.
      for (const p of placeholders(text['pt-BR'])) expect(params, `${reason}: {${p}} in pt-BR only`).toContain(p);
      const sample = Object.fromEntries(params.map((p) => [p, `«${p}»`]));
      for (const locale of ['pt-BR', 'en'])
        expect(errorText({ code: 'failed-precondition', reason, params: sample }, locale), `${reason} in ${locale}`).not.toMatch(/\{\w+\}/);
    }
    for (const [code, text] of Object.entries(ERROR_FALLBACKS)) expect(text.en && text['pt-BR'], code).toBeTruthy();
  });

  it('every message thrown in core, server and functions is recognised as one of the codes', () => {
    const thrown = thrownMessages();
    expect(thrown.length).toBeGreaterThan(40);
    const unknown = thrown.filter((t) => reasonOf(t.message) === null);
    expect(unknown, 'add these to core/src/errors/customerTexts.ts or staffTexts.ts').toEqual([]);
  });

  it('every refusal of the policy and the catalogue is recognised too', () => {
    const found = decisions();
    expect(found.length).toBeGreaterThan(8);
    expect(found.filter((d) => reasonOf(d) === null), 'add these to core/src/errors/customerTexts.ts or staffTexts.ts').toEqual([]);
  });

  it('the Atender race reads in Portuguese, with its code on the error', () => {
    const e = new CommandError('failed-precondition', 'Someone else has already taken this ticket');
    expect(e.reason).toBe('ticket.alreadyTaken');
    expect(errorText(e, 'pt-BR')).toBe('Outra pessoa já está atendendo este cliente');
    const named = new CommandError('failed-precondition', 'Carla Dias is not in the sector Financeiro');
    expect(named).toMatchObject({ reason: 'transfer.agentNotInSector', params: { agent: 'Carla Dias', sector: 'Financeiro' } });
    expect(errorText(named, 'pt-BR')).toBe('Carla Dias não está no setor Financeiro');
    // Old bilingual messages are recognised by their English part.
    expect(reasonOf('E-mail ou senha incorretos. (Wrong e-mail or password.)')?.reason).toBe('auth.wrongPassword');
    // Unknown text never reaches the reader: a sentence for its code does.
    expect(errorText({ code: 'permission-denied', message: 'some new english sentence' }, 'pt-BR')).toBe('Você não tem permissão para isso.');
  });
});
