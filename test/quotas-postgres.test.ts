import { describeQuotaSuite } from "./quota-suite";

// Needs the Postgres at 127.0.0.1:5432; when it is down this suite fails, it never skips.
describeQuotaSuite("postgres");
