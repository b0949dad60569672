// The agent's room callbacks (/conference): the twin posts participant-leave for every participant
// (with ParticipantCallStatus and ReasonParticipantLeft, as Twilio has since October 2023). Only the
// visitor leaving means "the visitor hung up"; a tenant's leave never does.
import { afterEach, describe, expect, it } from 'vitest';
import { ALEX, SAM, callTo, eventsOf, sms, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('participant-leave reaching the agent', () => {
  it('the tenant who talked hangs up first: the buzz ends as talked, nobody is told it was missed', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 8 });
    h.twin.engine.phones.set(SAM, { behaviour: 'no-answer' });
    const r = await h.buzz({ hangupAfter: 120 });
    await h.agent.idle();
    const [alex] = callTo(r, ALEX);
    const left = eventsOf(r, alex, 'conference-leave')[0];
    expect(left?.data).toMatchObject({ ParticipantCallStatus: 'completed', ReasonParticipantLeft: 'participant_hung_up' });
    const visitorLeft = eventsOf(r, r.callSid, 'conference-leave')[0];
    expect(visitorLeft?.data).toMatchObject({ ReasonParticipantLeft: 'moderator_ended_conference' });
    const events = h.logs.map((l) => l.event);
    expect(events).toContain('buzz.ended');
    expect(events).not.toContain('buzz.abandoned');
    expect(events).not.toContain('buzz.missed');
    expect(sms(r).filter((m) => /missed/i.test(m.body))).toEqual([]);
  });
});
