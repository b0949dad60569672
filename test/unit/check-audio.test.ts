// The audio row's rule (check/audio.ts): what Twilio's <Play> accepts — a 2xx answer, one of the
// audio types its <Play> page lists, and bytes that are what the type says.
import { describe, expect, it } from 'vitest';
import { audioProblem } from '../../src/check/audio.js';

const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]);
const answer = (status: number, contentType: string, bytes: Buffer = wav) => ({ status, contentType, bytes, networkError: null });

describe('audioProblem', () => {
  it('a WAV served as audio/wav plays', () => {
    expect(audioProblem(answer(200, 'audio/wav'))).toBeNull();
    expect(audioProblem(answer(200, 'audio/x-wav; charset=binary'))).toBeNull();
  });

  it('a 404, no answer, a type Twilio does not play, or bytes that are not the type: each says why', () => {
    expect(audioProblem(answer(404, 'text/html'))).toBe('answered 404');
    expect(audioProblem({ status: 0, contentType: '', bytes: Buffer.alloc(0), networkError: 'ECONNREFUSED' })).toBe('did not answer (ECONNREFUSED)');
    expect(audioProblem(answer(200, 'application/octet-stream'))).toBe('answered application/octet-stream, not audio Twilio plays');
    expect(audioProblem(answer(200, ''))).toBe('answered without a Content-Type, not audio Twilio plays');
    expect(audioProblem(answer(200, 'audio/mpeg', wav))).toBe('is served as audio/mpeg but its bytes are not');
  });
});
