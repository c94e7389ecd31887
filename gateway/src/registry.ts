import {
  fetchServiceSdl,
  judgeSdl,
  PARTNER_SLUG_PATTERN,
  readSdl,
  sdlHash,
} from '@tiers-lieux/schema';
import { HealthWindow } from './partners/health-window.js';
import { parse, type DocumentNode } from 'graphql';
import { z } from 'zod';

export type PartnerStatus = 'ACTIVE' | 'SUSPENDED';

export interface PartnerEntry {
  slug: string;
  url: string;
  status: PartnerStatus;
}

export const PartnerEntrySchema = z.object({
  slug: z.string().regex(PARTNER_SLUG_PATTERN),
  url: z.string().url(),
  status: z.enum(['ACTIVE', 'SUSPENDED']).default('ACTIVE'),
});

export interface PartnerHealth {
  /** The outcome of the last request to the partner. */
  lastOutcome: 'ok' | 'PARTNER_UNAVAILABLE' | 'PARTNER_TIMEOUT' | 'PARTNER_BAD_RESPONSE' | null;
  lastRequestAt: string | null;
  lastOkAt: string | null;
}

/** Reads the partners the network subgraph registers (their slug, status and subgraph URL). */
export type RegistrySource = () => Promise<PartnerEntry[]>;

/** A partner that answered an SDL lacking parts of the contract, or something that is no SDL. */
export interface IncompatiblePartner {
  slug: string;
  /** The contract parts it lacks, one line each (`Space.openingHours: missing`). */
  missing: string[];
  /** What is wrong, in a few words (`lacks 2 parts of the partner contract`). */
  error: string;
}

/** What the gateway knows of a subgraph URL's conformance to the partner contract. */
export interface Conformance {
  /**
   * `compatible` and `incompatible` come from the last answer of the URL; `unchecked` until it
   * first answers (an unreachable partner is routed as before, and fails within its budget).
   */
  verdict: 'compatible' | 'incompatible' | 'unchecked';
  /** When the URL was last asked for its SDL, answered or not. */
  checkedAt: string | null;
  latencyMs: number | null;
  /** What went wrong at the last check; null when it answered a conforming SDL. */
  error: string | null;
  missing: string[];
  /** The partner contract version the URL serves, from its last answered SDL. */
  version: string | null;
  /**
   * What of the contract it lacks for being on an earlier minor version (`Member.person`, a
   * type `Person`): the router answers these with null and `PARTNER_OUTDATED`.
   */
  outdated: string[];
  /** How many checks of this URL failed (no answer, or not the contract) since it was first seen. */
  failedChecks: number;
}

export interface ConformanceOptions {
  /** The partner contract; `schema/space.graphql` by default. */
  contractSdl?: string;
  /** Time budget of one check, in milliseconds. */
  timeoutMs?: number;
  /** How long the verdict on an answered SDL holds before the URL is asked again, in milliseconds. */
  intervalMs?: number;
}

/**
 * Partners upgrade on their own calendar, a few times a year: a minute is soon enough to notice
 * that one fell behind the contract, and one small request per partner per minute is nothing.
 */
export const DEFAULT_CONFORMANCE_INTERVAL_MS = 60_000;
const DEFAULT_CHECK_TIMEOUT_MS = 2_000;
const UNCHECKED: Conformance = {
  verdict: 'unchecked',
  checkedAt: null,
  latencyMs: null,
  error: null,
  missing: [],
  version: null,
  outdated: [],
  failedChecks: 0,
};

interface UrlState extends Conformance {
  /** `performance.now()` of the last answer, which the next check is scheduled from. */
  answeredAt: number | null;
  /** `outdated`, as the router looks it up. */
  outdatedSet?: ReadonlySet<string>;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * Where each partner's subgraph is. Entries come from configuration (a file, for tests and the
 * embedded network) and from polling the network subgraph's registry; the polled entries win,
 * so a partner registered or suspended by the coordinators is picked up without a restart.
 *
 * Every partner's URL is checked against the partner contract (its `_service { sdl }`) when
 * the registry first sees it, before the poll that brought it takes effect, and again once
 * `intervalMs` has passed since it last answered: not at every poll, as partners seldom change
 * and polls are seconds apart. A URL that does not answer keeps its last verdict, and one that
 * is incompatible (the check is then its only traffic) is asked again at every poll, so a
 * partner that comes back or is fixed is routed to within a poll. Verdicts are cached by the
 * SDL's hash: an unchanged SDL is fetched but not compared again. A partner whose last answer
 * does not serve the contract gets no traffic (see `incompatible()`).
 */
