// household.messages.* are spoken literally: `config set` refuses a message with Liquid (which
// Studio would evaluate), markup, control characters or no words (exit 2, file unchanged), and
// accepts ordinary punctuation, which reaches the caller exactly as written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homephone, readJson, tempDir } from '../helpers/cli.js';

describe('config set household.messages.*', () => {
  it('refuses Liquid, markup, control characters and empty messages with exit 2, leaving the file as it was', async () => {
    const dir = tempDir();
    expect((await homephone(['config', 'set', 'household.messages.bedtime', 'It is bedtime.'], { dir })).exitCode).toBe(0);
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const cases: Array<[string, string, RegExp]> = [
      ['household.messages.notWhitelisted', 'Hello {{trigger.call.From}}, goodbye.', /contains Liquid/],
      ['household.messages.bedtime', '{% if true %}Sleep{% endif %}', /contains Liquid/],
      ['household.messages.phoneUnavailable', 'Nobody home }}', /contains Liquid/],
      ['household.messages.bedtime', '<speak>Shh</speak>', /contains markup/],
      ['household.messages.bedtime', 'a > b', /contains markup/],
      ['household.messages.notWhitelisted', 'line one\nline two', /control character/],
      ['household.messages.notWhitelisted', 'bell \u0007', /control character/],
      ['household.messages.phoneUnavailable', '   ', /needs words to say/],
      ['household.messages.phoneUnavailable', 'x'.repeat(1001), /at most 1000 characters/],
      ['household.messages', '{"bedtime": "{{flow.data}}"}', /bedtime: it contains Liquid/],
      ['household.messages', '{"greeting": "hi"}', /unknown message "greeting"/],
      ['household.messages', 'not json', /JSON object/],
    ];
    for (const [key, value, reason] of cases) {
      const result = await homephone(['config', 'set', key, value], { dir });
      expect(result.exitCode, `${key}=${value}`).toBe(2);
      expect(result.stderr, `${key}=${value}`).toMatch(reason);
    }
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('accepts ordinary punctuation, trimmed, as one message or as the object', async () => {
    const dir = tempDir();
    const text = `Tom & Jerry's "house": call back after 5 o'clock!`;
    expect((await homephone(['config', 'set', 'household.messages.notWhitelisted', `  ${text} `], { dir })).exitCode).toBe(0);
    expect((await homephone(['config', 'set', 'household.messages', JSON.stringify({ bedtime: 'Shh, 100% asleep.', phoneUnavailable: text })], { dir })).exitCode).toBe(0);
    expect((readJson(join(dir, 'config.json')) as { household: { messages: object } }).household.messages).toEqual({ bedtime: 'Shh, 100% asleep.', phoneUnavailable: text });
  });
});
