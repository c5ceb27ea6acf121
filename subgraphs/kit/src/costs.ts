import { Directive } from 'type-graphql';

/**
 * The cost directives of Federation 2.9 (`@listSize`, `@cost`), as decorators for type-graphql
 * fields. Composition carries them into the supergraph; the gateway's cost limit reads them there,
 * so a ministry sizes its own lists. `npm run schema:check` refuses a list field without a size.
 */

/** A list's expected length when no argument bounds it (e.g. 38 provinces, 12 repayments a loan). */
export const ListSize = (assumedSize: number) => Directive(`@listSize(assumedSize: ${assumedSize})`);

/**
 * A list (or a connection, naming its list fields in `sizedFields`) whose length is its `first`
 * argument: `first` or its default counts, and `MAX_PAGE_SIZE` bounds it at the gateway.
 */
export const PagedBy = (argument = 'first', sizedFields: string[] = []) =>
  Directive(
    `@listSize(slicingArguments: ["${argument}"]${sizedFields.length ? `, sizedFields: [${sizedFields.map((f) => `"${f}"`).join(', ')}]` : ''}, requireOneSlicingArgument: false)`,
  );

/** A field that costs more than the 1 of an ordinary field to resolve (e.g. a search or a national scan). */
export const Cost = (weight: number) => Directive(`@cost(weight: ${weight})`);
