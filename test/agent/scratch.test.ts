import { it } from 'vitest';
import { ALEX, SAM, startBuzzer } from './harness.js';
it('scratch', async () => {
  const h = await startBuzzer();
  h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 21 }], hangupAfter: 60 });
  h.twin.engine.phones.set(SAM, { behaviour: 'voicemail' });
  const r = await h.buzz();
  await h.agent.idle();
  console.log(r.text);
  console.log(h.logs.map((l) => JSON.stringify(l)).join('\n'));
  await h.close();
});
