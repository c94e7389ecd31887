import type { Viewer } from '@tiers-lieux/schema';

export interface Identity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface PeopleDirectory {
  viewerFor(identity: Identity): Promise<Viewer>;
}
