import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { SubgraphMetrics } from './metrics.js';
import { activeSpan, endSpan, startChildSpan } from './tracing.js';

/** Told of every SQL statement a service sends; answers what to call when it is answered. */
export interface StatementObserver {
  started(statement: string): (error?: unknown) => void;
  /** Told once how many connections the database may open. */
  poolSize?(connections: number): void;
}

const QUERY_TEXT_LIMIT = 2_000;

/**
 * Counts and times every statement, and, inside a traced request, records it as a span of
 * that request with its text: parameterised by drizzle, so values (personal data among them)
 * never appear in it.
 */
export function statementObserver(options: {
  metrics: SubgraphMetrics | null;
  tracer: Tracer | null;
}): StatementObserver | null {
  const { metrics, tracer } = options;
  if (!metrics && !tracer) return null;
  return {
    poolSize: (connections) => metrics?.poolSize.set(connections),
    started(statement) {
      const startedAt = performance.now();
      metrics?.statementsInFlight.inc();
      const parent = tracer ? activeSpan() : undefined;
      const span =
        tracer && parent
          ? startChildSpan(tracer, `db ${verbOf(statement)}`, parent, SpanKind.CLIENT)
          : null;
      span?.setAttributes({
        'db.system.name': 'postgresql',
        'db.operation.name': verbOf(statement),
        'db.query.text': statement.slice(0, QUERY_TEXT_LIMIT),
      });
      return (error) => {
        const outcome = error === undefined ? 'ok' : 'error';
        metrics?.statementsInFlight.dec();
        metrics?.statementDuration.observe({ outcome }, (performance.now() - startedAt) / 1000);
        if (span) endSpan(span, error === undefined ? null : 'DATABASE_ERROR');
      };
    },
  };
}

function verbOf(statement: string): string {
  return /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? 'SQL';
}

type Client = object;

/**
 * The database client drizzle is given, wrapped so that each statement is observed: PGlite's
 * `query` and its transactions', postgres.js's `unsafe` and its transactions' and savepoints'.
 * Everything else goes to the client as it is.
 */
export function observedClient<C extends Client>(client: C, observer: StatementObserver): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      switch (property) {
        case 'query':
          return (statement: string, ...rest: unknown[]) => {
            const done = observer.started(statement);
            return (value.call(target, statement, ...rest) as Promise<unknown>).then(
              (result) => (done(), result),
              (error: unknown) => {
                done(error);
                throw error;
              },
            );
          };
        case 'unsafe':
          return (statement: string, ...rest: unknown[]) => {
            const query = value.call(target, statement, ...rest) as Promise<unknown>;
            const done = observer.started(statement);
            // postgres.js runs a query when its own `then` is called (by drizzle, at once):
            // Promise's `then` watches it without starting it.
            Promise.prototype.then.call(
              query,
              () => done(),
              (error: unknown) => done(error),
            );
            return query;
          };
        case 'transaction':
        case 'begin':
        case 'savepoint':
          return (...args: unknown[]) =>
            value.apply(
              target,
              args.map((arg) =>
                typeof arg === 'function'
                  ? (tx: Client, ...more: unknown[]) => arg(observedClient(tx, observer), ...more)
                  : arg,
              ),
            );
        default:
          return value.bind(target);
      }
    },
  });
}
