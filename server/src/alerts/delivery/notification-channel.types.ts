import { Field, InputType, Int, ObjectType } from 'type-graphql';

import { AlertChannel } from './alert-channel.js';
import { NotificationChannel } from './notification-channel.entity.js';

@InputType({ description: 'A notification channel. Which fields apply depends on the kind (see the README).' })
export class NotificationChannelInput {
  @Field(() => String, { description: '1 to 100 characters, unique.' })
  name!: string;

  @Field(() => AlertChannel)
  kind!: AlertChannel;

  @Field(() => String, {
    nullable: true,
    description:
      'The receiver: the webhook or robot URL (WEBHOOK, SLACK, FEISHU, DINGTALK, WECOM); for PAGERDUTY the Events API URL, https://events.pagerduty.com/v2/enqueue when absent. Not for EMAIL.',
  })
  url?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Write-only. WEBHOOK: the signing secret (whsec_ and base64; generated when a channel is created without one). FEISHU, DINGTALK: the robot\'s signing secret (optional). PAGERDUTY: the routing (integration) key. Left out on update: kept; "" on update: removed (FEISHU, DINGTALK).',
  })
  secret?: string | null;

  @Field(() => [String], { nullable: true, description: 'EMAIL only: 1 to 50 addresses.' })
  emails?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true when absent; enabling a channel clears why it was disabled.' })
  enabled?: boolean | null;
}

@ObjectType({ description: 'A channel just created, with its generated signing secret (shown this once).' })
export class CreatedNotificationChannel {
  @Field(() => NotificationChannel)
  channel!: NotificationChannel;

  @Field(() => String, {
    nullable: true,
    description: 'The generated WEBHOOK signing secret; null when one was given or the kind has none.',
  })
  secret!: string | null;
}

@ObjectType({ description: 'The outcome of testNotificationChannel: one real message, sent at once.' })
export class ChannelTestResult {
  @Field(() => Boolean, { description: 'The receiver accepted the message (its status and, for chat robots, its answer code say so).' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: 'The HTTP status (SMTP reply code for EMAIL), when the receiver answered.' })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: "The receiver's answer body (its first 2,000 characters)." })
  answer!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the message was refused or not delivered.' })
  error!: string | null;

  @Field(() => Boolean, { description: 'A notification failing this way would be retried.' })
  retryable!: boolean;

  @Field(() => Boolean, { description: 'The receiver answered 410 Gone and the channel is now disabled.' })
  disabled!: boolean;

  @Field(() => Int)
  durationMs!: number;
}
