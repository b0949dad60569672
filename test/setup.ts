// Runs in every test file: nothing a test makes in the temp folder outlives its file.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/cli.js';

afterAll(removeTempDirs);
