import type { Filter } from "@vectron/proto/v1";
import { VectronError } from "@vectron/rpc-errors";

/**
 * Payload filters are part of the v1 contract but not served yet (they come with payload
 * indexes and the query planner). A request carrying a non-empty filter is refused with
 * `unimplemented` rather than answered as if unfiltered.
 */
export function rejectFilter(filter: Filter | undefined): void {
  if (filter && (filter.must.length || filter.should.length || filter.mustNot.length)) {
    throw new VectronError("unimplemented", "filter: payload filters are not supported by this server yet");
  }
}
