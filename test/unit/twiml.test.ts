import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  dialNumber,
  dialSip,
  emptyResponse,
  gatherDigit,
  hangup,
  isE164,
  joinRoom,
  messageReply,
  pauseThenRedirect,
  playLoop,
  ringNumbers,
  roomForCall,
  sanitizeSpokenText,
  say,
  sayAndHangup,
  sayThenRedirect,
  sendDoorDigits,
  validateRoomName,
} from '../../src/twiml/index.js';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const doc = (body: string): string => `${XML_DECL}<Response>${body}</Response>`;
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';

// Parse back exactly what was written: keep whitespace, never coerce "007" or "true" to numbers or
// booleans, and decode character references (xmlbuilder writes CR as &#xD; and, in attributes,
// tab/LF as &#x9;/&#xA;; numeric references need htmlEntities in fast-xml-parser 5).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  ignoreDeclaration: true,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
});

type Node = { '#text'?: string } & Record<string, unknown>;

function parse(xml: string): Record<string, Node> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed XML (${JSON.stringify(valid.err)}): ${xml}`);
  // XMLValidator does not check the Char production (it accepts U+0000 and U+0001 in text and
  // attributes), so check every character of the document separately.
  const illegal = [...xml].find((c) => !isXmlChar(c.codePointAt(0)!));
  if (illegal !== undefined) throw new Error(`XML contains U+${illegal.codePointAt(0)!.toString(16)}: ${JSON.stringify(xml)}`);
  return (parser.parse(xml) as { Response: Record<string, Node> }).Response;
}

describe('golden TwiML', () => {
  it('messageReply: one <Message>, escaped, control characters dropped; no text is an empty <Response/>', () => {
    expect(messageReply('Door: "open" < 15 min & more\u0007')).toBe(doc('<Message>Door: "open" &lt; 15 min &amp; more</Message>'));
    expect(messageReply()).toBe(`${XML_DECL}<Response/>`);
    expect(() => messageReply('\u0001')).toThrow(/reply is empty/);
  });

  it('ringNumbers: one <Dial>, one screened <Number> per tenant', () => {
    expect(
      ringNumbers({
        action: 'https://buzz.example.org/dialed?buzz=1',
        timeout: 30,
        callerId: '+15551239999',
        targets: [
          { number: '+15551110000', screenUrl: '/tenant?t=0', statusCallback: '/status?t=0', statusCallbackEvents: ['ringing', 'completed'] },
          { number: '+15551110001', screenUrl: '/tenant?t=1' },
        ],
      }),
    ).toBe(
      doc(
        '<Dial action="https://buzz.example.org/dialed?buzz=1" callerId="+15551239999" timeout="30">' +
          '<Number url="/tenant?t=0" method="POST" statusCallback="/status?t=0" statusCallbackMethod="POST" statusCallbackEvent="ringing completed">+15551110000</Number>' +
          '<Number url="/tenant?t=1" method="POST">+15551110001</Number></Dial>',
      ),
    );
  });

  it('joinRoom with <Dial hangupOnStar timeLimit action>: the talking tenant', () => {
    expect(joinRoom({ room: 'bz-1', beep: false, dial: { action: '/tenant/star', hangupOnStar: true, timeLimit: 300 } })).toBe(
      doc('<Dial action="/tenant/star" hangupOnStar="true" timeLimit="300"><Conference beep="false">bz-1</Conference></Dial>'),
    );
  });

  it('pauseThenRedirect and sendDoorDigits with thenRedirect: hold, and the door that reports back', () => {
    expect(pauseThenRedirect({ message: 'Please hold.', seconds: 1, url: '/visitor/after?hold=1' })).toBe(
      doc('<Say>Please hold.</Say><Pause length="1"/><Redirect method="POST">/visitor/after?hold=1</Redirect>'),
    );
    expect(sendDoorDigits({ digits: '9', thenRedirect: '/door-done' })).toBe(doc('<Play digits="ww9"/><Redirect method="POST">/door-done</Redirect>'));
  });

  it('joinRoom: the buzzer visitor leg', () => {
    expect(
      joinRoom({
        room: roomForCall('bz', CALL_SID),
        waitUrl: 'https://home-1234.twil.io/ring.xml',
        waitMethod: 'GET',
        startConferenceOnEnter: false,
        endConferenceOnExit: true,
        beep: false,
        statusCallback: 'https://agent.example.org/buzz/room-events',
        statusCallbackEvents: ['start', 'end', 'join', 'leave'],
      }),
    ).toBe(
      doc(
        '<Dial><Conference waitUrl="https://home-1234.twil.io/ring.xml" waitMethod="GET" startConferenceOnEnter="false" ' +
          'endConferenceOnExit="true" beep="false" statusCallback="https://agent.example.org/buzz/room-events" ' +
          `statusCallbackEvent="start end join leave">bz-${CALL_SID}</Conference></Dial>`,
      ),
    );
  });

  it('joinRoom: a bare room, silent wait, monitoring and coaching flags', () => {
    expect(joinRoom({ room: `hp-${CALL_SID}` })).toBe(doc(`<Dial><Conference>hp-${CALL_SID}</Conference></Dial>`));
    expect(joinRoom({ room: 'r', waitUrl: '', muted: true, beep: 'onEnter' })).toBe(
      doc('<Dial><Conference waitUrl="" muted="true" beep="onEnter">r</Conference></Dial>'),
    );
    expect(
      joinRoom({
        room: 'r',
        coach: CALL_SID,
        record: true,
        recordingStatusCallback: '/recorded',
        participantLabel: 'owner',
        statusCallback: '/events',
        statusCallbackMethod: 'GET',
      }),
    ).toBe(
      doc(
        `<Dial><Conference statusCallback="/events" statusCallbackMethod="GET" coach="${CALL_SID}" record="record-from-start" ` +
          'recordingStatusCallback="/recorded" participantLabel="owner">r</Conference></Dial>',
      ),
    );
    expect(joinRoom({ room: 'r', record: false, beep: true })).toBe(
      doc('<Dial><Conference beep="true" record="do-not-record">r</Conference></Dial>'),
    );
  });

  it('say / sayAndHangup / sayThenRedirect', () => {
    expect(say({ message: 'Hello' })).toBe(doc('<Say>Hello</Say>'));
    expect(sayAndHangup({ message: 'Sorry, this number does not take calls.', voice: 'Polly.Joanna', language: 'en-US' })).toBe(
      doc('<Say voice="Polly.Joanna" language="en-US">Sorry, this number does not take calls.</Say><Hangup/>'),
    );
    expect(sayThenRedirect({ message: 'One moment.', url: '/owner/menu', method: 'POST' })).toBe(
      doc('<Say>One moment.</Say><Redirect method="POST">/owner/menu</Redirect>'),
    );
    expect(sayThenRedirect({ message: 'One moment.', url: 'https://x.example/a?b=1&c=2' })).toBe(
      doc('<Say>One moment.</Say><Redirect>https://x.example/a?b=1&amp;c=2</Redirect>'),
    );
  });

  it('escapes markup in spoken text', () => {
    expect(say({ message: `Tom & Jerry <3 "quotes" 'apos' ]]> done` })).toBe(
      doc(`<Say>Tom &amp; Jerry &lt;3 "quotes" 'apos' ]]&gt; done</Say>`),
    );
  });

  it('hangup / emptyResponse', () => {
    expect(hangup()).toBe(doc('<Hangup/>'));
    expect(emptyResponse()).toBe(`${XML_DECL}<Response/>`);
  });

  it('dialNumber', () => {
    expect(
      dialNumber({
        number: '+15551234567',
        callerId: '+15557654321',
        timeout: 20,
        action: '/dial-done?leg=out&x=1',
        answerOnBridge: true,
        screenUrl: 'https://home-1234.twil.io/screen',
      }),
    ).toBe(
      doc(
        '<Dial action="/dial-done?leg=out&amp;x=1" answerOnBridge="true" callerId="+15557654321" timeout="20">' +
          '<Number url="https://home-1234.twil.io/screen">+15551234567</Number></Dial>',
      ),
    );
    expect(dialNumber({ number: '911' })).toBe(doc('<Dial><Number>911</Number></Dial>'));
    expect(dialNumber({ number: '112', callerId: '+4930123456' })).toBe(
      doc('<Dial callerId="+4930123456"><Number>112</Number></Dial>'),
    );
  });

  it('dialSip', () => {
    expect(
      dialSip({ uri: 'sip:home@family.sip.twilio.com', callerId: '+15551234567', timeout: 25, action: '/sip-status' }),
    ).toBe(
      doc('<Dial action="/sip-status" callerId="+15551234567" timeout="25"><Sip>sip:home@family.sip.twilio.com</Sip></Dial>'),
    );
    expect(dialSip({ uri: 'sip:home@family.sip.twilio.com;transport=tls' })).toBe(
      doc('<Dial><Sip>sip:home@family.sip.twilio.com;transport=tls</Sip></Dial>'),
    );
  });

  it('gatherDigit: defaults hang up when nobody presses a key', () => {
    expect(gatherDigit({ prompt: 'Someone is at the front door. Press 1 to talk, press 9 to open the door.', action: '/buzz/answer' })).toBe(
      doc(
        '<Gather numDigits="1" action="/buzz/answer"><Say>Someone is at the front door. Press 1 to talk, press 9 to open the door.</Say></Gather>' +
          '<Hangup/>',
      ),
    );
  });

  it('gatherDigit: all options', () => {
    expect(
      gatherDigit({
        prompt: 'Press 1 to join, 8 to listen.',
        action: 'https://home-1234.twil.io/owner-choice',
        method: 'POST',
        timeout: 6,
        numDigits: 1,
        finishOnKey: '',
        repeat: 2,
        voice: 'alice',
        onNoInput: { message: 'No choice made.', redirectUrl: '/owner/direct', redirectMethod: 'GET' },
      }),
    ).toBe(
      doc(
        '<Gather numDigits="1" action="https://home-1234.twil.io/owner-choice" method="POST" timeout="6" finishOnKey="">' +
          '<Say voice="alice">Press 1 to join, 8 to listen.</Say></Gather>' +
          '<Gather numDigits="1" action="https://home-1234.twil.io/owner-choice" method="POST" timeout="6" finishOnKey="">' +
          '<Say voice="alice">Press 1 to join, 8 to listen.</Say></Gather>' +
          '<Say voice="alice">No choice made.</Say><Redirect method="GET">/owner/direct</Redirect>',
      ),
    );
    expect(gatherDigit({ prompt: 'Code?', action: '/code', numDigits: 8, finishOnKey: '#', onNoInput: { message: 'Goodbye.' } })).toBe(
      doc('<Gather numDigits="8" action="/code" finishOnKey="#"><Say>Code?</Say></Gather><Say>Goodbye.</Say><Hangup/>'),
    );
  });

  it('sendDoorDigits', () => {
    expect(sendDoorDigits({ digits: '9' })).toBe(doc('<Play digits="ww9"/>'));
    expect(sendDoorDigits({ digits: '9w9', leadingWaits: 0 })).toBe(doc('<Play digits="9w9"/>'));
    expect(sendDoorDigits({ digits: '*9#', leadingWaits: 4, message: 'The door is open.', hangup: true })).toBe(
      doc('<Play digits="wwww*9#"/><Say>The door is open.</Say><Hangup/>'),
    );
    expect(sendDoorDigits({ digits: '9', hangup: true })).toBe(doc('<Play digits="ww9"/><Hangup/>'));
  });

  it('playLoop', () => {
    expect(playLoop({ url: 'https://home-1234.twil.io/ringback.mp3', loop: 0 })).toBe(
      doc('<Play loop="0">https://home-1234.twil.io/ringback.mp3</Play>'),
    );
    expect(playLoop({ url: '/ringback.mp3', loop: 3 })).toBe(doc('<Play loop="3">/ringback.mp3</Play>'));
  });
});

describe('invalid input throws a descriptive Error', () => {
  it.each([
    ['no numbers to ring', () => ringNumbers({ targets: [] }), /1 to 10 numbers/],
    ['eleven numbers to ring', () => ringNumbers({ targets: Array.from({ length: 11 }, () => ({ number: '+15551110000', screenUrl: '/s' })) }), /1 to 10 numbers/],
    ['a number that is not E.164', () => ringNumbers({ targets: [{ number: '555-0100', screenUrl: '/s' }] }), /E\.164/],
    ['a screen URL with spaces', () => ringNumbers({ targets: [{ number: '+15551110000', screenUrl: '/s creen' }] }), /without spaces/],
    ['timeLimit 0', () => joinRoom({ room: 'r', dial: { timeLimit: 0 } }), /timeLimit/],
    ['non-boolean hangupOnStar', () => joinRoom({ room: 'r', dial: { hangupOnStar: 'yes' as unknown as boolean } }), /hangupOnStar must be true or false/],
    ['a pause of 0 s', () => pauseThenRedirect({ seconds: 0, url: '/x' }), /pause/],
    ['empty room', () => joinRoom({ room: '' }), /room name is empty/],
    ['long room', () => joinRoom({ room: 'x'.repeat(129) }), /longer than 128/],
    ['control char in room', () => joinRoom({ room: 'hp-\u0007' }), /control character/],
    ['C1 control in room', () => joinRoom({ room: 'hp-\u0085' }), /control character/],
    ['lone surrogate in room', () => joinRoom({ room: 'hp-\uD800' }), /control character/],
    ['padded room', () => joinRoom({ room: ' hp-1' }), /leading or trailing spaces/],
    ['bad waitUrl scheme', () => joinRoom({ room: 'r', waitUrl: 'javascript:alert(1)' }), /http\(s\) URL/],
    ['waitUrl with spaces', () => joinRoom({ room: 'r', waitUrl: '/ring me.xml' }), /without spaces/],
    ['waitUrl with a newline', () => joinRoom({ room: 'r', waitUrl: '/ring\n.xml' }), /control character/],
    ['bad waitMethod', () => joinRoom({ room: 'r', waitMethod: 'PUT' as 'GET' }), /"GET" or "POST"/],
    ['events without callback', () => joinRoom({ room: 'r', statusCallbackEvents: ['start'] }), /need a statusCallback/],
    ['unknown event', () => joinRoom({ room: 'r', statusCallback: '/e', statusCallbackEvents: ['ring' as 'start'] }), /statusCallbackEvents/],
    ['no events', () => joinRoom({ room: 'r', statusCallback: '/e', statusCallbackEvents: [] }), /non-empty/],
    ['bad coach', () => joinRoom({ room: 'r', coach: 'CA123' }), /call SID/],
    ['bad beep', () => joinRoom({ room: 'r', beep: 'yes' as 'onEnter' }), /beep must be/],
    ['non-boolean muted', () => joinRoom({ room: 'r', muted: 'true' as unknown as boolean }), /muted must be true or false/],
    ['empty label', () => joinRoom({ room: 'r', participantLabel: '' }), /participantLabel/],
    ['roomForCall bad sid', () => roomForCall('hp', 'CA-nope'), /32 hex digits/],
    ['roomForCall bad prefix', () => roomForCall('xx' as 'hp', CALL_SID), /"hp" or "bz"/],
    ['empty message', () => say({ message: '' }), /message is empty/],
    ['blank message', () => sayAndHangup({ message: ' \n\t' }), /message is empty/],
    ['only illegal characters', () => sayAndHangup({ message: '\u0000\uFFFF\uD800' }), /message is empty/],
    ['bad voice', () => say({ message: 'x', voice: 'Polly Joanna' }), /voice "Polly Joanna"/],
    ['bad language', () => say({ message: 'x', language: 'en"US' }), /language/],
    ['redirect to ftp', () => sayThenRedirect({ message: 'x', url: 'ftp://x/y' }), /http\(s\) URL/],
    ['empty redirect', () => sayThenRedirect({ message: 'x', url: '' }), /without spaces/],
    ['number not E.164', () => dialNumber({ number: '5551234567' }), /not an E\.164 number/],
    ['number with +0', () => dialNumber({ number: '+05551234567' }), /not an E\.164 number/],
    ['number too long', () => dialNumber({ number: '+1234567890123456' }), /not an E\.164 number/],
    ['short code too long', () => dialNumber({ number: '1234567' }), /emergency short code/],
    ['single digit', () => dialNumber({ number: '9' }), /emergency short code/],
    ['callerId short code', () => dialNumber({ number: '911', callerId: '911' }), /callerId "911"/],
    ['timeout too short', () => dialNumber({ number: '+15551234567', timeout: 2 }), /from 5 to 600/],
    ['timeout fractional', () => dialNumber({ number: '+15551234567', timeout: 10.5 }), /whole number/],
    ['screenUrl relative with space', () => dialNumber({ number: '+15551234567', screenUrl: '/a b' }), /screenUrl/],
    ['sip without scheme', () => dialSip({ uri: 'home@family.sip.twilio.com' }), /sip:user@domain/],
    ['sips scheme', () => dialSip({ uri: 'sips:home@family.sip.twilio.com' }), /sip:user@domain/],
    ['sip without user', () => dialSip({ uri: 'sip:family.sip.twilio.com' }), /sip:user@domain/],
    ['sip with a space', () => dialSip({ uri: 'sip:home @x' }), /sip:user@domain/],
    ['sip bad callerId', () => dialSip({ uri: 'sip:a@b', callerId: 'home' }), /callerId/],
    ['gather without action', () => gatherDigit({ prompt: 'p', action: '' }), /action/],
    ['gather bad finishOnKey', () => gatherDigit({ prompt: 'p', action: '/a', finishOnKey: '##' }), /finishOnKey/],
    ['gather numDigits 0', () => gatherDigit({ prompt: 'p', action: '/a', numDigits: 0 }), /numDigits/],
    ['gather repeat 0', () => gatherDigit({ prompt: 'p', action: '/a', repeat: 0 }), /repeat/],
    ['gather timeout 0', () => gatherDigit({ prompt: 'p', action: '/a', timeout: 0 }), /gather timeout/],
    ['gather empty prompt', () => gatherDigit({ prompt: '', action: '/a' }), /prompt is empty/],
    ['gather empty no-input message', () => gatherDigit({ prompt: 'p', action: '/a', onNoInput: { message: '' } }), /no-input message is empty/],
    ['door digits letters', () => sendDoorDigits({ digits: '9a' }), /door digits/],
    ['door digits only waits', () => sendDoorDigits({ digits: 'ww' }), /at least one key/],
    ['door digits empty', () => sendDoorDigits({ digits: '' }), /door digits/],
    ['door digits negative waits', () => sendDoorDigits({ digits: '9', leadingWaits: -1 }), /leadingWaits/],
    ['door message empty', () => sendDoorDigits({ digits: '9', message: ' ' }), /message is empty/],
    ['loop too big', () => playLoop({ url: '/r.mp3', loop: 1001 }), /loop/],
    ['loop negative', () => playLoop({ url: '/r.mp3', loop: -1 }), /loop/],
    ['play bad url', () => playLoop({ url: 'data:audio/mp3;base64,AAAA', loop: 0 }), /http\(s\) URL/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('helpers', () => {
  it('isE164', () => {
    expect(isE164('+15551234567')).toBe(true);
    expect(isE164('+123456789012345')).toBe(true);
    expect(isE164('+1234567890123456')).toBe(false);
    expect(isE164('15551234567')).toBe(false);
    expect(isE164('+1')).toBe(false);
  });

  it('validateRoomName accepts the longest allowed name, counted in characters', () => {
    expect(validateRoomName('😀'.repeat(128))).toBe('😀'.repeat(128));
    expect(() => validateRoomName('😀'.repeat(129))).toThrow(/longer than 128/);
  });

  it('sanitizeSpokenText keeps tab/LF/CR and paired surrogates, drops what XML 1.0 cannot carry', () => {
    expect(sanitizeSpokenText('a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\tg\nh\ri\uFFFEj\uFFFFk\uD800l\uDC00m😀n\uDE00\uD83D')).toBe(
      'abcdef\tg\nh\rijklm😀n',
    );
    expect(sanitizeSpokenText('\u0085\u2028\uFDD0 kept')).toBe('\u0085\u2028\uFDD0 kept');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: arbitrary names and messages always give well-formed XML that reads back verbatim
// (after sanitising).

/** XML 1.0 Char production, written independently of the implementation. */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function referenceSanitize(text: string): string {
  // for..of walks code points and yields an unpaired surrogate on its own (0xD800-0xDFFF: not a Char).
  return [...text].filter((c) => isXmlChar(c.codePointAt(0)!)).join('');
}

const trickyUnit = fc.constantFrom(
  '<', '>', '&', '"', "'", ']]>', '&amp;', '&#x41;', '&lt;', '&copy;', '<!--', '<![CDATA[', '<Say>',
  '\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\u007F', '\u0085', '\t', '\n', '\r', '\r\n',
  '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '😀', '👩‍👩‍👧', 'é', 'e\u0301', '\u2028',
  ' ', '  ', 'a', 'Z', '0', '007', 'true', '__proto__', 'constructor',
);
const textArb = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  // Any UTF-16 code unit, so unpaired surrogates appear too.
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.string({ unit: trickyUnit, maxLength: 20 }),
);

function sayText(node: unknown): string {
  return (node as Node)['#text'] ?? '';
}

describe('TwiML properties', () => {
  it('sanitizeSpokenText matches the XML 1.0 Char production', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(sanitizeSpokenText(text)).toBe(referenceSanitize(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('any message is spoken verbatim after sanitising, or rejected as empty', () => {
    fc.assert(
      fc.property(textArb, (message) => {
        const clean = referenceSanitize(message);
        if (clean.trim() === '') {
          expect(() => sayAndHangup({ message })).toThrow(/message is empty/);
          return;
        }
        const response = parse(sayAndHangup({ message, voice: 'Polly.Joanna' }));
        expect(sayText(response.Say)).toBe(clean);
        expect((response.Say as Node)['@_voice']).toBe('Polly.Joanna');
        expect(response).toHaveProperty('Hangup');
      }),
      { numRuns: 1000 },
    );
  });

  it('any person name survives inside a prompt and a door message', () => {
    fc.assert(
      fc.property(textArb, (person) => {
        const prompt = `Call from ${person}. Press 1 to accept.`;
        const gather = parse(gatherDigit({ prompt, action: '/screen?x=1&y=2' }));
        expect(sayText((gather.Gather as Node).Say)).toBe(referenceSanitize(prompt));
        expect((gather.Gather as Node)['@_action']).toBe('/screen?x=1&y=2');

        const door = parse(sendDoorDigits({ digits: '9', message: `Opened for ${person}.`, hangup: true }));
        expect(sayText(door.Say)).toBe(referenceSanitize(`Opened for ${person}.`));
        expect((door.Play as Node)['@_digits']).toBe('ww9');
      }),
      { numRuns: 500 },
    );
  });

  it('any room name or participant label is either rejected or written verbatim into well-formed XML', () => {
    const conferenceOf = (build: () => string): Node | undefined => {
      let xml: string;
      try {
        xml = build();
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        return undefined;
      }
      return (parse(xml).Dial as Node).Conference as Node;
    };
    fc.assert(
      fc.property(textArb, (name) => {
        const asRoom = conferenceOf(() => joinRoom({ room: name }));
        if (asRoom) expect(sayText(asRoom)).toBe(name);
        const asLabel = conferenceOf(() => joinRoom({ room: 'r', participantLabel: name }));
        if (asLabel) expect(asLabel['@_participantLabel']).toBe(name);
      }),
      { numRuns: 1000 },
    );
  });

  it('any URL-ish input is either rejected or written verbatim into an attribute', () => {
    const urlArb = fc.oneof(
      textArb.map((s) => `/path/${s}`),
      textArb.map((s) => `https://example.org/${s}`),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
    );
    fc.assert(
      fc.property(urlArb, (url) => {
        let xml: string;
        try {
          xml = joinRoom({ room: 'r', waitUrl: url, statusCallback: url });
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          return;
        }
        const conference = (parse(xml).Dial as Node).Conference as Node;
        expect(conference['@_waitUrl']).toBe(url);
        expect(conference['@_statusCallback']).toBe(url);
      }),
      { numRuns: 1000 },
    );
  });
});
