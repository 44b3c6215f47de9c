/**
 * Which built page answers a browser path. Pure, so the table is tested directly. Each page is a
 * folder of the built web app with an index.html (`city`, `city/report`, later `merchant`, …); a
 * path inside a page (`/city/anything`) falls back to the deepest page that contains it, so each
 * page can route on the client; `/` is the index page.
 */
export function pageFor(urlPath: string, pages: ReadonlySet<string>): string | undefined {
  const path = urlPath.split('?', 1)[0];
  if (path.includes('\0') || /(^|\/)\.\.?(\/|$)/.test(path) || /%2e|%2f|%5c|\\/i.test(path)) return undefined;
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) return pages.has('') ? '' : undefined;
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join('/');
    if (pages.has(candidate)) return candidate;
  }
  return undefined;
}
