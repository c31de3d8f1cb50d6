/** Oversight and accountability (严查处): indicators, year-end sanctions, the quota ledger, 补划. */
export * from './case-facts.ts';
export * from './config.ts';
export * from './illegal-ratio.ts';
export * from './ledger.ts';
export * from './replacement.ts';
export * from './sanctions.ts';
