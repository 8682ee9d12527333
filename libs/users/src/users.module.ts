import { Module } from '@nestjs/common';
import { UsersController } from './controllers/users.controller.js';
import { UsersService } from './services/users.service.js';

/** A company's users and their access: who they are, their role, their stores, and whether they may log in. */
@Module({ controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
