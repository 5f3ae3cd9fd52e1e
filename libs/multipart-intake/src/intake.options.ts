import type { Readable } from 'node:stream';

/** Each limit means "at most": the part (or byte) that goes past it is refused. */
export interface IntakeLimits {
  /** File parts per body. */
  files: number;
  /** Bytes per file part. */
  fileSize: number;
  /** Text fields per body. */
  fields: number;
  /** Parts of any kind per body. */
  parts: number;
  /** Bytes per text field. */
  fieldSize: number;
}

/** A part's header as `isFile` sees it; names are decoded (%22, %0D, %0A). */
export interface PartHead {
  /** Its name; undefined when the Content-Disposition has none. */
  field: string | undefined;
  /** Its filename as sent (possibly empty); undefined when it has none. */
  filename: string | undefined;
  /** Its Content-Type, lower case; `text/plain` when it has none. */
  contentType: string;
}

/** Where a file part's bytes go: a blob store, a temporary folder. */
export interface FileSink {
  /**
   * Streams `stream` into the sink and resolves with what it stored. Aborting `signal` (a refusal)
   * must stop the write and remove what it wrote, whatever state `stream` is in: a refused part
   * may end without 'end' ever being emitted. A write that fails must leave nothing behind too.
   */
  write(stream: Readable, options: { signal: AbortSignal }): Promise<{ key: string; size: number }>;
  /** Removes a file this sink stored: the files of a refused body go before the refusal is reported. */
  remove(key: string): Promise<void>;
}

export interface IntakeOptions {
  limits: IntakeLimits;
  /**
   * How long the body may send nothing before it counts as stalled ('stalled'); 0 turns the check
   * off. Time the sink makes the body wait (a slow disk) does not count.
   */
  idleBodyTimeoutMs: number;
  /** The one name file parts may have; a file part under another name is refused. */
  fileField: string;
  /**
   * Which parts are files (their bytes go to the sink); the rest are text fields, held in memory
   * within `limits.fieldSize`. Default: a part with a filename or of type application/octet-stream.
   */
  isFile?: (part: PartHead) => boolean;
  sink: FileSink;
  /**
   * Called as each text field arrives, with its value so far (a name given again: all its values,
   * in order), so a bad value stops the upload before its files are sent. What it throws is
   * the refusal, as is.
   */
  checkField?: (name: string, value: string | string[]) => void;
}

/** A file part the sink stored. */
export interface ReceivedFile {
  /** Its part name (always `fileField`). */
  field: string;
  /** Its filename as sent, decoded (possibly empty); undefined when it had none. */
  filename: string | undefined;
  /** Its Content-Type, lower case; `text/plain` when it had none. */
  contentType: string;
  /** The sink's key for it. */
  key: string;
  /** Bytes stored, as the sink counted them. */
  size: number;
}

export interface ReceivedForm {
  /** Text fields by name; a name given more than once maps to its values in order. */
  fields: Record<string, string | string[]>;
  /** File parts in the order they came. */
  files: ReceivedFile[];
}
