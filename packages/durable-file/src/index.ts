export { fsyncPath, writeFileAtomically } from "./durable-file";
