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

/** The text between the parenthesis opened at `open` and the one that closes it (strings and templates skipped). */
const argumentsAt = (text: string, open: number): string => {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j]!;
    if (c === "'" || c === '"' || c === '`') {
      const literal = literalAt(text, j);
      // literalAt folds `${…}` to X: step over the raw literal by finding its closing quote again.
      let k = j + 1;
      for (let nested = 0; k < text.length; k++) {
        if (text[k] === '\\') k++;
        else if (c === '`' && text[k] === '$' && text[k + 1] === '{') nested++;
        else if (nested > 0 && text[k] === '}') nested--;
        else if (nested === 0 && text[k] === c) break;
      }
      if (literal === null) return text.slice(open + 1, j);
      j = k;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') if (--depth === 0) return text.slice(open + 1, j);
  }
  return text.slice(open + 1);
};

/** Splits an argument list at its top-level commas. */
const splitArguments = (args: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let j = 0; j < args.length; j++) {
    const c = args[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, j).trim());
      start = j + 1;
    }
  }
  parts.push(args.slice(start).trim());
  return parts;
};

/** Every string literal written in an expression (both sides of a ternary, a `??` fallback…). */
const literalsIn = (expression: string): string[] => {
  const found: string[] = [];
  for (let j = 0; j < expression.length; j++) {
    const literal = literalAt(expression, j);
    if (literal === null) continue;
    // A value compared against (`ticket.status === 'open' ? …`) is not a message.
    const compared = /[!=]==\s*$/.test(expression.slice(0, j));
    if (!compared) found.push(literal);
    const quote = expression[j]!;
    for (j++; j < expression.length && expression[j] !== quote; j++) if (expression[j] === '\\') j++;
  }
  return found;
};

/**
 * Messages a CommandError receives from elsewhere, and where their texts are
 * checked. Anything else thrown without a literal fails the test below.
 */
const FORWARDED: Record<string, string> = {
  decision: 'a policy refusal: the policy test below checks every one',
  allowed: 'a policy refusal: the policy test below checks every one',
  message: 'precondition(ok, message): its callers are scanned as thrown messages',
  'rule.message(String(clash[rule.field]))': "admin.ts UNIQUE's messages: scanned as thrown messages",
  "issues[0]?.message ?? 'Dados inválidos'": "a schema issue's own message (field.* texts); the fallback is already Portuguese and reads as invalid-argument's sentence",
  "issues[0]?.message ?? 'Mensagem inválida'": "a schema issue's own message (field.* texts); the fallback is already Portuguese and reads as invalid-argument's sentence",
};

/** Every `new CommandError(code, message)` in core, server and functions: where, its message expression, and the literals in it. */
const commandErrors = (): { where: string; expression: string; literals: string[] }[] => {
  const found: { where: string; expression: string; literals: string[] }[] = [];
  for (const file of [...sources('core/src'), ...sources('server/src'), ...sources('functions/src')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new CommandError\(/g)) {
      const open = m.index + m[0].length - 1;
      const expression = (splitArguments(argumentsAt(text, open))[1] ?? '').replace(/\s+/g, ' ');
      // A helper building the message (validated.ts's describe): its own template is the text.
      const helper = /^(\w+)\(/.exec(expression)?.[1];
      const body = helper && helper !== 'String' ? new RegExp(`const ${helper} = \\([^)]*\\) =>\\s*`).exec(text) : null;
      const literals = body ? [literalAt(text, body.index + body[0].length) ?? ''] : literalsIn(expression);
      found.push({ where: `${file.slice(root.length)}:${text.slice(0, m.index).split('\n').length}`, expression, literals });
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

  it('every CommandError, whatever builds its message (a ternary, a fallback, a helper), has a pt-BR text', () => {
    const calls = commandErrors();
    expect(calls.length).toBeGreaterThan(100);
    const unexplained = calls.filter((c) => c.literals.length === 0 && !(c.expression in FORWARDED)).map((c) => `${c.where}: ${c.expression}`);
    expect(unexplained, 'a message passed in from elsewhere: say in FORWARDED where its texts are checked').toEqual([]);
    const untranslated = calls
      .filter((c) => !(c.expression in FORWARDED))
      .flatMap((c) => c.literals.filter((l) => reasonOf(l) === null).map((l) => `${c.where}: ${l}`));
    expect(untranslated, 'add these to core/src/errors/customerTexts.ts or staffTexts.ts').toEqual([]);
    // The UNIQUE names of admin.ts reach people through rule.message(…).
    const unique = [...readFileSync(join(root, 'core/src/commands/admin.ts'), 'utf8').matchAll(/message: \(v\) => `([^`]*)`/g)].map((m) => m[1]!.replace(/\$\{[^}]*\}/g, 'X'));
    expect(unique.length).toBeGreaterThan(5);
    expect(unique.filter((u) => reasonOf(u) === null)).toEqual([]);
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
