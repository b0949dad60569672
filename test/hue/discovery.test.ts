// Bridge addresses and mDNS discovery.
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { bridgeFromService, discoverBridges, parseBridgeAddress } from '../../src/hue/index.js';

describe('parseBridgeAddress', () => {
  it.each([
    ['192.168.1.20', { protocol: 'https', host: '192.168.1.20', port: 443, text: '192.168.1.20' }],
    [' 192.168.1.20 ', { protocol: 'https', host: '192.168.1.20', port: 443, text: '192.168.1.20' }],
    ['hue-bridge.local', { protocol: 'https', host: 'hue-bridge.local', port: 443, text: 'hue-bridge.local' }],
    ['https://192.168.1.20', { protocol: 'https', host: '192.168.1.20', port: 443, text: '192.168.1.20' }],
    ['https://192.168.1.20:8443/', { protocol: 'https', host: '192.168.1.20', port: 8443, text: 'https://192.168.1.20:8443' }],
    ['192.168.1.20:8443', { protocol: 'https', host: '192.168.1.20', port: 8443, text: 'https://192.168.1.20:8443' }],
    ['http://127.0.0.1:8080', { protocol: 'http', host: '127.0.0.1', port: 8080, text: 'http://127.0.0.1:8080' }],
    ['HTTP://127.0.0.1', { protocol: 'http', host: '127.0.0.1', port: 80, text: 'http://127.0.0.1:80' }],
    ['http://[::1]:8080', { protocol: 'http', host: '::1', port: 8080, text: 'http://[::1]:8080' }],
  ])('%s', (input, expected) => {
    expect(parseBridgeAddress(input)).toEqual(expected);
  });

  it.each([
    ['', /it is empty/],
    ['192.168.1.20/api', /must not contain a path/],
    ['ftp://192.168.1.20', /ftp: is not http or https/],
    ['my bridge', /contains spaces/],
    ['http://user:pw@10.0.0.1', /user name or password/],
    ['http://10.0.0.1:99999', /not a host name or IP address/],
  ])('refuses %j', (input, reason) => {
    const error = (() => {
      try {
        parseBridgeAddress(input);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(reason);
  });
});

describe('bridgeFromService', () => {
  it('prefers an IPv4 address and reads the bridge id from TXT', () => {
    expect(
      bridgeFromService({
        name: 'Hue Bridge - A532A7',
        host: '001788a532a7.local',
        port: 443,
        addresses: ['fe80::217:88ff:fea5:32a7', '192.168.1.20'],
        txt: { bridgeid: '001788FFFEA532A7', modelid: 'BSB002' },
      }),
    ).toEqual({ address: '192.168.1.20', name: 'Hue Bridge - A532A7', bridgeId: '001788fffea532a7', modelId: 'BSB002' });
  });

  it('keeps a port other than 443, and falls back to the answering address', () => {
    expect(
      bridgeFromService({ name: 'Emulator', host: 'emu.local', port: 8443, addresses: [], referer: { address: '10.0.0.5' } }),
    ).toEqual({ address: '10.0.0.5:8443', name: 'Emulator' });
  });
});

// A real mDNS round trip: publish a fake bridge's service and browse for it. Multicast needs a
// non-loopback interface; without one the test is skipped, saying so.
const multicastInterface = Object.values(networkInterfaces())
  .flat()
  .some((i) => i && !i.internal && i.family === 'IPv4');
if (!multicastInterface) console.warn('skipping the mDNS round trip: no non-loopback IPv4 interface for multicast');

describe.skipIf(!multicastInterface)('discoverBridges (mDNS _hue._tcp)', () => {
  it('finds a bridge that advertises itself', async () => {
    const { Bonjour } = await import('bonjour-service');
    const advertiser = new Bonjour();
    const bridgeId = `001788fffe${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
    // probe: false announces at once instead of after three 250 ms name probes.
    advertiser.publish({
      name: `Hue Bridge - test ${bridgeId}`,
      type: 'hue',
      port: 443,
      probe: false,
      txt: { bridgeid: bridgeId.toUpperCase(), modelid: 'BSB002' },
    });
    try {
      const found = await discoverBridges({ timeoutMs: 2000 });
      const ours = found.find((b) => b.bridgeId === bridgeId);
      expect(ours).toMatchObject({ name: `Hue Bridge - test ${bridgeId}`, modelId: 'BSB002' });
      expect(() => parseBridgeAddress(ours!.address)).not.toThrow();
    } finally {
      await new Promise<void>((resolve) => advertiser.unpublishAll(() => advertiser.destroy(() => resolve())));
    }
  });
});
