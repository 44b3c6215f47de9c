import { Module } from '@nestjs/common';
import { StreetRegistry } from '../streets/street-registry';
import { CampaignsService } from './campaigns.service';
import { CityController } from './city.controller';
import { CityService } from './city.service';

/** The officers' city monitoring API under /api/v1/city. */
@Module({
  controllers: [CityController],
  providers: [StreetRegistry, CityService, CampaignsService],
})
export class CityModule {}
