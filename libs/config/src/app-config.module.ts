import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.js';
import { parseEnv } from './env.schema.js';

/**
 * Validates the environment at boot (a bad value stops the process with a message
 * naming the variable) and exposes it as the typed AppConfig.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ cache: true, validate: parseEnv })],
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(parseEnv(process.env)) }],
  exports: [AppConfig],
})
export class AppConfigModule {}
