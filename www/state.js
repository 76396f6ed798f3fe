// Link state: the one table of fields the address holds, reading a link into checked values
// (with a message for every field that was wrong) and writing values back into a link.
// Field names match the HTML control ids and the Rust field names.

export const VERSION = 1;
export const MAX_LINK = 2000;

const METHODS = ["molap", "monolithic", "random_modules", "pretrained_monolith"];
const TASKS = [
  "delaypro", "delayanti", "memorypro", "memoryanti", "memorydm1", "memorydm2",
  "ctxmemorydm1", "ctxmemorydm2", "multimemorydm",
];
const KINDS = [
  "rec_weight_noise", "input_weight_noise", "unit_loss", "module_loss", "input_noise",
  "recurrent_noise", "synapse_loss",
];

// name, type, range, default; `perturbation` marks the fields of the core's Perturbation. The
// maxima of the continuous perturbations come from the core (setMaxima), which sweeps the
// robustness curves over the same range.
export const FIELDS = [
  { name: "method", type: "enum", values: METHODS, default: "molap" },
  { name: "task", type: "enum", values: TASKS, default: "memorypro" },
  { name: "seed", type: "int", min: 0, max: 999999, default: 0 },
  { name: "rec_weight_noise", type: "number", min: 0, max: null, step: 0.05, default: 0, perturbation: true },
  { name: "input_weight_noise", type: "number", min: 0, max: null, step: 0.05, default: 0, perturbation: true },
  { name: "unit_loss", type: "number", min: 0, max: null, step: 0.01, default: 0, perturbation: true },
  { name: "module_loss", type: "enum", values: ["none", "1", "2", "3"], default: "none", perturbation: true },
  { name: "input_noise", type: "number", min: 0, max: null, step: 0.5, default: 1, perturbation: true },
  { name: "recurrent_noise", type: "number", min: 0, max: null, step: 0.5, default: 1, perturbation: true },
  { name: "synapse_loss", type: "number", min: 0, max: null, step: 0.01, default: 0, perturbation: true },
  { name: "trial", type: "int", min: 1, max: 16, default: 1 },
  { name: "curve", type: "enum", values: KINDS, default: "rec_weight_noise" },
  { name: "from", type: "enum", values: ["pretrained", "scratch"], default: "pretrained" },
  // Units per module of a run from scratch (the shipped modules have 32).
  { name: "units", type: "int", min: 4, max: 128, default: 32 },
  { name: "lr", type: "number", min: 1e-6, max: 1000, default: 0.003 },
  { name: "batch_size", type: "int", min: 1, max: 512, default: 32 },
  { name: "budget", type: "int", min: 32, max: 1000000, default: 20000 },
  {
    name: "hide", type: "list", default: [],
    values: ["method", "task", "seed", ...KINDS, "trial", "curve", "training", "file"],
  },
];

export const FIELD = Object.fromEntries(FIELDS.map((f) => [f.name, f]));

// Sets the continuous perturbations' maxima ({ name: max }, the core's perturbationMaxima);
// called once the core is loaded, before any link is read.
export function setMaxima(maxima) {
  for (const [name, max] of Object.entries(maxima)) FIELD[name].max = max;
  const missing = FIELDS.filter((f) => f.max === null).map((f) => f.name);
  if (missing.length) throw new Error(`no maximum for ${missing.join(", ")}`);
}

export function defaults() {
  return Object.fromEntries(FIELDS.map((f) => [f.name, structuredClone(f.default)]));
}

// Shows a value from a link safely short (it is always inserted as text, never as markup).
function shown(raw) {
  const s = String(raw);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function describe(value) {
  return Array.isArray(value) ? (value.join(",") || "nothing") : String(value);
}

// Checks one raw value against its field: { value } or { value, reason } when the default or a
// clamped value was used instead.
function check(field, raw) {
  const fallback = { value: structuredClone(field.default) };
  if (field.type === "enum") {
    if (field.values.includes(raw)) return { value: raw };
    return { ...fallback, reason: `is not one of ${field.values.join(", ")}` };
  }
  if (field.type === "list") {
    const items = raw === "" ? [] : raw.split(",");
    const bad = items.filter((i) => !field.values.includes(i));
    const value = [...new Set(items.filter((i) => field.values.includes(i)))];
    return bad.length ? { value, reason: `names unknown controls (${shown(bad.join(","))})` } : { value };
  }
  const number = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(number)) return { ...fallback, reason: "is not a number" };
  if (field.type === "int" && !Number.isInteger(number)) {
    return { ...fallback, reason: "is not a whole number" };
  }
  if (number < field.min || number > field.max) {
    const value = Math.min(field.max, Math.max(field.min, number));
    return { value, reason: `is outside ${field.min} to ${field.max}` };
  }
  return { value: number };
}

// Reads a query string into { values, messages }; never throws.
export function readLink(search) {
  const values = defaults();
  const messages = [];
  if (search.length > MAX_LINK) {
    messages.push(`The link is ${search.length} characters long (at most ${MAX_LINK} are read); it was ignored and the defaults were used.`);
    return { values, messages };
  }
  let params;
  try {
    params = new URLSearchParams(search);
  } catch {
    messages.push("The link could not be read; the defaults were used.");
    return { values, messages };
  }
  if ([...params.keys()].length === 0) return { values, messages };

  const version = params.get("v");
  if (version === null) {
    messages.push(`The link has no version field "v"; it was read as version ${VERSION}.`);
  } else if (version !== String(VERSION)) {
    messages.push(`Link field "v": version "${shown(version)}" is not this page's version ${VERSION}; the link was read as version ${VERSION}.`);
  }
  const seen = new Set();
  for (const [name, raw] of params) {
    if (name === "v") continue;
    const field = FIELD[name];
    if (!field) {
      messages.push(`Link field "${shown(name)}" is unknown and was ignored.`);
      continue;
    }
    if (seen.has(name)) {
      messages.push(`Link field "${name}" appears twice; the first value was used.`);
      continue;
    }
    seen.add(name);
    const { value, reason } = check(field, raw);
    values[name] = value;
    if (reason) {
      messages.push(`Link field "${name}": "${shown(raw)}" ${reason}; used ${describe(value)} instead.`);
    }
  }
  return { values, messages };
}

function format(field, value) {
  if (field.type === "list") return value.join(",");
  if (field.type === "number") return String(Number(value.toPrecision(6)));
  return String(value);
}

// Writes values into a query string, version first, every field in the table's order.
export function writeLink(values) {
  const params = new URLSearchParams({ v: String(VERSION) });
  for (const field of FIELDS) params.set(field.name, format(field, values[field.name]));
  return `?${params.toString()}`;
}

// The core's Perturbation (JSON fields) from the link values.
export function perturbation(values) {
  return {
    rec_weight_noise: values.rec_weight_noise,
    input_weight_noise: values.input_weight_noise,
    unit_loss: values.unit_loss,
    module_loss: values.module_loss === "none" ? null : Number(values.module_loss) - 1,
    input_noise: values.input_noise,
    recurrent_noise: values.recurrent_noise,
    synapse_loss: values.synapse_loss,
    seed: values.seed,
  };
}

// The current magnitude of perturbation `kind` (module loss: the module's number from 1, 0 none).
export function magnitude(values, kind) {
  if (kind === "module_loss") return values.module_loss === "none" ? 0 : Number(values.module_loss);
  return values[kind];
}
