/**
 * Room past `fieldSize` for what the guard cannot tell apart from a field's value: part headers,
 * and what sits in stream buffers between the socket and the parser (well under 1 MiB).
 */
export const FIELD_GUARD_SLACK_BYTES = 1024 * 1024;

/**
 * The parser says a text field was too long only when the field's part ends, so a field that
 * never ends would be read to the end of the body (and that may never come). The bytes that
 * reached the parser and did not go to a file since the last part began bound the current
 * field from above; past `fieldSize` plus the slack, the field is too long whatever comes next.
 */
export class FieldGuard {
  private bytesIn = 0;
  private otherBytesAtPartStart = 0;

  constructor(
    private readonly fieldSize: number,
    /** Bytes the parser has handed to file parts so far. */
    private readonly fileBytes: () => number,
  ) {}

  partStarted(): void {
    this.otherBytesAtPartStart = this.bytesIn - this.fileBytes();
  }

  /** Counts `length` more bytes of body; true once the current part can only be an over-long field. */
  overLimit(length: number): boolean {
    this.bytesIn += length;
    const sinceCurrentPart = this.bytesIn - this.fileBytes() - this.otherBytesAtPartStart;
    return sinceCurrentPart > this.fieldSize + FIELD_GUARD_SLACK_BYTES;
  }
}
