#!/usr/bin/env node
// Runs the TypeScript sources through tsx so `npx sgops` works right after `npm ci`, with no build
// step. Production runs the compiled build instead (`npm run build`, then `node dist/src/cli.js`, as
// the image does): no tsx loader, about half the memory (docs/performance.md, footprint).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
