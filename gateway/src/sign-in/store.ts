/**
 * Where sessions (and the short-lived login transactions) live, shared by every gateway
 * replica: a session revoked through one replica is gone for all of them at once. Keys are
 * hashes of what the browser holds, never the cookie itself, so a leaked store opens no
 * session. The store keeps expiries; `Sessions` decides what they mean.
 */
export interface StoredEntry {
  /** `session` or `login`. */
  kind: string;
  data: unknown;
  /** Epoch milliseconds: unused past this, the entry is dead. */
  idleExpiresAt: number;
  /** Epoch milliseconds: dead past this, however recently used. */
  expiresAt: number;
}

export interface SessionStore {
  save(key: string, entry: StoredEntry): Promise<void>;
  /**
   * The entry when it is alive at `now`; with `touchUntil`, its idle expiry moves there
   * (never past its absolute expiry).
   */
  find(key: string, now: number, touchUntil?: number): Promise<StoredEntry | null>;
  /** Reads and removes at once: what is taken is used once. */
  take(key: string, now: number): Promise<StoredEntry | null>;
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

export function isAlive(entry: StoredEntry, now: number): boolean {
  return entry.idleExpiresAt > now && entry.expiresAt > now;
}
