import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

import { DateTimeScalar } from '../graphql/scalars.js';

export enum SilenceState {
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(SilenceState, {
  name: 'SilenceState',
  description: 'SCHEDULED before startsAt, ACTIVE from startsAt to endsAt, EXPIRED after (or once expired by hand).',
});

@InputType({
  description:
    'A silence: matchers (all left out silences every rule), a window (durationMinutes from now, or startsAt and endsAt), and a reason.',
})
export class AlertSilenceInput {
  @Field(() => ID, { nullable: true, description: 'Only alerts of this rule.' })
  ruleId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rules scoped to this app.' })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rules scoped to this model.' })
  model?: string | null;

  @Field(() => Int, { nullable: true, description: 'From now, for this many minutes (1 to 44,640). Or give startsAt and endsAt.' })
  durationMinutes?: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'A scheduled window: its start (now when absent).' })
  startsAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'A scheduled window: its end (at most 31 days after the start).' })
  endsAt?: Date | null;

  @Field(() => String, { description: 'Why (1 to 500 characters): shown in the inbox with who set it.' })
  reason!: string;
}

@InputType({ description: 'Which silences to list.' })
export class AlertSilenceFilter {
  @Field(() => [SilenceState], { nullable: true, description: 'Any of these states; all when absent.' })
  state?: SilenceState[] | null;

  @Field(() => ID, { nullable: true })
  ruleId?: string | null;
}
