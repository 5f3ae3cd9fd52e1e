import type { FeishuEnvelope } from '@feishu-attachments/api-client/wire';

/** Feishu's success envelope. */
export const ok = <TData>(data: TData): FeishuEnvelope<TData> => ({ code: 0, msg: 'success', data });
