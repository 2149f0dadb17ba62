import { SetMetadata } from '@nestjs/common';

export const OPERATOR_KEY = 'masklet:operator';

/**
 * Platform operators only (keys created by `cli key:create --operator`): fleet-wide views and actions.
 * A tenant's admin scope does not pass: it is the highest right inside one tenant, never across tenants.
 */
export const Operator = (): MethodDecorator & ClassDecorator => SetMetadata(OPERATOR_KEY, true);
