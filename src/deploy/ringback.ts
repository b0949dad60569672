// The ringback a waiting visitor hears, generated here rather than downloaded: North American
// ringback (440 Hz + 480 Hz, 2 s on, 4 s off) as an 8 kHz, 16-bit mono PCM WAV of one cadence,
// which a <Play loop="0"> repeats. Deterministic, so its content hash is stable across deploys.

export interface RingbackOptions {
  sampleRate?: number;
  frequencies?: readonly number[];
  onSeconds?: number;
  offSeconds?: number;
  /** Peak amplitude of the sum, 0–1 (default 0.4: comfortably below clipping). */
  level?: number;
}

export function ringbackWav(options: RingbackOptions = {}): Buffer {
  const rate = options.sampleRate ?? 8000;
  const freqs = options.frequencies ?? [440, 480];
  const on = Math.round((options.onSeconds ?? 2) * rate);
  const off = Math.round((options.offSeconds ?? 4) * rate);
  const level = options.level ?? 0.4;
  const ramp = Math.round(0.005 * rate); // 5 ms fades, so the tone starts and stops without clicks
  const samples = on + off;
  const dataBytes = samples * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // PCM header size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < on; i++) {
    const t = i / rate;
    const envelope = Math.min(1, i / ramp, (on - 1 - i) / ramp);
    const sum = freqs.reduce((acc, f) => acc + Math.sin(2 * Math.PI * f * t), 0) / freqs.length;
    wav.writeInt16LE(Math.round(sum * envelope * level * 32767), 44 + i * 2);
  }
  return wav; // the "off" part is already silence (zeros)
}
