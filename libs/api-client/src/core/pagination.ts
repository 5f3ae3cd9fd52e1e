import type { Page } from '../wire/index.js';

/**
 * Every item of every page, following `page_token` while `has_more`. An error on any page
 * reaches the caller's `for await`, unlike the official SDK's iterator, which swallows it.
 */
export async function* paginate<TItem>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<TItem>>,
): AsyncGenerator<TItem> {
  let pageToken: string | undefined;
  for (;;) {
    const page = await fetchPage(pageToken);
    yield* page.items ?? [];
    if (!page.has_more || !page.page_token) return;
    pageToken = page.page_token;
  }
}
