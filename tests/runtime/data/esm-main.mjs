import { basename } from 'node:path';
import { helper } from './esm-helper.mjs';
const value = await Promise.resolve(helper());
console.log(`esm ${basename(import.meta.url)} ${value}`);
