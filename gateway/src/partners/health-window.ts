/**
 * A partner's last hour as this gateway replica saw it: requests, errors, timeouts and latency
 * quantiles, from the same observations as `gateway_partner_fetch_duration_seconds` and
 * `gateway_partner_errors_total`. Sixty one-minute buckets per partner, each with a count per
 * latency bucket (the histogram's bounds), so memory is fixed whatever the traffic and a
 * quantile costs 60 × 12 additions. Each replica keeps its own window of its own traffic; the
 * network-wide figure is Prometheus's sum over replicas of the same metrics.
 */

/** The upper bounds of the latency buckets, in milliseconds (the last one is +∞). */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const MINUTE_MS = 60_000;
const MINUTES = 60;

interface Minute {
  /** The minute since the epoch this bucket counts. */
  at: number;
  requests: number;
  errors: number;
  timeouts: number;
  totalMs: number;
  latencies: number[];
}

export interface PartnerHour {
  requests: number;
  errors: number;
  timeouts: number;
  /** Mean latency in milliseconds; null without requests. */
  meanMs: number | null;
  /** Upper bounds of the latency bucket holding the median and the 95th percentile. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Requests per minute, oldest first (60 values), for a sparkline. */
  perMinute: number[];
}

export class HealthWindow {
  private readonly partners = new Map<string, Minute[]>();

  constructor(private readonly now: () => number = Date.now) {}

  observe(partner: string, outcome: string, durationMs: number): void {
    const at = Math.floor(this.now() / MINUTE_MS);
    let minutes = this.partners.get(partner);
    if (!minutes) this.partners.set(partner, (minutes = []));
    let minute = minutes[at % MINUTES];
    if (!minute || minute.at !== at) {
      minute = { at, requests: 0, errors: 0, timeouts: 0, totalMs: 0, latencies: [] };
      minutes[at % MINUTES] = minute;
    }
    minute.requests++;
    minute.totalMs += durationMs;
    if (outcome !== 'ok') minute.errors++;
    if (outcome === 'PARTNER_TIMEOUT') minute.timeouts++;
    const bucket = LATENCY_BOUNDS_MS.findIndex((bound) => durationMs <= bound);
    const index = bucket < 0 ? LATENCY_BOUNDS_MS.length : bucket;
    minute.latencies[index] = (minute.latencies[index] ?? 0) + 1;
  }

  lastHour(partner: string): PartnerHour {
    const now = Math.floor(this.now() / MINUTE_MS);
    const live = (this.partners.get(partner) ?? []).filter((m) => m && now - m.at < MINUTES);
    const sum = (pick: (m: Minute) => number) => live.reduce((total, m) => total + pick(m), 0);
    const requests = sum((m) => m.requests);
    const latencies = LATENCY_BOUNDS_MS.map((_, i) => sum((m) => m.latencies[i] ?? 0));
    latencies.push(sum((m) => m.latencies[LATENCY_BOUNDS_MS.length] ?? 0));
    const quantile = (q: number): number | null => {
      if (requests === 0) return null;
      let seen = 0;
      for (const [i, count] of latencies.entries()) {
        seen += count;
        if (seen >= q * requests) return LATENCY_BOUNDS_MS[i] ?? Number.POSITIVE_INFINITY;
      }
      return null;
    };
    const perMinute = Array.from({ length: MINUTES }, (_, i) => {
      const at = now - MINUTES + 1 + i;
      return live.find((m) => m.at === at)?.requests ?? 0;
    });
    return {
      requests,
      errors: sum((m) => m.errors),
      timeouts: sum((m) => m.timeouts),
      meanMs: requests === 0 ? null : Math.round(sum((m) => m.totalMs) / requests),
      p50Ms: quantile(0.5),
      p95Ms: quantile(0.95),
      perMinute,
    };
  }
}
