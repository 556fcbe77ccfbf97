import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../../auth/api-key.entity.js';
import type { LumenContext } from '../../graphql/context.js';
import { AlertChannel, AlertDelivery } from './alert-delivery.entity.js';
import { maskWebhookUrl } from './webhook.url-guard.js';

@Resolver(() => AlertDelivery)
export class AlertDeliveryResolver {
  @FieldResolver(() => String, { description: 'The email address, or the receiver URL (its origin only for keys below ADMIN).' })
  target(@Root() delivery: AlertDelivery, @Ctx() { principal }: LumenContext): string {
    return delivery.channel !== AlertChannel.EMAIL && principal?.role !== ApiKeyRole.ADMIN
      ? maskWebhookUrl(delivery.target)
      : delivery.target;
  }
}
