/**
 * Debian's chromium for the web page's browser tests (installed by .ci/steps/browsers.sh in
 * CI), driven by playwright-core: a fresh profile per browser, French by default, screenshots
 * in the test output (web/test/__screenshots__/, not committed), and axe-core injected into
 * the page as it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CI = ['true', '1'].includes(process.env.CI ?? '');
const present = existsSync(CHROMIUM);

/** Outside CI a machine without chromium skips the browser suites; under CI they fail. */
export const withoutChromium = !present && !CI;
if (withoutChromium)
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, as .ci/steps/browsers.sh does)`,
  );

/** Where screenshots go: the test output, git-ignored. */
export const SCREENSHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

export interface OpenOptions extends Omit<ContextOptions, keyof LaunchOptions> {
  /** The page's default timeout for waits and actions, 15 s unless given. */
  timeout?: number;
}

export interface Chromium {
  context: BrowserContext;
  /** The profile's first tab. */
  page: Page;
  /** A full-page screenshot of `page` in the test output; resolves with its path. */
  shot(name: string): Promise<string>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Launches chromium on a new profile: `fr-FR`, 1280×900, unless `options` say otherwise (any
 * playwright context option: time zone, JavaScript disabled, downloads…).
 */
export async function openChromium(options: OpenOptions = {}): Promise<Chromium> {
  if (!present)
    throw new Error(`${CHROMIUM} is missing: CI must install it (.ci/steps/browsers.sh)`);
  const { timeout = 15_000, ...contextOptions } = options;
  const profile = await mkdtemp(join(tmpdir(), 'tiers-lieux-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
      ...contextOptions,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  return {
    context,
    page,
    async shot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts a page must never have. */
export const SERIOUS = ['serious', 'critical'] as const;

/**
 * axe-core's violations on the page as it is (or on the part `include` selects), one line per
 * rule, `rule: targets`; with `impacts`, only the violations of those impacts.
 */
export async function axeViolations(
  page: Page,
  options: { include?: string; impacts?: readonly string[] } = {},
): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP refuses inline scripts.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async (include) => {
    const axe = (
      window as unknown as {
        axe: {
          run(context?: unknown): Promise<{
            violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = include ? await axe.run({ include: [include] }) : await axe.run();
    return result.violations.map((v) => ({
      impact: v.impact ?? null,
      line: `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    }));
  }, options.include ?? null);
  const { impacts } = options;
  return violations
    .filter((v) => !impacts || (v.impact !== null && impacts.includes(v.impact)))
    .map((v) => v.line);
}
