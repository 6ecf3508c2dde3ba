import { describeQuotaSuite } from "./quota-suite";

describeQuotaSuite("pglite");
