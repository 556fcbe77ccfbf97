import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar } from '../graphql/scalars.js';

export enum ApiKeyRole {
  INGEST = 'INGEST',
  READ = 'READ',
  ADMIN = 'ADMIN',
}

registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  description: 'INGEST sends logs and feedback; READ runs queries and subscriptions; ADMIN may do everything.',
});

/** An API key. Only a SHA-256 hash of the secret is stored; the secret is shown once, at creation. */
@ObjectType({ description: 'An API key, without its secret.' })
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String, { description: 'A name that says who or what uses the key.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ApiKeyRole)
  @Enum({ items: () => ApiKeyRole })
  role!: ApiKeyRole;

  @Property({ type: 'text', unique: 'api_key_key_hash_unique', hidden: true })
  keyHash!: string;

  @Field(() => String, { description: 'The first characters of the key, to recognise it.' })
  @Property({ type: 'text' })
  prefix!: string;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was revoked; a revoked key is refused.' })
  @Index({ name: 'api_key_revoked_at_index' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
