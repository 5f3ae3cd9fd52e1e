/**
 * Thrown to drop a call's connection without an answer (an injected fault): the core owns no
 * connection, so the HTTP layer's error filter destroys it and writes nothing.
 */
export class DroppedConnection extends Error {
  override name = 'DroppedConnection';
}
