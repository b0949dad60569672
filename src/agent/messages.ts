// What callers hear and the bounds of a buzz, in one place (the buzz handlers and the door use them).
export const MESSAGES = {
  rejected: 'Sorry, this number only takes calls from the front door. Goodbye.',
  /** A check buzz (homephone check): nobody is rung. */
  checkGreeting: 'This is the homephone check. The buzzer answers. Nobody is being rung.',
  tenantPrompt: 'Someone is at the front door. Press 1 to talk, press 9 to open the door. While you talk, press star, then 9, to open the door.',
  tenantRepeat: 'Press 1 to talk to the visitor, or 9 to open the door.',
  starMenu: 'Press 9 to open the door, or 1 to go back to the visitor.',
  opening: 'Opening the door.',
  doorOpenedTenant: 'The door is open. Goodbye.',
  doorVisitorGoneTenant: 'Sorry, the visitor hung up before the door could be opened. Goodbye.',
  doorFailedTenant: 'Sorry, the door could not be opened. Everyone is being rung again, and you will all get a text. Goodbye.',
  doorOpenedVisitor: 'The door is open. Please come in.',
  visitorGoneTenant: 'The visitor has hung up. Goodbye.',
  talkerGoneVisitor: 'The person who answered has hung up. Please buzz again if you need to. Goodbye.',
  holdVisitor: 'Please hold.',
  holdTooLongVisitor: 'Sorry, nobody could let you in. Please try again later. Goodbye.',
  missedVisitor: 'Nobody is answering. Please try again later. Goodbye.',
  stoppingVisitor: 'Sorry, the door system is restarting. Please buzz again in a minute. Goodbye.',
  entryPrompt: 'Enter your entry code, then press pound. Or stay on the line to ring the apartment.',
  entryWrong: 'That code is not right.',
  over: {
    talking: 'Someone else has answered. Goodbye.',
    opened: 'The door has already been opened. Goodbye.',
    missed: 'The visitor could not wait. Goodbye.',
    gone: 'The visitor has hung up. Goodbye.',
    unknown: 'This buzz is over. Goodbye.',
  },
} as const;

/** Wrong entry codes before the tenants are rung instead. */
export const MAX_CODE_TRIES = 3;
/** Seconds a talk in the room may last: bounds the visitor's stay whatever else fails. */
export const MAX_TALK = 300;
/** One-second holds the visitor may sit through while the tenant is at the star menu. */
export const MAX_HOLDS = 90;
/** Seconds a buzz may keep the visitor's call at all, talks included: the last bound. */
export const MAX_BUZZ = 900;
/** Seconds the tenant waits for the door to be confirmed before being told it failed. */
export const DOOR_CONFIRM_WAIT = 12;
