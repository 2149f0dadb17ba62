import { SetMetadata } from '@nestjs/common';
import type { Scope } from './api-key-format';

export const SCOPES_KEY = 'masklet:scopes';
export const PUBLIC_KEY = 'masklet:public';

/** The caller's key needs one of these scopes (admin passes every check). */
export const Scopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator => SetMetadata(SCOPES_KEY, scopes);
/** No API key needed (health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
