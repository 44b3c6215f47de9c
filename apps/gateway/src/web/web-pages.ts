import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadConfig } from '@cashless/config';
import type { AppLogger } from '@cashless/observability';
import { pageFor } from './page-routes';

/** Where the built web app is, validated at boot with the gateway's other variables. */
export const webEnv = z.object({
  /** The built web app (`dist/web` of `npm run build`: index.html per page, hashed files under assets/). */
  WEB_ROOT: z.string().min(1).default('dist/web'),
});

export interface WebPagesOptions {
  logger: AppLogger;
  /** Defaults to WEB_ROOT. */
  root?: string;
}

/** Every folder of the build that holds an index.html, as a path relative to the root ('' = the root). */
function findPages(root: string): Map<string, string> {
  const pages = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'assets') walk(join(dir, entry.name));
      else if (entry.name === 'index.html') {
        pages.set(relative(root, dir).split(sep).join('/'), readFileSync(join(dir, entry.name), 'utf8'));
      }
    }
  };
  walk(root);
  return pages;
}

const NOT_FOUND_HTML =
  '<!doctype html><html lang="vi"><meta charset="utf-8"><title>404</title>' +
  '<p>Không tìm thấy trang này. / Page not found.</p><p><a href="/">Trang chủ / Home</a></p></html>';

/**
 * Serves the web pages on the gateway's origin: hashed assets cached for a year (their names change
 * with their content), pages never cached (so a deployment is seen at once), each page's own
 * paths falling back to its index.html. Registered in its own Fastify scope, beside the API proxy.
 */
export async function registerWebPages(fastify: FastifyInstance, options: WebPagesOptions): Promise<void> {
  const root = resolve(options.root ?? loadConfig(webEnv).WEB_ROOT);
  if (!existsSync(join(root, 'index.html'))) {
    options.logger.warn({ root }, 'web pages not built (npm run build); only the API is served');
    return;
  }
  const pages = findPages(root);
  const names = new Set(pages.keys());
  await fastify.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      wildcard: true,
      cacheControl: false,
      setHeaders: (reply) => void reply.header('cache-control', 'public, max-age=31536000, immutable'),
    });
    // '/*' also matches '/': the index page.
    scope.get('/*', async (request, reply) => {
      const page = pageFor(request.url, names);
      const html = page === undefined ? undefined : pages.get(page);
      void reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      if (html === undefined) return reply.status(404).type('text/html; charset=utf-8').send(NOT_FOUND_HTML);
      return reply.type('text/html; charset=utf-8').send(html);
    });
  });
  options.logger.info({ root, pages: [...names].map((p) => `/${p}`) }, 'web pages served');
}
