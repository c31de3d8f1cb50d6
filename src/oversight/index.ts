/**
 * Oversight and accountability (严查处): indicators, year-end sanctions, the quota ledger, 补划,
 * registers across cases, leads from above, scorecards and accountability measures.
 */
export * from './case-facts.ts';
export * from './config.ts';
export * from './illegal-ratio.ts';
export * from './ledger.ts';
export * from './replacement.ts';
export * from './sanctions.ts';
export * from './accountability.ts';
export * from './leads.ts';
export * from './registers.ts';
export * from './scorecards.ts';
export * from './weak-enforcement.ts';
export * from './labels.ts';
export * from './suggestions.ts';
