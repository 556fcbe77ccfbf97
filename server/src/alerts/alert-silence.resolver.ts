import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { principalOf } from '../auth/role.guard.js';
import type { LumenContext } from '../graphql/context.js';
import { AlertRule } from './alert-rule.entity.js';
import { AlertSilence } from './alert-silence.entity.js';
import { silenceState } from './alert-silence.service.js';
import { AlertSilenceFilter, AlertSilenceInput, SilenceState } from './alert-silence.types.js';

@Resolver(() => AlertSilence)
export class AlertSilenceResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => [AlertSilence], { description: 'Silences, those ending last first (at most 500). READ or ADMIN.' })
  silences(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => AlertSilenceFilter, { nullable: true }) filter: AlertSilenceFilter | null,
  ): Promise<AlertSilence[]> {
    return services.alerts.silences.list(filter);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertSilence, {
    description:
      'Silences a rule, an app, a model or everything for a window: alerts firing in it are recorded (silenced) but notify no one. Records who set it. ADMIN.',
  })
  createSilence(@Ctx() context: LumenContext, @Arg('input', () => AlertSilenceInput) input: AlertSilenceInput): Promise<AlertSilence> {
    return context.services.alerts.silences.create(input, principalOf(context));
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertSilence, { description: 'Ends a silence now. ADMIN.' })
  expireSilence(@Ctx() context: LumenContext, @Arg('id', () => ID) id: string): Promise<AlertSilence> {
    return context.services.alerts.silences.expire(id, principalOf(context));
  }

  @FieldResolver(() => SilenceState)
  state(@Root() silence: AlertSilence): SilenceState {
    return silenceState(silence);
  }

  @FieldResolver(() => AlertRule, {
    nullable: true,
    description: 'The rule it silences; null when it matches by app, model or everything.',
  })
  async rule(@Root() silence: AlertSilence, @Ctx() { loaders }: LumenContext): Promise<AlertRule | null> {
    const id = silence.rule?.id;
    return id ? loaders.alertRule.load(id) : null;
  }
}
