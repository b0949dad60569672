// The twin's address scheme: each Twilio product is served under a path prefix named after the
// first label of its host. https://api.twilio.com/2010-04-01/… → TWIN/api/2010-04-01/…,
// https://serverless-upload.twilio.com/v1/… → TWIN/serverless-upload/v1/…

export const SERVERLESS_UPLOAD_BASE = 'https://serverless-upload.twilio.com';

/** Rewrite a Twilio URL (any edge/region form) into the twin's scheme. */
export function toTwinUrl(twilioUrl: string, twinBase: string): string {
  const u = new URL(twilioUrl);
  const product = u.hostname.split('.')[0] ?? '';
  return `${twinBase.replace(/\/+$/, '')}/${product}${u.pathname}${u.search}`;
}

/** Where Serverless uploads go: Twilio's upload host, or its twin equivalent. */
export function serverlessUploadBase(twinUrl: string | undefined): string {
  return twinUrl ? toTwinUrl(SERVERLESS_UPLOAD_BASE, twinUrl).replace(/\/+$/, '') : SERVERLESS_UPLOAD_BASE;
}
