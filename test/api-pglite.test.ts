import { describeApiSuite } from "./api-suite";

describeApiSuite("pglite");
