#!/usr/bin/env node
// Entry point of the `gengbao` command. Gengbao runs its TypeScript sources through tsx
// (esbuild) rather than a separate build step, so `npm ci && npm start` needs nothing more
// and a source checkout can never run stale compiled code.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
