import { filteredCase, type FilteredCase } from "./filtered-case";
import type { MnistWorkload } from "./mnist-workload";
import { valueEquals } from "./search-filter";

/** Queries of each filtered MNIST pass (of the 300): filtered by digit, a search takes ~50 ms. */
export const MNIST_FILTERED_QUERIES = 60;

/**
 * The MNIST cases, over the first 60 queries: no filter, and each query's nearest images of its own digit
 * (`digit` = the query's label, about a tenth of the points; the label is the dataset's).
 */
export function mnistFilteredCases(workload: MnistWorkload): FilteredCase[] {
  return [
    filteredCase(workload, MNIST_FILTERED_QUERIES, "none", () => ({ filter: undefined, keeps: () => true })),
    filteredCase(workload, MNIST_FILTERED_QUERIES, "`digit` = the query's digit", (q) => {
      const digit = workload.queryDigits[q]!;
      return { filter: valueEquals("digit", digit), keeps: (payload) => payload.digit === digit };
    }),
  ];
}
