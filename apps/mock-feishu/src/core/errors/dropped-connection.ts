/** Thrown after a connection was destroyed on purpose; the error filter writes nothing for it. */
export class DroppedConnection extends Error {
  override name = 'DroppedConnection';
}
