// studio.twilio.com/v2: flows (each save is a revision), revisions, and Validate.
import { iso8601 } from '../clock.js';
import { missing, notFound, TwinError } from '../errors.js';
import { pageV1 } from '../paging.js';
import type { Params } from '../params.js';
import type { RestRequest, RestResponse, Router } from '../router.js';
import { newSid, SidPrefix } from '../sids.js';
import type { FlowRecord, FlowRevision, TwinState } from '../state.js';
import { validateFlowDefinition, type FlowIssue } from '../studio-validate.js';
import { created, noContent, ok } from './respond.js';

const STUDIO = 'https://studio.twilio.com/v2';
const STATUSES = ['draft', 'published'] as const;

/** Twilio's 81022 "Flow definition validation failed", with the failures in details. */
function invalidDefinition(errors: FlowIssue[], warnings: FlowIssue[] = []): TwinError {
  return new TwinError(400, 81022, 'Flow definition validation failed', { errors, warnings });
}

/** Parse and check a Definition parameter; throws Studio's error when it is not valid. */
function checkedDefinition(form: Params): { definition: unknown; warnings: FlowIssue[] } {
  const raw = form.get('Definition');
  if (raw === undefined || raw === '') throw missing('Definition');
  let definition: unknown;
  try {
    definition = JSON.parse(raw);
  } catch {
    throw invalidDefinition([{ message: 'Definition is not valid JSON', property_path: '#' }]);
  }
  const { errors, warnings } = validateFlowDefinition(definition);
  if (errors.length) throw invalidDefinition(errors, warnings);
  return { definition, warnings };
}

export function registerStudio(router: Router, state: TwinState): void {
  const add = (m: 'GET' | 'POST' | 'DELETE', pattern: string, h: (req: RestRequest) => RestResponse) =>
    router.add('studio', m, pattern, h);
  const now = () => iso8601(state.now());

  const flow = (req: RestRequest): FlowRecord => {
    const f = state.flows.get(req.params.Sid ?? '');
    if (!f) throw notFound(req.path);
    return f;
  };
  const save = (f: FlowRecord, rev: Omit<FlowRevision, 'revision'>) => {
    const revision: FlowRevision = { ...rev, revision: f.revisions.length + 1 };
    f.revisions.push(revision);
    Object.assign(f.json, {
      friendly_name: revision.friendly_name,
      definition: revision.definition,
      status: revision.status,
      revision: revision.revision,
      commit_message: revision.commit_message,
    });
    state.events.emit('flow.saved', f);
  };
  const listView = (f: FlowRecord) => ({ ...f.json, definition: null, valid: null, errors: null, warnings: null });
  const revisionView = (f: FlowRecord, r: FlowRevision, full: boolean) => ({
    sid: f.json.sid,
    account_sid: state.accountSid,
    friendly_name: r.friendly_name,
    definition: full ? r.definition : null,
    status: r.status,
    revision: r.revision,
    commit_message: r.commit_message,
    valid: full ? true : null,
    errors: full ? [] : null,
    date_created: r.date_created,
    date_updated: r.date_updated,
    url: `${STUDIO}/Flows/${f.json.sid}/Revisions/${r.revision}`,
  });

  add('POST', '/v2/Flows', (req) => {
    const form = req.form;
    const friendly = form.required('FriendlyName');
    const status = form.oneOf('Status', STATUSES);
    if (!status) throw missing('Status');
    const { definition, warnings } = checkedDefinition(form);
    const sid = newSid(SidPrefix.flow);
    const url = `${STUDIO}/Flows/${sid}`;
    const f: FlowRecord = {
      json: {
        sid,
        account_sid: state.accountSid,
        friendly_name: friendly,
        definition,
        status,
        revision: 0,
        commit_message: null,
        valid: true,
        errors: [],
        warnings,
        date_created: now(),
        date_updated: null,
        webhook_url: `https://webhooks.twilio.com/v1/Accounts/${state.accountSid}/Flows/${sid}`,
        url,
        links: { test_users: `${url}/TestUsers`, revisions: `${url}/Revisions`, executions: `${url}/Executions` },
      },
      revisions: [],
      executions: new Map(),
    };
    save(f, {
      friendly_name: friendly,
      status,
      definition,
      commit_message: form.get('CommitMessage') ?? null,
      date_created: f.json.date_created as string,
      date_updated: null,
    });
    state.flows.set(sid, f);
    return created(f.json);
  });
  add('GET', '/v2/Flows', (req) => ok(pageV1(req, 'flows', [...state.flows.values()].map(listView))));
  add('GET', '/v2/Flows/{Sid}', (req) => ok(flow(req).json));
  add('POST', '/v2/Flows/{Sid}', (req) => {
    const f = flow(req);
    const form = req.form;
    const status = form.oneOf('Status', STATUSES);
    if (!status) throw missing('Status');
    let definition = f.json.definition;
    let warnings = f.json.warnings;
    if (form.has('Definition')) ({ definition, warnings } = checkedDefinition(form));
    const friendly = form.get('FriendlyName') || f.json.friendly_name;
    const stamp = now();
    save(f, {
      friendly_name: friendly,
      status,
      definition,
      commit_message: form.get('CommitMessage') ?? null,
      date_created: stamp,
      date_updated: null,
    });
    f.json.warnings = warnings;
    f.json.date_updated = stamp;
    return ok(f.json);
  });
  add('DELETE', '/v2/Flows/{Sid}', (req) => {
    state.flows.delete(flow(req).json.sid);
    return noContent();
  });
  add('GET', '/v2/Flows/{Sid}/Revisions', (req) => {
    const f = flow(req);
    return ok(pageV1(req, 'revisions', [...f.revisions].reverse().map((r) => revisionView(f, r, false))));
  });
  add('GET', '/v2/Flows/{Sid}/Revisions/{Revision}', (req) => {
    const f = flow(req);
    const which = req.params.Revision ?? '';
    let r: FlowRevision | undefined;
    if (which === 'LatestRevision') r = f.revisions.at(-1);
    else if (which === 'LatestPublished') r = [...f.revisions].reverse().find((x) => x.status === 'published');
    else if (/^\d+$/.test(which)) r = f.revisions[Number(which) - 1];
    else throw new TwinError(400, 81021, `Invalid revision: ${which}`);
    if (!r) throw notFound(req.path);
    return ok(revisionView(f, r, true));
  });
  add('POST', '/v2/Flows/Validate', (req) => {
    const form = req.form;
    form.required('FriendlyName');
    const status = form.oneOf('Status', STATUSES);
    if (!status) throw missing('Status');
    checkedDefinition(form);
    return ok({ valid: true });
  });
}

