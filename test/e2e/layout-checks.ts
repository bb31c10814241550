/**
 * What "a screen that fits" means, measured in the page: the main panels (the children of the
 * page's layout containers) do not overlap, the page does not scroll sideways, and no element
 * spills its content past its own box unless it scrolls it (a table wider than its column). And
 * what "reachable by keyboard" means: Tab, from the top, reaches every visible enabled control
 * (a radio group counts once, as the browser tabs into one radio of a group).
 */
import type { Page } from '@playwright/test';

/** The containers whose visible children are the screen's main panels. */
const CONTAINERS = ['body > #app, body > div', 'main', '.home', '[data-testid=step-panel]', '[data-testid=step-panel] > div', '.split'];

export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((containers) => {
    const problems: string[] = [];
    const name = (el: Element) => {
      const id = el.getAttribute('data-testid');
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${el.classList.length ? `.${[...el.classList].filter((c) => !c.startsWith('svelte-')).join('.')}` : ''}`;
    };
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);

    const seen = new Set<Element>();
    for (const sel of containers) {
      for (const c of document.querySelectorAll(sel)) {
        if (seen.has(c)) continue;
        seen.add(c);
        const kids = [...c.children].filter((k) => {
          const s = getComputedStyle(k);
          const r = k.getBoundingClientRect();
          return s.position !== 'absolute' && s.position !== 'fixed' && s.display !== 'none' && r.width > 0 && r.height > 0;
        });
        for (let i = 0; i < kids.length; i++) {
          for (let j = i + 1; j < kids.length; j++) {
            const a = kids[i]!.getBoundingClientRect();
            const b = kids[j]!.getBoundingClientRect();
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 1) problems.push(`${name(kids[i]!)} overlaps ${name(kids[j]!)} by ${Math.round(w)}×${Math.round(h)}px`);
          }
        }
      }
    }

    // Content wider than its box that the box does not scroll: it is drawn over whatever is beside it.
    for (const el of document.querySelectorAll('main *')) {
      if (!(el instanceof HTMLElement) || el.clientWidth === 0) continue;
      const s = getComputedStyle(el);
      if (s.overflowX !== 'visible' || s.display === 'inline' || s.display === 'contents') continue;
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} spills ${el.scrollWidth - el.clientWidth}px past its right edge`);
    }
    return problems;
  }, CONTAINERS);
}

/** The visible, enabled controls that Tab from the top of the page never reaches. */
export async function unreachableControls(page: Page, maxTabs = 400): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.evaluate(() => {
    const w = window as unknown as { __reached: Set<Element> };
    w.__reached = new Set();
    document.addEventListener('focusin', (e) => e.target instanceof Element && w.__reached.add(e.target), { capture: true });
  });
  let first: string | null = null;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      return `${a.tagName}:${[...document.querySelectorAll('*')].indexOf(a)}`;
    });
    if (key === null) continue;
    if (first === null) first = key;
    else if (key === first) break;
  }
  return page.evaluate(() => {
    const reached = (window as unknown as { __reached: Set<Element> }).__reached;
    const groupsReached = new Set([...reached].filter((e) => e instanceof HTMLInputElement && e.type === 'radio').map((e) => (e as HTMLInputElement).name));
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
    const missed: string[] = [];
    for (const c of controls) {
      if ((c as HTMLButtonElement).disabled || c.closest('[inert]') || !c.checkVisibility({ visibilityProperty: true })) continue;
      if (c instanceof HTMLInputElement && c.type === 'radio' && groupsReached.has(c.name)) continue;
      if (reached.has(c)) continue;
      const label = c.getAttribute('aria-label') ?? c.textContent?.trim().slice(0, 40) ?? '';
      missed.push(`${c.tagName.toLowerCase()}${c.getAttribute('data-testid') ? `[${c.getAttribute('data-testid')}]` : ''} "${label}"`);
    }
    return missed;
  });
}
