/** One page of a Feishu list. `page_token` is absent on the last page. */
export interface Page<TItem> {
  items: TItem[];
  has_more: boolean;
  page_token?: string;
}

export interface ListAttachmentsQuery {
  resource_id: string;
  resource_type?: string;
  page_size?: number;
  page_token?: string;
  user_id_type?: string;
}
