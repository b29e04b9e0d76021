/**
 * Shared by the flows' pure APIs: a snapshot is plain JSON ({ state, context }), so the core can
 * seal and store it between turns and any replica can take the next one; the actions a
 * transition asks for are read by name (notify, requestHandoff, wipe, stopAll).
 */
export interface FlowSnapshot<State extends string, Context> {
  state: State;
  context: Context;
}

export type FlowActions = ReadonlyArray<{ type: string; params?: unknown }>;

/** The params of every `notify` action, in order. */
export function noticesOf<N>(actions: FlowActions): N[] {
  return actions.filter((a) => a.type === "notify").map((a) => a.params as N);
}

export const asked = (actions: FlowActions, name: string): boolean => actions.some((a) => a.type === name);
