import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import type { LumenContext } from '../graphql/context.js';
import { forbidden } from '../graphql/errors.js';
import { ApiKey, ApiKeyRole } from './api-key.entity.js';
import { CreatedApiKey } from './api-key.types.js';
import { principalOf } from './role.guard.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized(ApiKeyRole.ADMIN)
  @Query(() => [ApiKey], { description: 'API keys, newest first, without their secrets. ADMIN.' })
  apiKeys(
    @Ctx() { services }: LumenContext,
    @Arg('includeRevoked', () => Boolean, { defaultValue: false }) includeRevoked: boolean,
  ): Promise<ApiKey[]> {
    return services.apiKeys.list(includeRevoked);
  }

  @Authorized()
  @Query(() => ApiKey, { description: 'The key this request is made with.' })
  async viewer(@Ctx() context: LumenContext): Promise<ApiKey> {
    const principal = principalOf(context);
    const own = await context.services.apiKeys.byId(principal.keyId);
    if (!own || own.revokedAt) throw forbidden('This key is no longer active');
    return own;
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => CreatedApiKey, { description: 'Creates a key; its secret is returned once. ADMIN.' })
  createApiKey(
    @Ctx() { services }: LumenContext,
    @Arg('name', () => String) name: string,
    @Arg('role', () => ApiKeyRole) role: ApiKeyRole,
  ): Promise<CreatedApiKey> {
    return services.apiKeys.create(name, role);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => ApiKey, { description: 'Revokes a key; requests with it are refused from then on. ADMIN.' })
  revokeApiKey(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return services.apiKeys.revoke(id);
  }
}
