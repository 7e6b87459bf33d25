/**
 * `console_first_card_ms_10k` (issue 15): a supervisor (Suporte +
 * Financeiro) already signed in opens the console while 10,000 tickets wait
 * in Suporte; the figure is the time from the navigation's start to the
 * first queue card in the DOM, in Chromium (`/usr/bin/chromium`, 1280×720),
 * on the embedded server. Median of five navigations in the same browser
 * (HTTP cache warm, as for someone who uses the console every day).
 *
 * The queue is filled before the server starts, through the server's own
 * Store port and core's `inbound.receive` (each ticket opened as a WhatsApp
 * message to the demo's bot-less number would open it), so the tab count,
 * protocol numbers and sector routing are the real ones.
 *
 * Run alone: `BENCH_ONLY=first-card node --import tsx bench/run.ts`, or
 * `npx tsx bench/firstCard.ts` (prints the result).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { commandRegistry, createIdGenerator, DEMO_PASSWORD, executeCommand, SYSTEM } from '@atende/core';
import { buildApp } from '../server/src/app.ts';
import { figure, type Figure } from './report.ts';
import { startServer } from './support/server.ts';
import { median, round } from './support/stats.ts';

export interface FirstCardResult {
  tickets: number;
  runs: number[];
  medianMs: number;
  /** The same navigation's `load` event, for comparison. */
  loadMs: number[];
  fillMs: number;
}

/** `count` waiting tickets in Suporte, opened by core's inbound.receive on the demo's bot-less WhatsApp number. */
const fillQueue = async (dataDir: string, count: number): Promise<void> => {
  const app = await buildApp({ dataDir, logger: false, webDist: dataDir });
  try {
    await app.ready();
    const ctx = { store: app.store, clock: Date.now, newId: createIdGenerator() };
    const phones = Array.from({ length: count }, (_, i) => `55119${String(10_000_000 + i).padStart(8, '0')}`);
    // Several at once: the store commits the transactions of one turn together.
    for (let i = 0; i < phones.length; i += 64)
      await Promise.all(
        phones.slice(i, i + 64).map((phone, j) =>
          executeCommand(commandRegistry, ctx, SYSTEM, 'inbound.receive', {
            channelId: 'whatsapp-suporte',
            externalId: phone,
            contact: { name: `Cliente ${i + j + 1}`, phone },
            channelMessageId: `wamid.firstcard.${i + j}`,
            text: `Bom dia, preciso de ajuda com o pedido ${i + j + 1}`,
          }),
        ),
      );
  } finally {
    await app.close();
  }
};

export const firstCard = async ({ tickets = 10_000, runs = 5, log = console.log }: { tickets?: number; runs?: number; log?: (...a: unknown[]) => void } = {}): Promise<FirstCardResult> => {
  const work = mkdtempSync(path.join(tmpdir(), 'atende-first-card-'));
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir);
  const t0 = performance.now();
  // The demo workspace first (the server seeds it on its first start), then the queue.
  let server = await startServer({ dataDir, seed: 'demo', logFile: path.join(work, 'server.log') });
  await server.stop();
  await fillQueue(dataDir, tickets);
  const fillMs = performance.now() - t0;
  log(`  ${tickets} waiting tickets in Suporte after ${round(fillMs / 1000, 1)} s`);
  server = await startServer({ dataDir, logFile: path.join(work, 'server.log') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'pt-BR' });
    // When the first card enters the DOM, in the page's own clock (0 = the navigation's start).
    // A string, not a function: tsx would wrap a function's inner closures in a helper the page does not have.
    await context.addInitScript(`(() => {
      const observer = new MutationObserver(() => {
        if (window.__firstCard === undefined && document.querySelector('article[data-ticket-id]')) {
          window.__firstCard = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    })();`);
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByLabel(/e-?mail/i).fill('supervisor@atende.local');
    await page.getByLabel(/senha|password/i).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /^(Entrar|Sign in|Log in)$/i }).click();
    await page.locator('article[data-ticket-id]').first().waitFor({ timeout: 60_000 });
    const times: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.goto(`${server.origin}/`, { waitUntil: 'commit' });
      try {
        await page.waitForFunction(() => (window as unknown as { __firstCard?: number }).__firstCard !== undefined, undefined, { timeout: 60_000, polling: 50 });
      } catch (e) {
        throw new Error(`no card at ${page.url()} after 60 s: ${(await page.locator('body').innerText()).slice(0, 200).replace(/\s+/g, ' ')}`, { cause: e });
      }
      const { card, load } = await page.evaluate(() => ({
        card: (window as unknown as { __firstCard: number }).__firstCard,
        load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? 0,
      }));
      times.push(card);
      loads.push(load);
      log(`  navigation ${i + 1}: first card at ${round(card, 1)} ms (load event ${round(load, 1)} ms)`);
    }
    return { tickets, runs: times, medianMs: median(times), loadMs: loads, fillMs };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
};

/** The figure and its RESULTS.md section. */
export const firstCardPhase = async (log: (...a: unknown[]) => void): Promise<{ figures: Figure[]; section: string[] }> => {
  log('first card: a supervisor opens the console with 10,000 tickets waiting (Chromium, embedded server)');
  try {
    const r = await firstCard({ log });
    return {
      figures: [figure('console_first_card_ms_10k', r.medianMs)],
      section: [
        '## Console: first card with 10,000 waiting',
        '',
        `The supervisor (Suporte + Financeiro), already signed in, opens the console while ${r.tickets} tickets wait in Suporte (opened through core's \`inbound.receive\` before the server started, ${round(r.fillMs / 1000, 1)} s); time from the navigation's start to the first queue card (\`article[data-ticket-id]\`) in the DOM, read in the page's own clock, in Chromium at 1280×720 on the embedded server (bench/firstCard.ts). Median of ${r.runs.length} navigations in the same browser: **${round(r.medianMs, 1)} ms**.`,
        '',
        `Runs: ${r.runs.map((x) => `${round(x, 1)} ms`).join(', ')} (load events: ${r.loadMs.map((x) => `${round(x, 1)} ms`).join(', ')}).`,
        '',
      ],
    };
  } catch (e) {
    log(`  failed: ${(e as Error).message}`);
    return { figures: [figure('console_first_card_ms_10k', null)], section: ['## Console: first card with 10,000 waiting', '', `Not measured (${(e as Error).message}).`, ''] };
  }
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const r = await firstCard({ tickets: Number(process.env.BENCH_TICKETS ?? 10_000) });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
