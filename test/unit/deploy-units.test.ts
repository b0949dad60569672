// Pure parts of deploy: the generated ringback, the flow builders, normal forms, the SIP password.
import { describe, expect, it } from 'vitest';
import { ringbackWav } from '../../src/deploy/ringback.js';
import { canonicalJson, jsonDiff, normaliseUrl } from '../../src/deploy/normalise.js';
import { generateSipPassword, isStrongSipPassword } from '../../src/deploy/state.js';
import { FLOWS } from '../../src/studio/flows.js';
import { twimlRedirect } from '../../src/studio/widgets.js';
import { validateFlowDefinition } from '@homephone/twin';
import { functionTemplates } from '../../src/deploy/templates.js';

/** Power of one frequency in a block of samples (Goertzel). */
function power(samples: number[], freq: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) [s1, s2] = [x + k * s1 - s2, s1];
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

describe('ringback', () => {
  const wav = ringbackWav();
  const samples = Array.from({ length: (wav.length - 44) / 2 }, (_, i) => wav.readInt16LE(44 + i * 2));

  it('is an 8 kHz 16-bit mono PCM WAV of one 6 s cadence', () => {
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.subarray(8, 16).toString()).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(samples).toHaveLength(6 * 8000);
    expect(ringbackWav().equals(wav)).toBe(true); // deterministic: a stable content hash
  });

  it('sounds 440 + 480 Hz for 2 s, then is silent for 4 s', () => {
    const on = samples.slice(4000, 12000);
    const off = samples.slice(16000);
    expect(off.every((s) => s === 0)).toBe(true);
    const p440 = power(on, 440, 8000);
    const p480 = power(on, 480, 8000);
    const p350 = power(on, 350, 8000);
    const p620 = power(on, 620, 8000);
    expect(p440 / p350).toBeGreaterThan(1000);
    expect(p480 / p620).toBeGreaterThan(1000);
    expect(Math.max(...on.map(Math.abs))).toBeLessThan(32767);
  });
});

describe('Studio flows', () => {
  it('builds both flows as definitions Studio accepts', () => {
    for (const flow of FLOWS) {
      const definition = flow.build({ functionsBase: 'https://homephone-1234.twil.io', unavailableMessage: 'Sorry.', ownerCell: '+15551239000' });
      expect(validateFlowDefinition(definition)).toEqual({ errors: [], warnings: [] });
      expect(JSON.stringify(definition)).toContain(`https://homephone-1234.twil.io/${flow.key}`);
    }
  });

  it('writes the TwiML redirect timeout as a string, as Studio insists', () => {
    expect(twimlRedirect({ name: 'x', url: 'https://a.example/x' }).properties.timeout).toBe('14400');
    expect(() => twimlRedirect({ name: 'x', url: 'https://a.example/x', timeoutSeconds: 20000 })).toThrow(/0 to 14400/);
  });
});

describe('normal forms', () => {
  it('compares flow definitions regardless of key order and whitespace', () => {
    expect(canonicalJson(JSON.parse('{ "b": 1, "a": { "y": [1, {"q": 2, "p": 1}], "x": null } }'))).toBe(
      canonicalJson({ a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 }),
    );
    expect(jsonDiff({ states: [{ properties: { url: 'a' } }] }, { states: [{ properties: { url: 'b' } }] })).toEqual([
      { path: 'states[0].properties.url', before: 'a', after: 'b' },
    ]);
  });

  it('compares URLs in one form', () => {
    expect(normaliseUrl('HTTPS://Buzz.Example.org')).toBe('https://buzz.example.org/');
    expect(normaliseUrl('https://buzz.example.org:443/x')).toBe('https://buzz.example.org/x');
    expect(normaliseUrl(null)).toBe('');
  });
});

describe('deploy inputs', () => {
  it('generates SIP passwords Twilio accepts', () => {
    for (let i = 0; i < 200; i++) expect(isStrongSipPassword(generateSipPassword())).toBe(true);
    expect(new Set(Array.from({ length: 50 }, () => generateSipPassword())).size).toBe(50);
  });

  it('takes the Functions from templates/functions/, lib/ as private, never package.json or .d.ts', () => {
    const fns = functionTemplates().map((f) => `${f.path} ${f.visibility}`);
    expect(fns).toEqual([
      '/buzzer-fallback protected',
      '/calls-in-progress protected',
      '/check-code protected',
      '/fallback-owner protected',
      '/incoming protected',
      '/lib/alerts private',
      '/lib/bedtime private',
      '/lib/call-summary private',
      '/lib/caller-policy private',
      '/lib/dialled-number private',
      '/lib/history private',
      '/lib/household private',
      '/lib/live-household private',
      '/lib/lockout private',
      '/lib/monitor-code private',
      '/lib/overrides private',
      '/lib/replies private',
      '/lib/rooms private',
      '/lib/text-commands private',
      '/monitor protected',
      '/outbound protected',
      '/participant-status protected',
      '/sms-buzzer-fallback protected',
      '/sms-home protected',
      '/unanswered protected',
      '/voicemail protected',
    ]);
  });
});