export class PartnerRegistry {
  private polled = new Map<string, PartnerEntry>();
  private readonly health = new Map<string, PartnerHealth>();
  /** Each partner's last hour of requests through the router (`/ready` for coordinators). */
  readonly window = new HealthWindow();
  private readonly conformance = new Map<string, UrlState>();
  private readonly verdicts = new Map<string, ReturnType<typeof judgeSdl>>();
  private readonly contract: DocumentNode | null;
  private timer: NodeJS.Timeout | null = null;
  private lastPoll: { at: string; error: string | null } | null = null;
  private everRead = false;
  private refreshing: Promise<void> = Promise.resolve();
  private inFlight = false;

  constructor(
    private readonly configured: readonly PartnerEntry[] = [],
    private readonly source: RegistrySource | null = null,
    private readonly log: (message: string) => void = () => {},
    private readonly checks: ConformanceOptions | false = {},
  ) {
    this.contract = checks ? parse(checks.contractSdl ?? readSdl('space')) : null;
  }

  /** Every known partner, configured or registered, with its status. */
  all(): PartnerEntry[] {
    return this.merged(this.polled);
  }

  /** The partners that receive traffic: active, and not known to fall short of the contract. */
  active(): PartnerEntry[] {
    return this.all().filter(
      (p) => p.status === 'ACTIVE' && this.conformanceOf(p.url).verdict !== 'incompatible',
    );
  }

  /** The active partners that get no traffic because their last answer does not serve the contract. */
  incompatible(): IncompatiblePartner[] {
    return this.all().flatMap((p) => {
      const state = this.conformanceOf(p.url);
      return p.status === 'ACTIVE' && state.verdict === 'incompatible'
        ? [{ slug: p.slug, missing: state.missing, error: state.error ?? 'incompatible' }]
        : [];
    });
  }

  /**
   * What of the contract a partner lacks for being on an earlier minor version (empty for a
   * partner on the network's version or ahead).
   */
  outdatedOf(slug: string): { version: string | null; coordinates: ReadonlySet<string> } {
    const entry = this.get(slug);
    const state = entry ? this.conformance.get(entry.url) : undefined;
    return { version: state?.version ?? null, coordinates: state?.outdatedSet ?? NOTHING };
  }

  get(slug: string): PartnerEntry | undefined {
    return this.polled.get(slug) ?? this.configured.find((p) => p.slug === slug);
  }

