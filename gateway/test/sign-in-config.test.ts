import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const SIGN_IN = {
  OIDC_ISSUER_URL: 'https://sso.example.org/realms/tiers-lieux',
  OIDC_CLIENT_ID: 'reseau',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_REDIRECT_URL: 'https://reseau.example.org/auth/callback',
  SESSION_DATABASE_URL: 'postgres://tiers-lieux@db.example.org/network',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('the sign-in configuration', () => {
  it('reads the provider, the sessions and their lifetimes', () => {
    const config = loadConfig({
      ...SIGN_IN,
      SESSION_IDLE_SECONDS: '900',
      OIDC_API_AUDIENCE: 'api',
    });
    expect(config.signIn).toEqual({
      issuerUrl: SIGN_IN.OIDC_ISSUER_URL,
      clientId: 'reseau',
      clientSecret: 'secret',
      redirectUrl: SIGN_IN.OIDC_REDIRECT_URL,
      scopes: 'openid email profile',
      apiAudience: 'api',
      lifetimes: { idleSeconds: 900, absoluteSeconds: 43_200 },
    });
    expect(config.sessionDatabaseUrl).toBe(SIGN_IN.SESSION_DATABASE_URL);
    expect(loadConfig({}).signIn).toBeNull();
  });

  it('reports every missing or unsafe setting at once', () => {
    expect(
      problems({
        OIDC_ISSUER_URL: 'http://sso.example.org/realms/x',
        OIDC_REDIRECT_URL: 'http://reseau.example.org/auth/callback',
        OIDC_CLIENT_ID: 'reseau',
        OIDC_API_AUDIENCE: 'reseau',
        SESSION_IDLE_SECONDS: '7200',
        SESSION_ABSOLUTE_SECONDS: '3600',
      }),
    ).toEqual([
      'OIDC_CLIENT_SECRET: required with OIDC_ISSUER_URL',
      'OIDC_ISSUER_URL: must be https (plain http only for a provider on this machine, outside production)',
      'OIDC_REDIRECT_URL: must be https (plain http only on 127.0.0.1, localhost or [::1])',
      'SESSION_DATABASE_URL or REDIS_URL: sign-in keeps its sessions in one of them',
      'SESSION_IDLE_SECONDS: must not be longer than SESSION_ABSOLUTE_SECONDS',
      'OIDC_API_AUDIENCE: must differ from OIDC_CLIENT_ID (the audience of ID tokens)',
    ]);
  });

  it('takes plain http on this machine outside production only', () => {
    const local = {
      ...SIGN_IN,
      OIDC_ISSUER_URL: 'http://127.0.0.1:4099',
      OIDC_REDIRECT_URL: 'http://127.0.0.1:4000/auth/callback',
    };
    expect(loadConfig(local).signIn?.issuerUrl).toBe('http://127.0.0.1:4099');
    expect(problems({ ...local, NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OIDC_ISSUER_URL: must be https/),
        expect.stringMatching(/^OIDC_REDIRECT_URL: must be https in production/),
      ]),
    );
  });
});
