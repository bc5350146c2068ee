import { AppPage, linksIn, type Link } from './app-page.js'

export class HomePage extends AppPage {
  protected readonly heading = /^Welcome, /
  protected override readonly testId = 'sections'

  /** The "What you can do" links. */
  sectionLinks(): Promise<Link[]> {
    return linksIn(this.page.getByTestId('sections').getByRole('link'))
  }

  async welcome(): Promise<string> {
    return ((await this.page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()
  }
}
