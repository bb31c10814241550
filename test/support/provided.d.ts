// What the browser projects' globalSetup (browser-servers.ts) provides to tests via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    chatServerUrl: string;
    trainerServerUrl: string;
  }
}
