import { Module } from '@nestjs/common';
import { AnalyticsAuthModule } from './auth/auth.module';
import { CityModule } from './city/city.module';
import { ProjectionsModule } from './projections/projections.module';

/**
 * The analytics service: projections from merchant and payment events, and the city monitoring
 * API. Needs the platform's DataSource (DatabaseModule) and the Kafka consumer (MessagingModule).
 */
@Module({ imports: [AnalyticsAuthModule, ProjectionsModule, CityModule] })
export class AnalyticsModule {}
