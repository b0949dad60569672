// Runs in every test file, the twin's too: nothing a test makes in the temp folder outlives its
// file. It loads nothing of the product (helpers/temp.ts uses Node built-ins only).
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/temp.js';

afterAll(removeTempDirs);
