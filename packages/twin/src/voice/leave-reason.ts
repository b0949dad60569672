// Why a participant left its room, as Twilio's participant-leave conference callback says it
// (ParticipantCallStatus and ReasonParticipantLeft, Twilio changelog 2023-10-25; the values are the
// <Conference> page's). Computed when the participant is taken out of the room, which happens
// before its call's own status changes when the removal ends the call.
import { isEnded } from '../model/voice.js';
import type { CallRecord, ConferenceJson, ParticipantRecord } from '../state.js';

export interface LeaveReason {
  ParticipantCallStatus: 'no-answer' | 'busy' | 'in-progress' | 'failed' | 'canceled' | 'completed';
  ReasonParticipantLeft:
    | 'conference_ended_via_api'
    | 'moderator_ended_conference'
    | 'participant_updated_via_api'
    | 'participant_hung_up'
    | 'participant_add_failed';
}

/** `joined`: the participant was really added (connected, its room established for it). */
export function leaveReason(conf: ConferenceJson, p: ParticipantRecord, call: CallRecord | undefined, joined: boolean): LeaveReason {
  const status = call?.json.status ?? 'completed';
  const ended = isEnded(status);
  // A Participants-API call is ended by its removal; a TwiML <Conference> caller goes on.
  const final = ended || p.options.callContinues ? status : status === 'in-progress' ? 'completed' : 'canceled';
  const ParticipantCallStatus = (final === 'queued' || final === 'ringing' ? 'canceled' : final) as LeaveReason['ParticipantCallStatus'];
  let ReasonParticipantLeft: LeaveReason['ReasonParticipantLeft'];
  if (conf.status === 'completed') {
    ReasonParticipantLeft = conf.reason_conference_ended === 'conference-ended-via-api' ? 'conference_ended_via_api' : 'moderator_ended_conference';
  } else if (!joined) ReasonParticipantLeft = 'participant_add_failed';
  else if (ended) ReasonParticipantLeft = 'participant_hung_up';
  else ReasonParticipantLeft = 'participant_updated_via_api';
  return { ParticipantCallStatus, ReasonParticipantLeft };
}
