// `homephone check`, the core: prepare (read the configuration and the deployment, find whether
// the owner's cell is a verified caller ID, plan the calls and their cost), then run: place each
// path's call over REST, follow it in Twilio's records until everything it caused has ended,
// judge one row per path from those records, and leave the account as found (every call ended,
// the temporary whitelist entry removed, the check window closed), whatever happens. The same code
// runs on a real account and on a twin; only the driver differs (driver.ts).
import { twilioCredentials } from '../config/secrets.js';
import { openSession, deployStatus, syncWhitelist, type DeploySession, type StatusResult } from '../deploy/index.js';
import { HomephoneError, InputError } from '../errors.js';
import { findHistoryService } from '../history/calls.js';
import { resolveTwilioSettings } from '../twilio/settings.js';
import { audioTargets, judgeAudio } from './audio.js';
import { accountDriver, twinDriver, type CheckDriver } from './driver.js';
import { BUZZER_EXPECTED, EXPECTED, judgeBuzzer, judgeNumbers, judgeOwner, judgeUnknown, judgeWhitelisted, row, type Evidence, type Facts } from './judge.js';
import { buildPlan, pathLabel, type CheckPlan } from './plan.js';
import { Records } from './records.js';
import type { CheckRow, PathId, PlannedCall } from './types.js';
import { everSeen, watchCall, type Watched } from './watch.js';
import { closeCheckWindow, openCheckWindow, readCheckWindow, type CheckWindow } from './window.js';

export interface PreparedCheck {
  plan: CheckPlan;
  session: DeploySession;
  status: StatusResult;
  records: Records;
  driver: CheckDriver;
  /** Where the check runs, for messages. */
  target: string;
  onTwin: boolean;
}

export async function prepareCheck(env: NodeJS.ProcessEnv, options: { twinUrl?: string; tester?: string; ringPeople?: boolean }): Promise<PreparedCheck> {
  if (options.twinUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(options.twinUrl)) throw new InputError(`--twin "${options.twinUrl}" is not an http(s) URL`);
  const session = await openSession(env, options.twinUrl ? { twinUrl: options.twinUrl } : {});
  const effectiveEnv = options.twinUrl ? { ...env, HOMEPHONE_TWIN_URL: options.twinUrl } : env;
  const credentials = twilioCredentials(session.config, effectiveEnv);
  const twinUrl = resolveTwilioSettings(credentials, effectiveEnv).twinUrl;
  // Checked before any REST read: a bad --tester is a usage error whatever the account says.
  buildPlan(session.config, session.whitelist, options.tester);
  const status = await deployStatus(session);
  if (!status.deployed) throw new InputError(`nothing is deployed on ${session.target}`, { hint: 'run homephone deploy first' });
  const records = new Records(session.client, {
    serviceSid: status.service?.sid ?? null,
    domain: status.service?.domain ?? null,
    flows: status.flows.map((f) => ({ sid: f.sid, name: f.name })),
  });
  const ownerCell = session.config.household?.ownerCell ?? '';
  const ownerVerified = ownerCell ? await records.isVerifiedCallerId(ownerCell) : false;
  const plan = buildPlan(session.config, session.whitelist, options.tester, { ownerVerified, ringPeople: options.ringPeople === true });
  // Twilio refuses a From the account neither owns nor has verified (21210): say so before placing anything.
  if (plan.tester !== plan.buzzer && !(await records.isOwnedNumber(plan.tester)) && !(await records.isVerifiedCallerId(plan.tester))) {
    throw new InputError(`--tester ${plan.tester} is neither a number of ${session.target ?? 'this account'} nor a verified caller ID on it`, {
      hint: 'pass one of the account\'s numbers (homephone status lists them), or verify it in the Twilio console (Phone Numbers > Verified Caller IDs)',
    });
  }
  return {
    plan,
    session,
    status,
    records,
    driver: twinUrl ? twinDriver(twinUrl) : accountDriver(credentials.authToken ?? null),
    target: session.target ?? 'Twilio',
    onTwin: Boolean(twinUrl),
  };
}

export interface RunOptions {
  onProgress?: (line: string) => void;
  /** Checked every second while a call runs, and between calls: Ctrl-C ends the call at once and places nothing more. */
  cancelled?: () => boolean;
}

export interface CheckOutcome {
  rows: CheckRow[];
  interrupted: boolean;
}

