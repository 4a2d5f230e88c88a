// Steward's additions to next-auth's types: the id of the server-side session (db: sessions).
import "@auth/core/types";
import "@auth/core/jwt";

declare module "@auth/core/types" {
  interface User {
    sessionId?: string;
  }
  interface Session {
    sid?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
    via?: string;
  }
}
