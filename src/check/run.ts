// `homephone check`, the core: prepare (read the configuration and the deployment, plan the calls
// and their cost), then run (place each call, read its records back, judge one row per path) and
// leave the account as found: every call this check placed is ended, whatever happens.
import { openSession, deployStatus, syncWhitelist, type DeploySession, type StatusResult } from '../deploy/index.js';
import { InputError } from '../errors.js';
import { buildPlan, pathLabel, type CheckPlan } from './plan.js';
import { judgeAudio, judgeBuzzer, judgeNumbers, judgeOwner, judgeUnknown, judgeWhitelisted, type Facts } from './judge.js';
import { twinCalls, type PlacedCall } from './twin-calls.js';
import type { CheckRow, PathId } from './types.js';

export interface PreparedCheck {
  plan: CheckPlan;
  twinUrl: string;
  session: DeploySession;
  status: StatusResult;
}

export async function prepareCheck(env: NodeJS.ProcessEnv, options: { twinUrl?: string; tester?: string }): Promise<PreparedCheck> {
  const twinUrl = options.twinUrl || env.HOMEPHONE_TWIN_URL;
  if (!twinUrl) {
    // Placing calls on a real account needs REST Calls plus Studio Executions and Serverless Logs
    // readers that are not built yet: refuse rather than pretend.
    throw new InputError('homephone check runs against a twin only, for now: --twin URL or HOMEPHONE_TWIN_URL is missing', {
      hint: 'start one with homephone twin start, deploy into it, then homephone check --twin URL',
    });
  }
  if (!/^https?:\/\/[^\s/]+/.test(twinUrl)) throw new InputError(`--twin "${twinUrl}" is not an http(s) URL`);
  const session = await openSession(env, { twinUrl });
  const plan = buildPlan(session.config, session.whitelist, options.tester);
  const status = await deployStatus(session);
  if (!status.deployed) {
    throw new InputError(`nothing is deployed on ${session.target}`, { hint: 'run homephone deploy first' });
  }
  return { plan, twinUrl, session, status };
}

export interface RunOptions {
  onProgress?: (line: string) => void;
  /** Checked between calls: an interrupted check places nothing more (and still ends its calls). */
  cancelled?: () => boolean;
}

export interface CheckOutcome {
  rows: CheckRow[];
  interrupted: boolean;
  /** Calls this check found still up after its paths ran, and ended. */
  ended: string[];
}

export async function runCheck(prepared: PreparedCheck, options: RunOptions = {}): Promise<CheckOutcome> {
  const { plan, session, status, twinUrl } = prepared;
  const progress = options.onProgress ?? (() => {});
  const config = session.config;
  const h = config.household ?? {};
  const facts: Facts = {
    sipUri: `sip:${h.sipUsername ?? ''}@${status.sip?.domain ?? h.sipDomain ?? ''}`,
    ownerCell: plan.ownerCell,
    publicUrl: config.buzzer?.publicUrl ?? null,
    registrationsMapped: Boolean(status.sip?.mappings.registrations),
    tenants: (config.buzzer?.tenants ?? []).map((t) => t.number),
  };
  const incoming = status.flows.find((f) => f.name === 'homephone incoming');
  const rows: CheckRow[] = [
    judgeNumbers(
      status.numbers
        .filter((n) => n.role === 'home' || n.role === 'buzzer')
        .map((n) => ({ ...n, expected: n.role === 'home' ? (incoming?.webhookUrl ?? '(the incoming flow)') : (facts.publicUrl ?? '') })),
    ),
  ];
  const calls = twinCalls(twinUrl);
  const placed: PlacedCall[] = [];
  const judges: Record<string, (p: PlacedCall, f: Facts) => CheckRow> = {
    'unknown-caller': judgeUnknown,
    'whitelisted-caller': judgeWhitelisted,
    'owner-menu': judgeOwner,
    'buzzer-agent': judgeBuzzer,
  };
  let interrupted = false;
  let ended: string[] = [];
  // The tester whitelisted for its own call only: pushed before it, the whitelist pushed back after
  // (and in `finally`, so an error or Ctrl-C still restores it).
  let temporary = false;
  const restore = async () => {
    if (!temporary) return;
    progress(`removing ${plan.tester} from the deployed whitelist again…`);
    await syncWhitelist(session);
    temporary = false;
  };
  try {
    for (const call of plan.calls) {
      if (options.cancelled?.()) {
        interrupted = true;
        break;
      }
      if (call.id === 'whitelisted-caller' && !plan.testerWhitelisted) {
        progress(`whitelisting ${plan.tester} for this check…`);
        temporary = true;
        await syncWhitelist({ ...session, whitelist: [...session.whitelist, { Number: plan.tester, Person: 'homephone check', OverrideBedtime: true, PrimaryContact: null }] });
      }
      progress(`calling ${call.to} from ${call.from} (${call.id})…`);
      const p = await calls.place(call.from, call.to, call.seconds);
      placed.push(p);
      await restore();
      const judged = judges[call.id]!(p, facts);
      progress(`  ${judged.verdict}: ${judged.seen}`);
      rows.push(judged);
    }
  } finally {
    try {
      ended = await endCalls(session, placed);
    } finally {
      await restore();
    }
  }
  if (!plan.unknownCaller && !interrupted) {
    rows.push({
      id: 'unknown-caller',
      path: pathLabel('unknown-caller'),
      expected: 'refused, nothing rings',
      seen: 'not tried: every number at hand is on the whitelist or is the owner',
      verdict: 'skip',
      hint: 'pass a --tester that is not on the whitelist (it is whitelisted temporarily for its own call)',
    });
  }
  if (!interrupted) rows.push(judgeAudio(placed));
  const order: PathId[] = ['numbers', 'unknown-caller', 'whitelisted-caller', 'owner-menu', 'buzzer-agent', 'audio'];
  rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { rows, interrupted, ended };
}

/** Ends every call the check's calls opened that is still up (none should be: belt and braces). */
async function endCalls(session: DeploySession, placed: PlacedCall[]): Promise<string[]> {
  const ended: string[] = [];
  for (const sid of placed.flatMap((p) => p.calls.map((c) => c.sid))) {
    const call = await session.client.calls(sid).fetch();
    if (['queued', 'ringing', 'in-progress'].includes(call.status)) {
      await session.client.calls(sid).update({ status: 'completed' });
      ended.push(sid);
    }
  }
  return ended;
}
