/**
 * `desk rekey`: a copy of the whole register, encrypted to and signed by a new key — for a key
 * that is replaced (compromised, or moved to a new algorithm). The copy goes to a new, empty
 * directory and the old register is left as it is: a crash half-way leaves nothing mixed, and the
 * counsellor swaps the directories only after `desk check` says the copy is whole.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { DeskError } from "./errors.ts";
import { ENTRY_FILE_RE } from "./records.ts";
import {
  ENTRIES_DIR,
  type RegisterContext,
  checkRegister,
  readEntryFile,
  registerExists,
  updateRegister,
} from "./register.ts";

export async function rekeyRegister(from: RegisterContext, to: RegisterContext): Promise<{ copied: number }> {
  if (path.resolve(from.dir) === path.resolve(to.dir)) {
    throw new DeskError("--to must be a new directory, not the register itself", 2);
  }
  if (from.key.fingerprint === to.key.fingerprint)
    throw new DeskError("the new key is the same as the old one", 2);
  if (await registerExists(to.dir))
    throw new DeskError(`${to.dir} already holds a register; choose a new, empty directory`, 2);
  const check = await checkRegister(from);
  const problems = check.unreadable.length + check.missing.length;
  if (problems > 0) {
    throw new DeskError(
      `${problems} register file(s) are missing or unreadable; run "vertrouwd desk check" and fix that first`,
    );
  }
  const files = (await readdir(path.join(from.dir, ENTRIES_DIR))).filter((f) => ENTRY_FILE_RE.test(f)).sort();
  let copied = 0;
  await updateRegister(
    to,
    async (tx) => {
      for (const file of files) {
        await tx.copy(await readEntryFile(from, file));
        copied++;
      }
    },
    { create: true },
  );
  return { copied };
}
