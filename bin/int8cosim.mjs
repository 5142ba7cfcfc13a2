#!/usr/bin/env node
// Thin shim: register the TypeScript loader, then hand over to cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv.slice(2));