const ORDER: PathId[] = ['numbers', 'unknown-caller', 'whitelisted-caller', 'owner-menu', 'buzzer-agent', 'audio'];
/** Twilio's records (alerts, logs) may trail the call by seconds: read again for at most this long. */
const RECORDS_WAIT_SECONDS = 30;

export async function runCheck(prepared: PreparedCheck, options: RunOptions = {}): Promise<CheckOutcome> {
  const { plan, session, status, records, driver } = prepared;
  const progress = options.onProgress ?? (() => {});
  const cancelled = options.cancelled ?? (() => false);
  const config = session.config;
  const h = config.household ?? {};
  const facts: Facts = {
    sipUri: `sip:${h.sipUsername ?? ''}@${status.sip?.domain ?? h.sipDomain ?? ''}`,
    ownerCell: plan.ownerCell,
    publicUrl: config.buzzer?.publicUrl ?? null,
    domain: status.service?.domain ?? null,
    registrationsMapped: Boolean(status.sip?.mappings.registrations),
    tenants: plan.tenants,
  };
  const incoming = status.flows.find((f) => f.name === 'homephone incoming');
  const rows: CheckRow[] = [
    judgeNumbers(
      status.numbers
        .filter((n) => n.role === 'home' || n.role === 'buzzer')
        .map((n) => ({ ...n, expected: n.role === 'home' ? (incoming?.webhookUrl ?? '(the incoming flow)') : (facts.publicUrl ?? '') })),
    ),
  ];
  let interrupted = false;
  // The tester whitelisted for its own call only: pushed before it, the whitelist pushed back after
  // (and in `finally`, so an error or Ctrl-C still restores it).
  let temporary = false;
  const restore = async () => {
    if (!temporary) return;
    progress(`removing ${plan.tester} from the deployed whitelist again…`);
    try {
      await syncWhitelist(session);
    } catch (e) {
      // The one change the check could leave behind: say so, and how to undo it.
      throw new HomephoneError(`${plan.tester} may still be on the deployed whitelist: pushing the whitelist back failed (${(e as Error).message})`, {
        hint: 'run homephone whitelist sync to push your whitelist.json again',
        cause: e,
      });
    }
    temporary = false;
  };
  try {
    for (const call of plan.calls) {
      if (cancelled()) {
        interrupted = true;
        break;
      }
      if (call.id === 'whitelisted-caller' && !plan.testerWhitelisted) {
        progress(`whitelisting ${plan.tester} for this check…`);
        temporary = true;
        await syncWhitelist({ ...session, whitelist: [...session.whitelist, { Number: plan.tester, Person: 'homephone check', OverrideBedtime: true, PrimaryContact: null }] });
        if (cancelled()) {
          interrupted = true;
          break;
        }
      }
      let judged: CheckRow;
      if (call.id === 'buzzer-agent') {
        const buzz = await buzzerRow(prepared, facts, call, options);
        judged = buzz.row;
        if (buzz.interrupted) interrupted = true;
      } else {
        const w = await place(prepared, call, facts, options);
        await restore();
        if (w.endedBy === 'interrupted') {
          interrupted = true;
          judged = interruptedRow(call.id, EXPECTED[call.id as keyof typeof EXPECTED]);
        } else {
          const judge = call.id === 'unknown-caller' ? judgeUnknown : call.id === 'whitelisted-caller' ? judgeWhitelisted : judgeOwner;
          const e = await evidence(records, driver, w, (x) => recordsComplete(call.id, x, facts), options);
          if (e) judged = judge(e, facts);
          else {
            interrupted = true;
            judged = unreadRow(call.id, EXPECTED[call.id as keyof typeof EXPECTED]);
          }
        }
      }
      progress(`  ${judged.verdict}: ${judged.seen}`);
      rows.push(judged);
      if (interrupted) break;
    }
  } finally {
    await restore();
  }
  if (!interrupted) {
    if (!plan.unknownCaller) {
      rows.push(
        row('unknown-caller', EXPECTED['unknown-caller'], 'not tried: every number at hand is on the whitelist or is the owner', 'skip', 'pass a --tester that is not on the whitelist (it is whitelisted temporarily for its own call)'),
      );
    }
    if (!plan.ownerVerified) {
      rows.push(
        row(
          'owner-menu',
          EXPECTED['owner-menu'],
          `not tried: ${plan.ownerCell} is not a verified caller ID on the account, so no call can show it`,
          'skip',
          "verify the owner's cell in the Twilio console (Phone Numbers > Verified Caller IDs), then run the check again",
        ),
      );
    }
    progress('fetching every audio URL the deploy references…');
    const targets = await audioTargets({ domain: facts.domain, assets: status.assets, agentUrl: facts.publicUrl }, driver);
    rows.push(await judgeAudio(targets, driver));
  }
  rows.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  return { rows, interrupted };
}

