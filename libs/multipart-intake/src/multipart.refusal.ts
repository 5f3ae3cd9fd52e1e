/**
 * Why a multipart body was refused. The intake knows no wire format: each app turns a kind into its
 * own error (a Feishu error, an HTTP exception) in one mapper, so both keep the answers they give.
 */
export type RefusalKind =
  /** The Content-Type is not multipart/form-data. */
  | 'not-multipart'
  /** multipart/form-data without a boundary the parser can use. */
  | 'no-boundary'
  /** A file part went past `limits.fileSize` (facts: field, filename, limit). */
  | 'file-too-large'
  /** One file part more than `limits.files` (facts: limit). */
  | 'too-many-files'
  /** One part more than `limits.parts` (facts: limit). */
  | 'too-many-parts'
  /** One text field more than `limits.fields` (facts: limit). */
  | 'too-many-fields'
  /**
   * A text field went past `limits.fieldSize` (facts: limit; field when the field ended, none when
   * it was cut while still arriving).
   */
  | 'field-too-long'
  /** A part without a name in its Content-Disposition. */
  | 'field-name-missing'
  /** A file part under a name other than `fileField` (facts: field, filename). */
  | 'unexpected-file-field'
  /** The parser could not read a part's header. */
  | 'malformed-header'
  /** The parser failed for another reason. */
  | 'malformed'
  /** The body ended before its closing boundary. */
  | 'ended-early'
  /** No byte of body for `idleBodyTimeoutMs` (facts: limit, the timeout in ms). */
  | 'stalled'
  /** The caller closed the connection before the body ended. */
  | 'caller-gone';

/** What a refusal is about; only the facts its kind names are set. */
export interface RefusalFacts {
  /** The part's name, decoded. */
  field?: string;
  /** The part's filename, decoded. */
  filename?: string;
  /** The limit that was crossed (bytes, a count, or milliseconds for `stalled`). */
  limit?: number;
}

const NAME = 'MultipartRefusal';

/**
 * A body the intake refused. Its message is for logs, never for the wire: it quotes what the
 * client sent.
 */
export class MultipartRefusal extends Error {
  override readonly name = NAME;
  readonly field?: string;
  readonly filename?: string;
  readonly limit?: number;

  constructor(
    readonly kind: RefusalKind,
    facts: RefusalFacts = {},
  ) {
    const said = Object.entries(facts)
      .filter(([, value]) => value !== undefined)
      .map(([fact, value]) => `${fact} ${JSON.stringify(value)}`);
    super(`multipart body refused: ${kind}${said.length ? ` (${said.join(', ')})` : ''}`);
    Object.assign(this, facts);
  }
}

/**
 * Whether `error` is a refusal: by class, or by name and kind, so that a refusal from another copy
 * of this package (its CommonJS build beside its ES module build) counts too.
 */
export function isMultipartRefusal(error: unknown): error is MultipartRefusal {
  return (
    error instanceof MultipartRefusal ||
    (error instanceof Error && error.name === NAME && typeof (error as { kind?: unknown }).kind === 'string')
  );
}
