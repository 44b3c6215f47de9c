import { DynamicModule, Module } from '@nestjs/common';
import { BANK_SIM_CONFIG, type BankSimConfig } from './config';
import { SandboxBankService } from './sim/sandbox-bank.service';
import { SimController } from './sim/sim.controller';

/**
 * The sandbox bank: decodes VietQR payloads as a bank app would and sends signed bank
 * notifications to the platform, on request late, repeated, reordered or as load.
 */
@Module({})
export class BankSimModule {
  static forRoot(config: BankSimConfig): DynamicModule {
    return {
      module: BankSimModule,
      controllers: [SimController],
      providers: [{ provide: BANK_SIM_CONFIG, useValue: config }, SandboxBankService],
      exports: [BANK_SIM_CONFIG],
    };
  }
}
