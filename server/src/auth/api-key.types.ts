import { Field, ObjectType } from 'type-graphql';

import { ApiKey } from './api-key.entity.js';

@ObjectType({ description: 'A new API key. The key is shown only here, once; store it now.' })
export class CreatedApiKey {
  @Field(() => String, { description: 'The secret, sent as "Authorization: Bearer <key>".' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}
