/** What the mails of a partner's subgraph need to know besides its data. */
export interface MailSettings {
  /** The network's name, in every mail (`Réseau des tiers-lieux`). */
  networkName: string;
  /** Where the links of the mails point (the web page's origin): `PUBLIC_URL`. */
  publicUrl: string;
  /** The HMAC secret of the links' tokens: `LINK_SECRET`. */
  linkSecret: string;
  /** The domain of the `Message-ID`s. */
  domain: string;
}

/** The development settings: links to the embedded network on this machine. */
export const DEVELOPMENT_MAIL_SETTINGS: MailSettings = {
  networkName: 'Réseau des tiers-lieux',
  publicUrl: 'http://127.0.0.1:4000',
  linkSecret: 'development-link-secret-not-for-production',
  domain: 'tiers-lieux.localhost',
};
