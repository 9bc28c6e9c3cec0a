import { IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int, ObjectType, type ClassType } from 'type-graphql';

/** Most rows one page may hold. */
export const MAX_PAGE_SIZE = 100;

/** Rows a page holds when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 25;

/** What a service needs to know about the page asked for (no GraphQL types in services). */
export interface PageRequest {
  offset?: number | null;
  limit?: number | null;
}

/** One page of a list and the number of rows in the whole list. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Offset paging, the same input on every list of every subgraph (one `PageInput` in the
 * supergraph). Lists answer `{ items, total }`.
 */
@InputType({ description: `Offset paging: at most ${MAX_PAGE_SIZE} rows a page.` })
export class PageInput implements PageRequest {
  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0)
  offset: number = 0;

  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

/**
 * The GraphQL page type of a list of `item`s (`DealPage { items: [Deal!]! total: Int! }`), one
 * generic definition for every list of every subgraph. Call it once per item type, at module
 * level, and use the result as the query's return type.
 */
export function PageOf<T extends object>(item: ClassType<T>, name = `${item.name}Page`): ClassType<Page<T>> {
  @ObjectType(name)
  class PageType implements Page<T> {
    @Field(() => [item])
    items!: T[];

    @Field(() => Int)
    total!: number;
  }
  return PageType;
}