const hasTrouble = (e: Evidence) => e.alerts.some((a) => a.resourceSid === e.w.inbound?.sid);

/**
 * Whether the records a row is judged on are in (Twilio writes logs and alerts after the fact):
 * the Function's decision, or an alert on the call; for the whitelisted row, a SIP leg that
 * failed is judged on its alert (32009), so that alert is waited for too.
 */
function recordsComplete(id: PathId, e: Evidence, facts: Facts): boolean {
  if (hasTrouble(e)) return true;
  if (id === 'whitelisted-caller') {
    const sip = e.w.legs.find((c) => c.to.startsWith(facts.sipUri));
    if (sip && everSeen(e.w, sip.sid, ['ringing', 'in-progress', 'completed'])) return true;
    if (sip && ['failed', 'busy', 'no-answer'].includes(sip.status)) return e.alerts.some((a) => a.resourceSid === sip.sid) || sip.status !== 'failed';
  }
  return id === 'owner-menu' ? e.decisions.some((d) => d.call === 'owner') : e.decisions.length > 0;
}

const interruptedRow = (id: PathId, expected: string): CheckRow => row(id, expected, 'interrupted: the check hung up this call at once', 'skip', 'run the check again to try this path');
/** Ctrl-C while the row's records were still awaited: not judged on records that may be incomplete. */
const unreadRow = (id: PathId, expected: string): CheckRow =>
  row(id, expected, "interrupted while Twilio's records of the call were awaited: not judged", 'skip', 'run the check again to try this path');

/**
 * The buzzer row: the agent must be up (else not called at all), then the check window is opened
 * for the number the check buzzes from, the call placed and followed, and the window closed again
 * whatever happens.
 */
async function buzzerRow(prepared: PreparedCheck, facts: Facts, call: PlannedCall, options: RunOptions): Promise<{ row: CheckRow; interrupted: boolean }> {
  const { plan, session, records, driver } = prepared;
  const expected = BUZZER_EXPECTED(facts, plan.ringPeople);
  const pre = await buzzerPrecheck(prepared, facts, call);
  if (pre) return { row: pre, interrupted: false };
  const syncService = await findHistoryService(session.client);
  if (!syncService) {
    return { row: row('buzzer-agent', expected, 'no Sync service is deployed: the check window cannot be opened', 'fail', 'run homephone deploy (it creates the Sync service), then the check again'), interrupted: false };
  }
  options.onProgress?.(`opening the check window for ${call.from} (${plan.ringPeople ? 'a real buzz: tenants ring' : 'nobody is rung'})…`);
  let w: Watched;
  let window: CheckWindow | null;
  try {
    await openCheckWindow(session.client, syncService, { tester: call.from, ringPeople: plan.ringPeople });
    w = await place(prepared, call, facts, options);
    window = await readCheckWindow(session.client, syncService);
  } finally {
    await closeCheckWindow(session.client, syncService);
  }
  if (w.endedBy === 'interrupted') return { row: interruptedRow('buzzer-agent', expected), interrupted: true };
  const e = await evidence(records, driver, w, (x) => Boolean(window?.answered.length) || hasTrouble(x), options);
  if (!e) return { row: unreadRow('buzzer-agent', expected), interrupted: true };
  return { row: judgeBuzzer(e, facts, window, plan.ringPeople), interrupted: false };
}

