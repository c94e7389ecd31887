/** Every amount of this network is in euros. */
export function eur(amountCents: number) {
  return { amountCents, currency: 'EUR' };
}
