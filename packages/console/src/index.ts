export { createConsoleRoutes, withConsole, CONSOLE_PATH } from "./console-routes";
