// Twilio's error bodies: { code, message, more_info, status } (+ details for Studio validation).

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  details?: unknown;
}

export class TwinError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TwinError';
  }

  body(): TwilioErrorBody {
    const body: TwilioErrorBody = {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function notFound(path: string): TwinError {
  return new TwinError(404, 20404, `The requested resource ${path} was not found`);
}

/** A bad parameter on a v1/v2 API (Twilio answers 400 with code 20001). */
export function invalid(message: string): TwinError {
  return new TwinError(400, 20001, message);
}

export function missing(param: string): TwinError {
  return invalid(`Missing required parameter ${param} in the post body`);
}

/** A uniqueness rule was broken (409, 20409). */
export function conflict(message: string): TwinError {
  return new TwinError(409, 20409, message);
}

export function unauthenticated(): TwinError {
  return new TwinError(401, 20003, 'Authenticate');
}
