/**
 * The two sets of fields of the form flow (report and contact) as data, and their validation.
 * Validation runs once, at the edge: the core checks every SUBMIT before the flow sees it (and
 * the web page before sealing); the flow trusts what it gets.
 */
import { CONTACT_FIELDS, type ContactDetails, REPORT_FIELDS, type ReportText, WISHES } from "../domain.ts";
import type { FieldSpec, InputRequest } from "../model.ts";

export const WISHES_FIELD = "wishes";

export function reportForm(current: ReportText, wishes?: string): InputRequest {
  const fields: FieldSpec[] = REPORT_FIELDS.map((f) => ({
    id: f.id,
    label: `report.field.${f.id}` as const,
    hint: `report.hint.${f.id}` as const,
    multiline: f.multiline,
    maxLength: f.maxLength,
    required: false,
    initial: current[f.id],
  }));
  fields.push({
    id: WISHES_FIELD,
    label: "report.field.wishes",
    hint: "report.hint.wishes",
    multiline: false,
    maxLength: 40,
    required: false,
    options: WISHES.map((w) => ({ id: w, label: `wish.${w}` as const })),
    initial: wishes,
  });
  return { form: "report", fields };
}

export function contactForm(current: ContactDetails | undefined): InputRequest {
  return {
    form: "contact",
    fields: CONTACT_FIELDS.map((f) => ({
      id: f.id,
      label: `contact.field.${f.id}` as const,
      hint: `contact.hint.${f.id}` as const,
      multiline: f.multiline,
      maxLength: f.maxLength,
      required: f.id === "route",
      initial: current?.[f.id],
    })),
  };
}

export type FieldError = { field: string; error: "tooLong" | "required" | "invalidOption" };
export type FormResult = { ok: true; values: Record<string, string> } | { ok: false; errors: FieldError[] };

/**
 * Trims, drops empty and unknown fields, and checks limits. Never echoes values back in errors,
 * so an error can be logged or shown without carrying report text.
 */
export function validateForm(request: InputRequest, raw: Record<string, unknown>): FormResult {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const field of request.fields) {
    const value = raw[field.id];
    const text = typeof value === "string" ? value.replace(/\r\n?/g, "\n").trim() : "";
    if (text.length === 0) {
      if (field.required) errors.push({ field: field.id, error: "required" });
      continue;
    }
    if (text.length > field.maxLength) {
      errors.push({ field: field.id, error: "tooLong" });
      continue;
    }
    if (field.options && !field.options.some((o) => o.id === text)) {
      errors.push({ field: field.id, error: "invalidOption" });
      continue;
    }
    values[field.id] = text;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}
