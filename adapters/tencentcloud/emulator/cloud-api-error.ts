/**
 * A Tencent Cloud business error as the emulator's state model raises it; the HTTP layer turns
 * it into `{"Response":{"Error":{"Code","Message"},"RequestId"}}` with HTTP 200.
 */
export class CloudApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CloudApiError';
    this.code = code;
  }
}

export function isCloudApiError(error: unknown): error is CloudApiError {
  return error instanceof CloudApiError;
}
