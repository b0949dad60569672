// Conference status callbacks: participant-leave is posted for every participant that leaves —
// also a Participants-API leg that never answered — with ParticipantCallStatus and
// ReasonParticipantLeft (Twilio changelog, 2023-10-25).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUZZER, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';

const CALLER = '+15550001111';
const TENANT = '+15550003333';
const OTHER = '+15550004444';

let h: Harness;
let app: App;

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
  h.twin.engine.phones.clear();
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

/** The caller waits in `room`; conference events go to /conf. */
async function room(name: string, extra = '') {
  app.route('/visitor', twiml(
    `<Dial><Conference startConferenceOnEnter="false" endConferenceOnExit="true" waitUrl="" statusCallback="/conf" statusCallbackEvent="join leave end"${extra}>${name}</Conference></Dial>`,
  ));
  app.route('/conf', '');
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${app.url}/visitor` });
}

const leaves = () =>
  app.requests
    .filter((r) => r.path === '/conf' && r.params.StatusCallbackEvent === 'participant-leave')
    .map((r) => ({ call: r.params.CallSid, status: r.params.ParticipantCallStatus, reason: r.params.ReasonParticipantLeft, valid: r.valid }));

describe('participant-leave', () => {
  it.each([
    ['never answers', 'no-answer', { behaviour: 'no-answer' as const }],
    ['is busy', 'busy', { behaviour: 'busy' as const }],
    ['fails', 'failed', { behaviour: 'fail' as const }],
  ])('a Participants-API leg that %s: ParticipantCallStatus %s, participant_add_failed', async (_what, status, script) => {
    await room('cb-1');
    h.twin.engine.phones.set(TENANT, script);
    const visitor = h.twin.engine.startCall({ from: CALLER, to: BUZZER, script: { hangupAfter: 120 } });
    let tenantSid = '';
    h.twin.engine.at(1, async () => {
      tenantSid = (await h.client.conferences('cb-1').participants.create({ from: BUZZER, to: TENANT, timeout: 10 })).callSid;
    });
    await h.twin.engine.settle();
    expect(leaves()).toEqual([
      { call: tenantSid, status, reason: 'participant_add_failed', valid: true },
      { call: visitor.json.sid, status: 'completed', reason: 'participant_hung_up', valid: true },
    ]);
  });

  it('talking participants: one hangs up, one is removed through the API, the rest go when the room ends', async () => {
    await room('cb-2');
    h.twin.engine.phones.set(TENANT, { answerAfter: 2, hangupAfter: 10 });
    h.twin.engine.phones.set(OTHER, { answerAfter: 2 });
    const visitor = h.twin.engine.startCall({ from: CALLER, to: BUZZER, script: { hangupAfter: 60 } });
    const sids: Record<string, string> = {};
    h.twin.engine.at(1, async () => {
      sids.tenant = (await h.client.conferences('cb-2').participants.create({ from: BUZZER, to: TENANT, startConferenceOnEnter: true })).callSid;
      sids.other = (await h.client.conferences('cb-2').participants.create({ from: BUZZER, to: OTHER })).callSid;
      sids.third = (await h.client.conferences('cb-2').participants.create({ from: BUZZER, to: '+15550005555' })).callSid;
    });
    h.twin.engine.at(20, async () => {
      const [conf] = await h.client.conferences.list({ friendlyName: 'cb-2', status: 'in-progress' });
      await h.client.conferences(conf!.sid).participants(sids.other!).remove();
    });
    await h.twin.engine.settle();
    expect(leaves()).toEqual([
      { call: sids.tenant, status: 'completed', reason: 'participant_hung_up', valid: true },
      { call: sids.other, status: 'completed', reason: 'participant_updated_via_api', valid: true },
      { call: visitor.json.sid, status: 'completed', reason: 'participant_hung_up', valid: true },
      // The visitor ends the room on exit: whoever is left is put out by it.
      { call: sids.third, status: 'completed', reason: 'moderator_ended_conference', valid: true },
    ]);
  });

  it('a room ended through the API: conference_ended_via_api; the <Dial> caller goes on (in-progress)', async () => {
    await room('cb-3');
    const visitor = h.twin.engine.startCall({ from: CALLER, to: BUZZER, script: { hangupAfter: 60 } });
    h.twin.engine.at(5, async () => {
      const [conf] = await h.client.conferences.list({ friendlyName: 'cb-3', status: 'init' });
      await h.client.conferences(conf!.sid).update({ status: 'completed' });
    });
    await h.twin.engine.settle();
    expect(leaves()).toEqual([{ call: visitor.json.sid, status: 'in-progress', reason: 'conference_ended_via_api', valid: true }]);
  });
});
