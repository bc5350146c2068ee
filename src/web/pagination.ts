/** A list page's place: which page (from 1) and how many rows a page holds. */
export interface PageRequest {
  page: number
  pageSize: number
}

/** Where a list page is: page `page` of `pages`, and the pagination component's parameters (null on one page). */
export interface Paging {
  page: number
  pages: number
  component: PaginationComponent | null
}

interface PaginationComponent {
  previous?: { href: string }
  next?: { href: string }
  items: ({ ellipsis: true } | { number: number; href: string; current: boolean })[]
}

/**
 * The paging of a list of `total` rows. The component (GOV.UK pagination) shows previous and next, the first and
 * last pages and those either side of the current one, with ellipses between. `href` gives the address of a page,
 * keeping the list's filters. Views render it with `{% if paging.component %}{{ govukPagination(paging.component) }}`.
 */
export function paging({ page, pageSize }: PageRequest, total: number, href: (page: number) => string): Paging {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  return { page, pages, component: pages > 1 ? component(page, pages, href) : null }
}

function component(page: number, pages: number, href: (page: number) => string): PaginationComponent {
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages)
  shown.sort((a, b) => a - b)
  const items: PaginationComponent['items'] = []
  let before = 0
  for (const p of shown) {
    if (p - before > 1) items.push({ ellipsis: true })
    items.push({ number: p, href: href(p), current: p === page })
    before = p
  }
  return {
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pages ? { next: { href: href(page + 1) } } : {}),
    items,
  }
}
