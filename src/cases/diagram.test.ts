import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lifecycleMermaid } from './diagram.ts';

const README = new URL('./README.md', import.meta.url);
const BLOCK = /```mermaid\n[\s\S]*?```/;

describe('the lifecycle diagram in src/cases/README.md', () => {
  it('matches the transition table (REGEN=1 rewrites it)', () => {
    const text = readFileSync(README, 'utf8');
    const block = '```mermaid\n' + lifecycleMermaid() + '\n```';
    if (process.env.REGEN === '1') writeFileSync(README, text.replace(BLOCK, block));
    expect(readFileSync(README, 'utf8').match(BLOCK)?.[0]).toBe(block);
  });

  it('draws every transition out of every from-state', () => {
    const m = lifecycleMermaid();
    expect(m).toContain('  decided --> enforced: enforce 执行');
    expect(m).toContain('  reviewed --> closed: close 结案销号');
    expect(m).toContain('transfer (移送（行刑衔接）)');
  });
});
