import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../../auth/api-key.entity.js';
import type { LumenContext } from '../../graphql/context.js';
import { badUserInput } from '../../graphql/errors.js';
import { isLanguage } from '../alert.wording.js';
import { NotificationChannel } from './notification-channel.entity.js';
import { ChannelTestResult, CreatedNotificationChannel, NotificationChannelInput } from './notification-channel.types.js';
import { maskWebhookUrl } from './webhook.url-guard.js';

@Resolver(() => NotificationChannel)
export class NotificationChannelResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => [NotificationChannel], { description: 'Every notification channel, by name (secrets are never returned). READ or ADMIN.' })
  notificationChannels(@Ctx() { services }: LumenContext): Promise<NotificationChannel[]> {
    return services.alerts.channels.list();
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => NotificationChannel, { nullable: true, description: 'One notification channel. READ or ADMIN.' })
  notificationChannel(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<NotificationChannel | null> {
    return services.alerts.channels.get(id);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => CreatedNotificationChannel, {
    description: 'Adds a notification channel; a WEBHOOK channel without a secret gets one, returned this once. ADMIN.',
  })
  createNotificationChannel(
    @Ctx() { services }: LumenContext,
    @Arg('input', () => NotificationChannelInput) input: NotificationChannelInput,
  ): Promise<CreatedNotificationChannel> {
    return services.alerts.channels.create(input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => NotificationChannel, { description: 'Replaces a channel (a secret left out is kept; the kind cannot change). ADMIN.' })
  updateNotificationChannel(
    @Ctx() { services }: LumenContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => NotificationChannelInput) input: NotificationChannelInput,
  ): Promise<NotificationChannel> {
    return services.alerts.channels.update(id, input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => Boolean, { description: 'Deletes a channel; rules stop sending to it, past notifications stay. ADMIN.' })
  deleteNotificationChannel(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return services.alerts.channels.delete(id);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => ChannelTestResult, {
    description:
      "Sends one real test message to the channel now and reports the receiver's status and answer (PagerDuty: a trigger resolved at once). ADMIN.",
  })
  testNotificationChannel(
    @Ctx() { services }: LumenContext,
    @Arg('id', () => ID) id: string,
    @Arg('language', () => String, { nullable: true, description: 'en (default) or zh-CN.' }) language: string | null,
  ): Promise<ChannelTestResult> {
    const chosen = language ?? 'en';
    if (!isLanguage(chosen)) throw badUserInput('language', 'must be en or zh-CN');
    return services.alerts.channels.test(id, chosen);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The receiver's URL; keys below ADMIN see its origin only (chat robots hold their token in it). null for EMAIL.",
  })
  url(@Root() channel: NotificationChannel, @Ctx() { principal }: LumenContext): string | null {
    if (!channel.url) return null;
    return principal?.role === ApiKeyRole.ADMIN ? channel.url : maskWebhookUrl(channel.url);
  }

  @FieldResolver(() => Boolean, { description: 'A secret (signing secret or routing key) is set. The secret itself is never returned.' })
  secretSet(@Root() channel: NotificationChannel): boolean {
    return Boolean(channel.secret);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The secret masked to its last four characters ("••••1a2B"), for ADMIN keys.',
  })
  secretHint(@Root() channel: NotificationChannel, @Ctx() { principal }: LumenContext): string | null {
    if (!channel.secret || principal?.role !== ApiKeyRole.ADMIN) return null;
    return `••••${channel.secret.slice(-4)}`;
  }
}
