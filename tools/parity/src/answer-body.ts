import type { Exchange } from './observation.js';

/** The few fields of Feishu's answers the suite reads to go on; each may be missing on a failure. */
export interface AnswerBody {
  code?: number;
  tenant_access_token?: string;
  data?: {
    task?: { guid?: string; summary?: string; updated_at?: string; creator?: { id?: string } };
    subtask?: { guid?: string; updated_at?: string };
    items?: { guid?: string; name?: string; url?: string }[];
    attachment?: { url?: string };
    has_more?: boolean;
    page_token?: string;
  };
}

export const json = (exchange: Exchange): AnswerBody | undefined => {
  try {
    const body: unknown = JSON.parse(exchange.body.toString('utf8'));
    return typeof body === 'object' && body !== null ? (body as AnswerBody) : undefined;
  } catch {
    return undefined;
  }
};
