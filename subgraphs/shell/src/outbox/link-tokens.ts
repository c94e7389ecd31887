import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens of the links in mails (confirm, cancel, unsubscribe): what the link may do, to what,
 * signed with HMAC-SHA256 under a secret of the service. They carry no personal data and do
 * not expire by themselves: what they name does (a cancelled registration cannot be cancelled
 * twice).
 */
export function signLinkToken(secret: string, purpose: string, subject: string): string {
  const payload = Buffer.from(JSON.stringify([purpose, subject])).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The subject a token was signed for with this purpose, or null for anything else. */
export function verifyLinkToken(secret: string, purpose: string, token: string): string | null {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [tokenPurpose, subject] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return tokenPurpose === purpose && typeof subject === 'string' ? subject : null;
  } catch {
    return null;
  }
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
