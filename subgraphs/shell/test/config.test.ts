import { generateViewerKeys } from '@tiers-lieux/schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv, serviceConfig, serviceEnv } from '../src/config.js';

const { publicKey } = generateViewerKeys();
const URL = 'postgres://u@db:5432/service';

/** A service with one variable of its own before the shared ones, as the subgraphs have. */
const Env = z.object({ NAME: z.string().min(1), ...serviceEnv(4999) });
const load = (env: Record<string, string | undefined>) => {
  const e = parseEnv(Env, env);
  return { name: e.NAME, ...serviceConfig(e) };
};

const defaults = {
  name: 'demo',
  http: { host: '127.0.0.1', port: 4999 },
  database: { url: undefined, pgliteDir: undefined, poolSize: 10 },
  migrate: true,
  seed: false,
  viewerPublicKey: undefined,
  production: false,
  // No NODE_ENV: unexpected errors are masked all the same.
  maskErrors: true,
  telemetry: { logLevel: 'info', metrics: null, serviceName: undefined, tracing: null },
  mail: {
    smtpUrl: undefined,
    from: 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.localhost>',
    networkName: 'Réseau des tiers-lieux',
    publicUrl: 'http://127.0.0.1:4000',
    linkSecret: 'development-link-secret-not-for-production',
    domain: 'tiers-lieux.localhost',
    intervalMs: 5000,
    crash: null,
  },
};

describe('the shared service configuration', () => {
  it.each([
    ['nothing but its own variable: in-memory PGlite on the default port', {}, defaults],
    [
      'a PGlite folder, seeded, on any port of any interface',
      { PGLITE_DIR: '.data/demo', SEED: 'true', PORT: '0', HOST: '0.0.0.0', MIGRATE: 'false' },
      {
        ...defaults,
        migrate: false,
        http: { host: '0.0.0.0', port: 0 },
        database: { ...defaults.database, pgliteDir: '.data/demo' },
        seed: true,
      },
    ],
    [
      'production on its own server with the gateway key',
      {
        NODE_ENV: 'production',
        DATABASE_URL: URL,
        DATABASE_POOL_SIZE: '25',
        VIEWER_PUBLIC_KEY: publicKey,
      },
      {
        ...defaults,
        database: { url: URL, pgliteDir: undefined, poolSize: 25 },
        viewerPublicKey: publicKey,
        production: true,
      },
    ],
    [
      'a PEM key whose line breaks were written as \\n, as .env files do',
      { VIEWER_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n') },
      { ...defaults, viewerPublicKey: publicKey },
    ],
    [
      'telemetry: a log level, a metrics port, an OTLP receiver with its headers and sampling',
      {
        LOG_LEVEL: 'warn',
        METRICS_PORT: '9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cr%3Dt, x-team = ops',
        OTEL_SERVICE_NAME: 'partner-cantine-eu',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      },
      {
        ...defaults,
        telemetry: {
          logLevel: 'warn',
          metrics: { host: '127.0.0.1', port: 9464 },
          serviceName: 'partner-cantine-eu',
          tracing: {
            endpoint: 'http://collector:4318',
            headers: { 'x-api-key': 's3cr=t', 'x-team': 'ops' },
            sampleRatio: 0.25,
          },
        },
      },
    ],
  ])('reads %s', (_case, env, expected) => {
    expect(load({ NAME: 'demo', ...env })).toEqual(expected);
  });

  it.each([
    [undefined, true],
    ['production', true],
    ['development', false],
    ['test', false],
  ])('masks unexpected errors with NODE_ENV %s: %s', (nodeEnv, masked) => {
    const env = {
      NAME: 'demo',
      NODE_ENV: nodeEnv,
      DATABASE_URL: URL,
      VIEWER_PUBLIC_KEY: publicKey,
    };
    expect(load(env).maskErrors).toBe(masked);
  });

  it.each([
    [
      'production without DATABASE_URL',
      { NODE_ENV: 'production', VIEWER_PUBLIC_KEY: publicKey },
      ['DATABASE_URL: required in production (no embedded database there)'],
    ],
    [
      'production without the gateway key',
      { NODE_ENV: 'production', DATABASE_URL: URL },
      ["VIEWER_PUBLIC_KEY: required in production (the gateway's public key)"],
    ],
    [
      'production without either',
      { NODE_ENV: 'production' },
      [
        'DATABASE_URL: required in production (no embedded database there)',
        "VIEWER_PUBLIC_KEY: required in production (the gateway's public key)",
      ],
    ],
  ])('refuses %s', (_case, env, problems) => {
    expect(() => load({ NAME: 'demo', ...env })).toThrow(
      expect.objectContaining({ name: 'ConfigError', problems }),
    );
  });

  it('reports every malformed variable at once, the service’s own first', () => {
    const error = catchError(() =>
      load({
        PORT: '70000',
        DATABASE_URL: 'not a url',
        DATABASE_POOL_SIZE: '0',
        SEED: 'yes',
        VIEWER_PUBLIC_KEY: 'not a key',
        NODE_ENV: 'staging',
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
      'NAME',
      'PORT',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'SEED',
      'VIEWER_PUBLIC_KEY',
      'NODE_ENV',
    ]);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- NAME: /);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
