export * from "./auth";
export * from "./inventory";
export * from "./activity";
export * from "./reviews";
export * from "./probes";
export * from "./audit";
export * from "./relations";
