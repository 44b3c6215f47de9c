import { z } from 'zod';

/** Raised at boot when the environment does not satisfy a service's schema. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Validates environment variables once, at boot, and returns a typed, frozen object.
 * Every error names the variable so a misconfigured deployment fails fast and legibly.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: issue.path.join('.') || '(root)',
        message: issue.message,
      })),
    );
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}