/** Places one path's call and follows it; each path hangs up as soon as its record is made. */
function place(prepared: PreparedCheck, call: PlannedCall, facts: Facts, options: RunOptions): Promise<Watched> {
  const { plan, records, driver } = prepared;
  const progress = options.onProgress ?? (() => {});
  progress(`calling ${call.to} from ${call.from} (${call.id})…`);
  const sipLeg = (w: Watched) => w.legs.find((c) => c.to.startsWith(facts.sipUri));
  const cellLeg = (w: Watched) => w.legs.find((c) => c.to === facts.ownerCell);
  const tenantLegs = (w: Watched) => w.legs.filter((c) => facts.tenants.includes(c.to));
  const rang = (w: Watched, sid: string | undefined) => Boolean(sid && everSeen(w, sid, ['ringing', 'in-progress', 'completed']));
  const stop: Record<string, (w: Watched) => string | null> = {
    // A refused caller ends by itself; a phone rung for an unknown caller is a failure already seen.
    'unknown-caller': (w) => (sipLeg(w) || cellLeg(w) ? 'a phone was rung for the unknown caller' : null),
    // The SIP phone ringing proves the path; a call to the owner's cell is hung up before it rings long.
    'whitelisted-caller': (w) => (rang(w, sipLeg(w)?.sid) ? 'the SIP phone rang' : cellLeg(w) ? "the call moved on to the owner's cell" : null),
    'owner-menu': (w) => (rang(w, sipLeg(w)?.sid) ? 'the home phone rang' : null),
    // Without --ring-people a tenant leg is never let ring; with it, once they ring the point is made.
    'buzzer-agent': (w) =>
      plan.ringPeople ? (tenantLegs(w).some((c) => rang(w, c.sid)) ? 'the tenants rang' : null) : tenantLegs(w).length ? 'a tenant was being called' : null,
  };
  // Once the SIP leg failed, the caller moves on to the owner's cell: read four times a second so
  // that leg is hung up on before it rings (a PSTN leg takes seconds to reach the handset).
  const step = (w: Watched) => (call.id === 'whitelisted-caller' && sipLeg(w) && ['failed', 'busy', 'no-answer'].includes(sipLeg(w)!.status) ? 0.25 : 1);
  return watchCall(records, driver, {
    from: call.from,
    to: call.to,
    seconds: call.seconds,
    step,
    watch: facts.sipUri.length > 5 ? [facts.sipUri] : [],
    stop: stop[call.id]!,
    ...(options.cancelled ? { cancelled: options.cancelled } : {}),
    onProgress: progress,
  });
}

/**
 * The buzzer agent must be up before the buzzer number is called: if it is not, Twilio takes the
 * number's fallback URL, which rings the tenants. Without --ring-people the check refuses that.
 */
async function buzzerPrecheck(prepared: PreparedCheck, facts: Facts, call: PlannedCall): Promise<CheckRow | null> {
  const expected = BUZZER_EXPECTED(facts, prepared.plan.ringPeople);
  if (!facts.publicUrl) return row('buzzer-agent', expected, 'buzzer.publicUrl is not set', 'fail', 'set buzzer.publicUrl (homephone init) and deploy');
  if (prepared.plan.ringPeople) return null;
  const health = new URL('healthz', facts.publicUrl.endsWith('/') ? facts.publicUrl : `${facts.publicUrl}/`).toString();
  const answer = await prepared.driver.fetch(health);
  if (answer.status === 200) return null;
  return row(
    'buzzer-agent',
    expected,
    `the agent's health check ${health} ${answer.status ? `answered ${answer.status}` : `did not answer (${answer.networkError ?? 'no answer'})`}: ${call.to} was not called, since its fallback would ring the tenants`,
    'fail',
    'the agent is down or unreachable at buzzer.publicUrl: start it (homephone agent) and check the URL with homephone doctor (--ring-people calls anyway, and the fallback rings the tenants)',
  );
}

/**
 * Reads what Twilio kept about a call, again for a while when the records trail it (they may, on
 * Twilio); null when Ctrl-C came before they were complete (up to RECORDS_WAIT_SECONDS of waiting).
 */
async function evidence(
  records: Records,
  driver: CheckDriver,
  w: Watched,
  complete: (e: Evidence) => boolean,
  options: RunOptions,
): Promise<Evidence | null> {
  const cancelled = options.cancelled ?? (() => false);
  const sids = new Set([w.caller.sid, w.inbound?.sid, ...w.legs.map((c) => c.sid)].filter(Boolean));
  const read = async (): Promise<Evidence> => {
    const alerts = (await records.alerts(w.since)).filter((a) => sids.has(a.resourceSid));
    const decisions = await records.decisions(w.since);
    const studio = w.inbound ? await records.studioSteps(w.inbound.sid, w.since) : [];
    const rooms = w.inbound ? await records.rooms(`hp-${w.inbound.sid}`) : [];
    return { w, alerts, decisions, studio, rooms };
  };
  let e = await read();
  if (!complete(e)) options.onProgress?.(`  waiting for Twilio's records of the call (up to ${RECORDS_WAIT_SECONDS} s)…`);
  for (let waited = 0; !complete(e) && waited < RECORDS_WAIT_SECONDS; waited += 2) {
    if (cancelled()) return null;
    await driver.pass(2);
    e = await read();
  }
  return e;
}
