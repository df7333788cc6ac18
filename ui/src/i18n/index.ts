// react-i18next with English, Simplified Chinese and Spanish. The choice is kept in
// localStorage; the first start follows the system language.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { es } from "./es";
import { zh } from "./zh";
import { api } from "../api";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "zh-CN", label: "简体中文" },
  { code: "es", label: "Español" },
] as const;

const STORAGE_KEY = "dropdock.language";

/** localStorage, or `null` where the web view has none (it can throw): the choice is then not kept. */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function initialLanguage(): string {
  const saved = storage()?.getItem(STORAGE_KEY);
  if (saved && LANGUAGES.some((l) => l.code === saved)) return saved;
  const system = (navigator.language ?? "en").toLowerCase();
  if (system.startsWith("zh")) return "zh-CN";
  if (system.startsWith("es")) return "es";
  return "en";
}

i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, "zh-CN": { translation: zh }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes
});

/** Tells the core the language, so the tray and desktop notifications follow it. */
function tellCore(code: string) {
  void api.setLanguage(code).catch((e: unknown) => console.warn("the tray keeps its language:", e));
}

/** Switches the language and remembers it. */
export function setLanguage(code: string) {
  storage()?.setItem(STORAGE_KEY, code);
  void i18n.changeLanguage(code);
  document.documentElement.lang = code;
  tellCore(code);
}

document.documentElement.lang = i18n.language;
tellCore(i18n.language);
export default i18n;
