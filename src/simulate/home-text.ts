// Texts to the home number, offline: the configuration deployed into an in-memory twin (as
// `simulate call` does), each text sent in order as a signed webhook to the deployed /sms-home,
// and the replies read back from the twin. A call may follow, to show what the texts changed.
// Nothing is worked out here: the replies and the decision are the deployed Functions' own.
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';
import { startDeployedTwin } from './deployed-twin.js';
import { runCall, type HomeCallResult } from './home-call.js';

export interface HomeTextInput {
  config: HomephoneConfig;
  whitelist: Contact[];
  /** Who texts (the owner's cell to be obeyed). */
  from: string;
  bodies: string[];
  /** When the first text arrives (default: now); each next one a minute later. */
  at?: Date;
  /** After the texts, a call to the home number from this number. */
  thenCall?: string;
}

export interface TextExchange {
  body: string;
  replies: string[];
  /** What the Functions logged while answering (a refused sender's masked line). */
  logs: string[];
  /** A failed webhook (Twilio's debugger code and message), if any. */
  error: { code: number; message: string } | null;
}

export interface HomeTextResult {
  texts: TextExchange[];
  call: HomeCallResult | null;
}

export async function simulateHomeTexts(input: HomeTextInput): Promise<HomeTextResult> {
  const deployed = await startDeployedTwin({ config: input.config, whitelist: input.whitelist, ...(input.at ? { startTime: input.at } : {}) });
  try {
    const { engine } = deployed.twin;
    const texts: TextExchange[] = [];
    for (const [i, body] of input.bodies.entries()) {
      if (i > 0) await engine.advance(60);
      const mark = engine.transcript.events.length;
      const r = await engine.receiveSms({ from: input.from, to: deployed.homeNumber, body });
      const logs = engine.transcript
        .since(mark)
        .filter((e) => e.type === 'log')
        .map((e) => e.text)
        .filter((t) => !t.startsWith('{"homephone":'));
      texts.push({ body, replies: r.replies.map((m) => String(m.body ?? '')), logs, error: r.error });
    }
    let call: HomeCallResult | null = null;
    if (input.thenCall) {
      await engine.advance(60);
      call = await runCall(deployed, { to: 'home', from: input.thenCall });
    }
    return { texts, call };
  } finally {
    await deployed.close();
  }
}
