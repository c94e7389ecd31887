import { PARTNER_SLUG_PATTERN } from '@tiers-lieux/schema';
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

/**
 * Where each partner's subgraph is. Entries come from configuration (a file, for tests and the
 * embedded network) and from polling the network subgraph's registry; the polled entries win,
 * so a partner registered or suspended by the coordinators is picked up without a restart.
 */
export class PartnerRegistry {
  private polled = new Map<string, PartnerEntry>();
  private readonly health = new Map<string, PartnerHealth>();
  private timer: NodeJS.Timeout | null = null;
  private lastPoll: { at: string; error: string | null } | null = null;

  constructor(
    private readonly configured: readonly PartnerEntry[] = [],
    private readonly source: RegistrySource | null = null,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Every known partner, configured or registered, with its status. */
  all(): PartnerEntry[] {
    const merged = new Map(this.configured.map((p) => [p.slug, p]));
    for (const [slug, entry] of this.polled) merged.set(slug, entry);
    return [...merged.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  /** The partners that receive traffic. */
  active(): PartnerEntry[] {
    return this.all().filter((p) => p.status === 'ACTIVE');
  }

  get(slug: string): PartnerEntry | undefined {
    return this.polled.get(slug) ?? this.configured.find((p) => p.slug === slug);
  }

  /** Polls the registry once; on failure the last known entries are kept. */
  async refresh(): Promise<void> {
    if (!this.source) return;
    const at = new Date().toISOString();
    try {
      const entries = await this.source();
      this.polled = new Map(entries.map((e) => [e.slug, e]));
      this.lastPoll = { at, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.lastPoll?.error !== message) this.log(`partner registry poll failed: ${message}`);
      this.lastPoll = { at, error: message };
    }
  }

  /** Polls now and then every `intervalMs`, until `stop()`. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    if (!this.source) return;
    this.timer = setInterval(() => void this.refresh(), intervalMs);
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

  /** What `/ready` shows: every partner with its status and the outcome of its last request. */
  report() {
    return {
      registry: this.source ? (this.lastPoll ?? { at: null, error: 'not polled yet' }) : null,
      partners: this.all().map((p) => ({
        ...p,
        ...(this.health.get(p.slug) ?? { lastOutcome: null, lastRequestAt: null, lastOkAt: null }),
      })),
    };
  }
}
