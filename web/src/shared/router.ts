// Client-side routes on the History API. Tessera answers any such path with
// the app's index.html, so a reload lands on the same page.
export type Render = () => void | Promise<void>;

export class Router {
  constructor(
    private readonly routes: Record<string, Render>,
    private readonly fallbackPath: string,
  ) {
    window.addEventListener('popstate', () => void this.dispatch());
    // Same-origin links marked data-route navigate without a page load.
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a[data-route]');
      if (!(link instanceof HTMLAnchorElement) || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      this.go(link.pathname);
    });
  }

  go(path: string): void {
    if (path !== location.pathname) history.pushState(null, '', path);
    void this.dispatch();
  }

  async dispatch(): Promise<void> {
    for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
      if (link.pathname === location.pathname) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const render = this.routes[location.pathname];
    if (!render) {
      history.replaceState(null, '', this.fallbackPath);
      await this.routes[this.fallbackPath]?.();
      return;
    }
    await render();
  }
}
