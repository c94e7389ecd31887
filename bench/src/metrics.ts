/**
 * What the services' `/metrics` say, read from Prometheus' text format: samples, histogram
 * quantiles from the buckets (as Prometheus' `histogram_quantile` computes them), and the
 * difference between two scrapes.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a scrape (comments and blank lines skipped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

const matches = (sample: Sample, name: string, labels: Record<string, string>) =>
  sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** The sum of the samples of `name` whose labels include `labels`; null when there is none. */
export function total(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | null {
  const found = samples.filter((s) => matches(s, name, labels));
  return found.length ? found.reduce((sum, s) => sum + s.value, 0) : null;
}

/** The label values of `label` among the samples of `name`. */
export function labelValues(samples: Sample[], name: string, label: string): string[] {
  return [
    ...new Set(samples.filter((s) => s.name === name).map((s) => s.labels[label] ?? '')),
  ].filter(Boolean);
}

/** `later - earlier`, sample by sample (counters and histograms: what happened in between). */
export function difference(later: Sample[], earlier: Sample[]): Sample[] {
  const key = (s: Sample) =>
    `${s.name}{${Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}}`;
  const before = new Map(earlier.map((s) => [key(s), s.value]));
  return later.map((s) => ({ ...s, value: s.value - (before.get(key(s)) ?? 0) }));
}

/**
 * The `q` quantile of histogram `name` (its `_bucket` samples summed over the labels not in
 * `labels`), in the histogram's unit, interpolated linearly inside the bucket it falls in;
 * NaN when the histogram counted nothing.
 */
export function quantile(
  samples: Sample[],
  name: string,
  q: number,
  labels: Record<string, string> = {},
): number {
  const byBound = new Map<number, number>();
  for (const s of samples) {
    if (!matches(s, `${name}_bucket`, labels)) continue;
    const bound = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + s.value);
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b);
  const count = buckets.at(-1)?.[1] ?? 0;
  if (count <= 0) return Number.NaN;
  const rank = q * count;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      // Past the last finite bound, Prometheus answers that bound.
      if (bound === Infinity) return previousBound;
      const inBucket = cumulative - previousCount;
      return inBucket > 0
        ? previousBound + ((bound - previousBound) * (rank - previousCount)) / inBucket
        : bound;
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return previousBound;
}

/**
 * Fetches a `/metrics` page and parses it, with how long the scrape took. Once more when the
 * connection fails: a kept-alive socket the server closed meanwhile (its keep-alive timeout
 * passed between two scrapes) fails the first request sent on it.
 */
export async function scrape(url: string): Promise<{ samples: Sample[]; ms: number }> {
  const started = performance.now();
  const get = () => fetch(url, { signal: AbortSignal.timeout(10_000) });
  const response = await get().catch(get);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const text = await response.text();
  return { samples: parseMetrics(text), ms: performance.now() - started };
}
