// `homephone simulate text` in-process through main(): texts to the home number on what deploy
// would deploy, in an in-memory twin; the owner's commands answered, anyone else ignored, and what
// a call decides afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import { homephone, tempDir } from '../helpers/cli.js';

const OWNER = '+15551230001';
let dir: string;
const run = (args: string[]) => homephone(['simulate', 'text', ...args], { dir });

beforeAll(async () => {
  dir = tempDir();
  const init = await homephone(
    ['init', '--yes', '--account-sid', 'AC0123456789abcdef0123456789abcdef', '--auth-token', 'feedfacefeedfacefeedfacefeedface', '--home-number', '+15551230000', '--owner-cell', OWNER, '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468', '--bedtime', 'Fri-Sat 22:00-08:00'],
    { dir },
  );
  expect(init.exitCode).toBe(0);
  expect((await homephone(['whitelist', 'add', '(555) 555-0100', '--name', 'Uncle Bob'], { dir })).exitCode).toBe(0);
});

describe('homephone simulate text', () => {
  it("answers the owner's commands in order, and shows what the next call decides", async () => {
    const r = await run(['quiet 2h', 'who', '--at', '2026-11-20 15:00', '--then-call', '+15555550100']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Texts from ${OWNER} (the owner's cell) to the home number +15551230000, from Fri 2026-11-20 15:00 (America/New_York), a minute apart:`);
    expect(r.stdout).toContain('> quiet 2h\n< Quiet until Fri 17:00 (2 h): only contacts allowed at bedtime ring through. Text awake to end it.');
    expect(r.stdout).toContain('> who\n< No calls recorded yet.');
    expect(r.stdout).toContain("Then +15555550100 calls the home number: bedtime: Uncle Bob (+15555550100) is on the whitelist, but it is bedtime (quiet until Fri 17:00 (texted)");
  });

  it('allow, then the call rings through (--json: one document)', async () => {
    const r = await run(['allow +1 555 555 0199 Grandpa', '--at', '2026-11-20 15:00', '--then-call', '+1 555 555 0199', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { texts: Array<{ body: string; replies: string[] }>; call: { decision: { path: string; person: string } } };
    expect(doc.texts[0]!.replies[0]).toMatch(/^Allowed Grandpa \(\+15555550199\): rings through from the next call/);
    expect(doc.call.decision).toMatchObject({ path: 'ring', person: 'Grandpa' });
  });

  it('anyone but the owner: no reply, a masked log line, and nothing changes', async () => {
    const r = await run(['quiet 2h', '--from', '+15550009999', '--at', '2026-11-20 15:00', '--then-call', '+15555550100']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("> quiet 2h\n  (no reply)\n  log: text to the home number from +1******9999 ignored: only the owner's cell is obeyed");
    expect(r.stdout).toContain('Then +15555550100 calls the home number: ring:');
  });

  it('bad input: exit 2 with a hint', async () => {
    const empty = await run(['  ']);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('an empty text');
    const from = await run(['who', '--from', 'nobody']);
    expect(from.exitCode).toBe(2);
    expect(from.stderr).toContain('--from nobody');
    const none = await run([]);
    expect(none.exitCode).toBe(2);
  });
});
