export { jsonRenderingOf, setJsonRendering, type JsonRendering, type RenderedJsonOptions } from "./prerendered-json";
