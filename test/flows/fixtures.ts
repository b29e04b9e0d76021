import type { IntakeInput } from "../../flows/intake/index.ts";

export const INPUT: IntakeInput = {
  locale: "nl",
  organisation: "Testorganisatie",
  counsellors: [
    { id: "intern", name: "Sanne", kind: "internal", languages: ["nl"], introduction: { nl: "Intern." } },
    {
      id: "extern",
      name: "Karim",
      kind: "external",
      languages: ["nl", "en"],
      introduction: { nl: "Extern." },
    },
  ],
  defaultCounsellorId: "extern",
};

export const CANARY = "CANARY-7f3a-report-text";
