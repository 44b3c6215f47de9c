import { DynamicModule, Module } from '@nestjs/common';
import { BankSimConfig } from './config';

export const BANK_SIM_CONFIG = Symbol('BANK_SIM_CONFIG');

/**
 * The sandbox bank: decodes VietQR payloads as a bank app would and sends signed bank
 * notifications to the platform. Its domain modules are imported here.
 */
@Module({})
export class BankSimModule {
  static forRoot(config: BankSimConfig): DynamicModule {
    return {
      module: BankSimModule,
      providers: [{ provide: BANK_SIM_CONFIG, useValue: config }],
      exports: [BANK_SIM_CONFIG],
    };
  }
}
