import { Field, InputType } from 'type-graphql';

import { badUserInput } from './errors.js';
import { DateTimeScalar } from './scalars.js';

@InputType({ description: 'A half-open time range [from, to) in ISO 8601 date-times.' })
export class TimeRangeInput {
  @Field(() => DateTimeScalar)
  from!: Date;

  @Field(() => DateTimeScalar)
  to!: Date;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

// Ten years is more than any retention; larger ranges are typing mistakes that would scan everything.
const MAX_RANGE_MS = 10 * 366 * 24 * 3600 * 1000;

export function checkRange(range: TimeRange, field = 'range'): TimeRange {
  if (!(range.from.getTime() < range.to.getTime())) throw badUserInput(field, 'from must be before to');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_MS) throw badUserInput(field, 'must not span more than ten years');
  return range;
}
