/** Stable codes for everything a use case can refuse. Each surface (HTTP, CLI) translates them once. */
export type DulyErrorCode =
  | 'invalid_input'
  | 'invalid_config'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'unavailable';

export interface ErrorPlace {
  file?: string;
  line?: number;
  field?: string;
}

/** The one error family of Duly's use cases: a code, a message that says what to fix, and where. */
export class DulyError extends Error {
  readonly code: DulyErrorCode;
  readonly place: ErrorPlace;
  readonly details: unknown;

  constructor(code: DulyErrorCode, message: string, place: ErrorPlace = {}, details?: unknown) {
    super(message);
    this.name = 'DulyError';
    this.code = code;
    this.place = place;
    this.details = details;
  }

  /** `FILE:LINE: field: message`, leaving out the parts that are unknown. */
  override toString(): string {
    const { file, line, field } = this.place;
    const where = [file && (line ? `${file}:${line}` : file), field].filter(Boolean).join(': ');
    // Messages that list several problems already start each line with its place.
    if (!where || this.message.startsWith(`${where}:`)) return this.message;
    return `${where}: ${this.message}`;
  }
}

export const isDulyError = (error: unknown): error is DulyError => error instanceof DulyError;
