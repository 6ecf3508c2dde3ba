/**
 * A response message may carry its own proto3 JSON, rendered by the code that built it
 * from data that is JSON already (stored payloads), so the Connect JSON path sends it
 * without converting payloads to Struct messages and back. The message itself stays
 * complete: binary protobuf, gRPC and every other path encode it as usual.
 */

/** The JSON options a rendering was written for; others fall back to the generic encoder. */
export interface RenderedJsonOptions {
  alwaysEmitImplicit?: boolean;
  useProtoFieldName?: boolean;
  enumAsInteger?: boolean;
}

/** Renders the message's JSON for these options, or undefined when it cannot match them. */
export type JsonRendering = (options: RenderedJsonOptions) => string | undefined;

const renderings = new WeakMap<object, JsonRendering>();

/** Attaches a rendering to a message object (kept only as long as the message). */
export function setJsonRendering<T extends object>(message: T, render: JsonRendering): T {
  renderings.set(message, render);
  return message;
}

/** The rendering attached to `message`, if any. */
export function jsonRenderingOf(message: object): JsonRendering | undefined {
  return renderings.get(message);
}
