import { z } from 'zod';

export const bankSimEnv = z.object({
  /** Where the sandbox bank delivers its signed notifications (the platform's public origin). */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  BANK_WEBHOOK_SECRET: z.string().min(16).default('dev-bank-webhook-secret'),
  /** `false`: behave like a bank app that refuses QRs for transfers to card numbers. */
  BANK_SIM_CARD_TRANSFERS: z.stringbool().default(true),
});

export type BankSimConfig = z.output<typeof bankSimEnv>;

export const BANK_SIM_CONFIG = Symbol('BANK_SIM_CONFIG');