  /**
   * Polls the registry once (on failure the last known entries are kept) and checks the URLs
   * that are due, before the new entries take effect. Calls run one after the other.
   */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.catch(() => {}).then(() => this.refreshOnce());
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    this.inFlight = true;
    try {
      let polled = this.polled;
      if (this.source) {
        const at = new Date().toISOString();
        try {
          const entries = await this.source();
          polled = new Map(entries.map((e) => [e.slug, e]));
          this.lastPoll = { at, error: null };
          this.everRead = true;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (this.lastPoll?.error !== message)
            this.log(`partner registry poll failed: ${message}`);
          this.lastPoll = { at, error: message };
        }
      }
      await this.checkDue(this.merged(polled));
      this.polled = polled;
    } finally {
      this.inFlight = false;
    }
  }

  /** Polls now and then every `intervalMs`, until `stop()`. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    if (!this.source && !this.contract) return;
    // A poll still running (a partner slow to answer its check) is not queued up behind.
    this.timer = setInterval(() => void (this.inFlight || this.refresh()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  record(slug: string, outcome: NonNullable<PartnerHealth['lastOutcome']>): void {
    const now = new Date().toISOString();
    const previous = this.health.get(slug);
    this.health.set(slug, {
      lastOutcome: outcome,
      lastRequestAt: now,
      lastOkAt: outcome === 'ok' ? now : (previous?.lastOkAt ?? null),
    });
  }

  /** What anyone may know: whether the gateway has a partner to route to. */
  /**
   * Ready once the registry has been read (a later failed poll keeps the partners known, so the
   * gateway stays ready) and a partner serves the contract.
   */
  publicReadiness(): { status: 'ready' | 'not ready' } {
    const read = !this.source || this.everRead;
    return { status: read && this.active().length > 0 ? 'ready' : 'not ready' };
  }

  /**
   * What coordinators see: the registry poll, and every partner with its URL, status, the
   * outcome of its last request and its conformance to the contract.
   */
  detailedReport() {
    return {
      ...this.publicReadiness(),
      registry: this.source ? (this.lastPoll ?? { at: null, error: 'not polled yet' }) : null,
      partners: this.all().map((p) => ({
        ...p,
        routed: this.active().some((a) => a.slug === p.slug),
        ...(this.health.get(p.slug) ?? { lastOutcome: null, lastRequestAt: null, lastOkAt: null }),
        conformance: this.conformanceOf(p.url),
        lastHour: this.window.lastHour(p.slug),
      })),
    };
  }

  private merged(polled: Map<string, PartnerEntry>): PartnerEntry[] {
    const merged = new Map(this.configured.map((p) => [p.slug, p]));
    for (const [slug, entry] of polled) merged.set(slug, entry);
    return [...merged.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  private conformanceOf(url: string): Conformance {
    const {
      answeredAt: _answeredAt,
      outdatedSet: _outdatedSet,
      ...state
    } = this.conformance.get(url) ?? {
      ...UNCHECKED,
      answeredAt: null,
    };
    return state;
  }

  private async checkDue(entries: PartnerEntry[]): Promise<void> {
    if (!this.checks || !this.contract) return;
    const urls = new Set(entries.map((e) => e.url));
    for (const url of this.conformance.keys()) if (!urls.has(url)) this.conformance.delete(url);
    const interval = this.checks.intervalMs ?? DEFAULT_CONFORMANCE_INTERVAL_MS;
    const due = [...urls].filter((url) => {
      const state = this.conformance.get(url);
      return (
        !state ||
        state.answeredAt === null ||
        state.verdict === 'incompatible' ||
        performance.now() - state.answeredAt >= interval
      );
    });
    await Promise.all(due.map((url) => this.check(url, entries)));
  }

  private async check(url: string, entries: PartnerEntry[]): Promise<void> {
    const previous = this.conformance.get(url) ?? { ...UNCHECKED, answeredAt: null };
    const answer = await fetchServiceSdl(url, {
      timeoutMs: this.checks ? (this.checks.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) : 0,
    });
    const checkedAt = new Date().toISOString();
    const base = { ...previous, checkedAt, latencyMs: answer.latencyMs };
    let next: UrlState;
    if (answer.kind === 'unreachable') {
      next = { ...base, error: answer.error, failedChecks: previous.failedChecks + 1 };
    } else {
      const verdict =
        answer.kind === 'sdl'
          ? this.judge(answer.sdl)
          : { missing: [], error: answer.error, version: null, outdated: [] };
      next = {
        ...base,
        answeredAt: performance.now(),
        verdict: verdict.error === null ? 'compatible' : 'incompatible',
        error: verdict.error,
        missing: verdict.missing,
        version: verdict.version ?? null,
        outdated: verdict.outdated ?? [],
        outdatedSet: new Set(verdict.outdated ?? []),
        failedChecks: previous.failedChecks + (verdict.error === null ? 0 : 1),
      };
    }
    this.conformance.set(url, next);
    if ((next.verdict === 'incompatible') !== (previous.verdict === 'incompatible')) {
      const slugs = entries.filter((e) => e.url === url).map((e) => e.slug);
      this.log(
        next.verdict === 'incompatible'
          ? `partner ${slugs.join(', ')} gets no traffic: its subgraph ${next.error}`
          : `partner ${slugs.join(', ')} serves the partner contract again`,
      );
    }
  }

  private judge(sdl: string): ReturnType<typeof judgeSdl> {
    const hash = sdlHash(sdl);
    let verdict = this.verdicts.get(hash);
    if (!verdict) {
      verdict = judgeSdl(this.contract!, sdl);
      // Partners serve a handful of SDL versions; this bound only guards against one that varies.
      if (this.verdicts.size >= 100) this.verdicts.delete(this.verdicts.keys().next().value!);
      this.verdicts.set(hash, verdict);
    }
    return verdict;
  }
}
