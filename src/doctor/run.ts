// Runs every check in order; a check that cannot run because an earlier one failed says so.
import type { HomephoneConfig } from '../config/schema.js';
import { openSession, deployStatus } from '../deploy/index.js';
import { checkAgent } from './agent.js';
import {
  checkConfig,
  checkCredentials,
  checkEmergencyAddress,
  checkFlows,
  checkNumbers,
  checkSip,
  skip,
  type CheckResult,
} from './checks.js';
import { checkHue } from './hue.js';
import { checkTenants } from './tenants.js';

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  config: HomephoneConfig;
  agentUrl?: string | undefined;
  onResult?: (result: CheckResult) => void;
}

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const { env, config } = options;
  const results: CheckResult[] = [];
  const add = (...rs: CheckResult[]) => {
    for (const r of rs) {
      results.push(r);
      options.onResult?.(r);
    }
  };
  add(checkConfig(config, env));

  let twilioOk = false;
  try {
    const session = await openSession(env);
    const credentials = await checkCredentials(session);
    add(credentials);
    twilioOk = credentials.status === 'pass';
    if (twilioOk) {
      const status = await deployStatus(session);
      add(...checkNumbers(status), await checkFlows(session, status), checkSip(status, config));
      if (config.household?.homeNumber) add(await checkEmergencyAddress(session, config.household.homeNumber));
    }
  } catch (err) {
    add({ id: 'credentials', title: 'Twilio credentials work', status: 'fail', detail: (err as Error).message, fix: (err as { hint?: string }).hint ?? 'homephone init' });
  }
  if (!twilioOk) add(skip('twilio', 'Numbers, flows and SIP domain', 'skipped: Twilio could not be reached with these credentials'));

  const buzzer = config.buzzer;
  const authToken = env.TWILIO_AUTH_TOKEN || config.twilio?.authToken;
  const accountSid = env.TWILIO_ACCOUNT_SID || config.twilio?.accountSid;
  if (buzzer?.publicUrl && buzzer.number && authToken && accountSid && !options.agentUrl) {
    // doctor reaches only Twilio unless told where the agent is: no lookup of a host nobody named.
    add(skip('agent', 'Buzzer agent', `not checked: pass --agent-url ${buzzer.publicUrl} (the public URL), or http://127.0.0.1:8080 on the agent's machine`));
  } else if (buzzer?.publicUrl && buzzer.number && authToken && accountSid) {
    add(...(await checkAgent({ buzzer: { ...buzzer, publicUrl: buzzer.publicUrl, number: buzzer.number }, accountSid, authToken, agentUrl: options.agentUrl })));
  } else if (buzzer) {
    add(skip('agent', 'Buzzer agent', 'skipped: the buzzer configuration is incomplete (see above)'));
  }
  const tenants = checkTenants(config);
  if (tenants) add(tenants);
  add(await checkHue(config.hue));
  return results;
}
