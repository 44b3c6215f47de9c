import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from './config';
import { UPSTREAMS, UpstreamHealth } from './upstreams/upstream-health';
import { upstreamsOf } from './upstreams/upstreams';

/** The public origin: routes `/api/v1` to the services and serves the web pages. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      providers: [{ provide: UPSTREAMS, useValue: upstreamsOf(config) }, UpstreamHealth],
    };
  }
}
