import { describe, expect, it } from 'vitest'
import { paging } from './pagination.js'

const href = (page: number) => `/list?page=${page}`

describe('paging', () => {
  it('has no component when the list fits on one page, even when empty', () => {
    expect(paging({ page: 1, pageSize: 25 }, 25, href)).toEqual({ page: 1, pages: 1, component: null })
    expect(paging({ page: 1, pageSize: 25 }, 0, href)).toEqual({ page: 1, pages: 1, component: null })
  })

  it('shows the first, last and neighbouring pages with ellipses between, and previous and next', () => {
    const { pages, component } = paging({ page: 5, pageSize: 10 }, 95, href)
    expect(pages).toBe(10)
    expect(component?.previous).toEqual({ href: '/list?page=4' })
    expect(component?.next).toEqual({ href: '/list?page=6' })
    expect(component?.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : i.number))).toEqual([
      1,
      '…',
      4,
      '[5]',
      6,
      '…',
      10,
    ])
  })

  it('has no previous on the first page and no next on the last', () => {
    expect(paging({ page: 1, pageSize: 10 }, 30, href).component).toEqual({
      next: { href: '/list?page=2' },
      items: [
        { number: 1, href: '/list?page=1', current: true },
        { number: 2, href: '/list?page=2', current: false },
        { number: 3, href: '/list?page=3', current: false },
      ],
    })
    expect(paging({ page: 3, pageSize: 10 }, 30, href).component?.next).toBeUndefined()
  })
})
