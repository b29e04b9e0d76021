import type { ChatInput } from "../../flows/chat/machine.ts";
import type { Directory } from "../../flows/directory.ts";
import type { IntakeInput } from "../../flows/intake/machine.ts";

export const DIRECTORY: Directory = {
  organisation: "Testorganisatie",
  counsellors: [
    { id: "intern", name: "Sanne", kind: "internal", languages: ["nl"], introduction: { nl: "Intern." } },
    {
      id: "extern",
      name: "Karim",
      kind: "external",
      languages: ["nl", "en"],
      introduction: { nl: "Extern." },
      deputyName: "Fatima",
    },
  ],
  contacts: [{ kind: "companyDoctor", name: { nl: "Bedrijfsarts" }, phone: "020-1234567", urgent: true }],
  idleMinutes: 30,
  defaultCounsellorId: "extern",
  deliveryDelayMinutes: 0,
};

export const CHAT_INPUT: ChatInput = { locale: "nl" };

export const INTAKE_INPUT: IntakeInput = {
  locale: "nl",
  counsellorIds: ["intern", "extern"],
  defaultCounsellorId: "extern",
};

export const CANARY = "CANARY-7f3a-report-text";
