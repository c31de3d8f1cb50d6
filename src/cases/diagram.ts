/**
 * The lifecycle as a Mermaid state diagram, generated from the transition table so the picture
 * in src/cases/README.md cannot drift from the code (a test compares them). Side actions that
 * keep the state (transfer, 干预记录, …) are listed, not drawn, to keep the picture readable.
 */
import { describeLifecycle } from './lifecycle.ts';

/** Mermaid `stateDiagram-v2` source of the main lifecycle. */
export function lifecycleMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> found'];
  const side: string[] = [];
  for (const t of describeLifecycle()) {
    if (t.to === 'same') {
      side.push(`${t.action} (${t.label})`);
      continue;
    }
    for (const from of t.from) lines.push(`  ${from} --> ${t.to}: ${t.action} ${t.label}`);
  }
  lines.push('  closed --> [*]');
  lines.push(`  note right of found: side actions, state unchanged: ${side.join(', ')}`);
  return lines.join('\n');
}
