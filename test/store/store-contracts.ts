import type { RedisStore } from "../../src/store/redis.ts";
import { uniquePrefix } from "./helpers.ts";
import { describeKeyValueContract } from "./kv-contract.ts";
import { describeVaultContract } from "./vault-contract.ts";

/** Both store contracts on a Redis topology: one client for the key-value one, two for the vault's. */
export function describeStoreContracts(
  name: string,
  makeStore: (options?: { keyPrefix?: string }) => Promise<RedisStore>,
): void {
  describeKeyValueContract(name, () => makeStore());
  describeVaultContract(name, async () => {
    const keyPrefix = uniquePrefix("vault");
    // Two clients behave like two replicas of the bot.
    const a = await makeStore({ keyPrefix });
    const b = await makeStore({ keyPrefix });
    return {
      a,
      b,
      cleanup: async () => {
        await a.close();
        await b.close();
      },
    };
  });
}
