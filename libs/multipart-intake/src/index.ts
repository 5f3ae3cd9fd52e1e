export { receiveMultipart } from './multipart.intake.js';
export type {
  FileSink,
  IntakeLimits,
  IntakeOptions,
  PartHead,
  ReceivedFile,
  ReceivedForm,
} from './intake.options.js';
export { MultipartRefusal, isMultipartRefusal } from './multipart.refusal.js';
export type { RefusalFacts, RefusalKind } from './multipart.refusal.js';
export { decodeFormDataName } from './form-data-name.decode.js';
export { closeAfterAnswer, DEFAULT_LINGER } from './lingering.close.js';
export type { LingerBounds } from './lingering.close.js';
