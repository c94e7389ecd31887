import { describe, expect, it } from 'vitest';
import { generateViewerKeys } from '@tiers-lieux/schema';
import { ConfigError, loadConfig } from '../src/config.js';

const { publicKey } = generateViewerKeys();

describe('loadConfig', () => {
  it('reads a partner instance on its own Postgres', () => {
    expect(
      loadConfig({
        PARTNER: 'cantine',
        PORT: '4102',
        DATABASE_URL: 'postgres://u@db:5432/cantine',
        VIEWER_PUBLIC_KEY: publicKey,
        NODE_ENV: 'production',
        SMTP_URL: 'smtp://relay.example.org:587',
        MAIL_FROM: 'La Cantine <ne-pas-repondre@lacantine.example>',
        PUBLIC_URL: 'https://reseau.example/',
        LINK_SECRET: 'a'.repeat(40),
      }),
    ).toEqual({
      partner: 'cantine',
      http: { host: '127.0.0.1', port: 4102 },
      database: { url: 'postgres://u@db:5432/cantine', pgliteDir: undefined, poolSize: 10 },
      migrate: true,
      seed: false,
      viewerPublicKey: publicKey,
      production: true,
      maskErrors: true,
      telemetry: { logLevel: 'info', metrics: null, serviceName: undefined, tracing: null },
      mail: {
        smtpUrl: 'smtp://relay.example.org:587',
        from: 'La Cantine <ne-pas-repondre@lacantine.example>',
        networkName: 'Réseau des tiers-lieux',
        publicUrl: 'https://reseau.example',
        linkSecret: 'a'.repeat(40),
        domain: 'lacantine.example',
        intervalMs: 5000,
        crash: null,
      },
    });
  });

  it('refuses production without a mail server and a link secret, and the crash point of tests', () => {
    expect(() =>
      loadConfig({
        PARTNER: 'cantine',
        DATABASE_URL: 'postgres://u@db:5432/cantine',
        VIEWER_PUBLIC_KEY: publicKey,
        NODE_ENV: 'production',
        OUTBOX_CRASH_POINT: 'after-send:1',
      }),
    ).toThrow(
      /LINK_SECRET: required.*\n.*SMTP_URL: required.*\n.*OUTBOX_CRASH_POINT: for tests only/,
    );
  });

  it('defaults to an embedded database outside production', () => {
    expect(
      loadConfig({ PARTNER: 'baronnies', PGLITE_DIR: '.data/baronnies', SEED: 'true' }).database,
    ).toEqual({
      url: undefined,
      pgliteDir: '.data/baronnies',
      poolSize: 10,
    });
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PARTNER: 'La Cantine', PORT: 'abc', SEED: 'yes' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'PARTNER',
        'PORT',
        'SEED',
      ]);
    }
  });

  it('refuses production without DATABASE_URL or VIEWER_PUBLIC_KEY', () => {
    expect(() => loadConfig({ PARTNER: 'cantine', NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL: required in production.*\n.*VIEWER_PUBLIC_KEY: required in production/,
    );
  });
});
