import { IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';

/** Most rows one page may hold. */
export const MAX_PAGE_SIZE = 100;

/**
 * Offset paging, the same input on every list of every subgraph (one `PageInput` in the
 * supergraph). Lists answer `{ items, total }`.
 */
@InputType({ description: `Offset paging: at most ${MAX_PAGE_SIZE} rows a page.` })
export class PageInput {
  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0)
  offset: number = 0;

  @Field(() => Int, { defaultValue: 25, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 25;
}
