import { useState } from "react";
import { Alert, Badge, Button, Checkbox, Group, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCreditCard, IconInfoCircle, IconLock, IconWallet } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notifyError } from "../errors";
import { useNavigate } from "react-router";
import cardValidator from "card-validator";
import { api, autoInput } from "../api";
import type { AutoSettings } from "../bindings/AutoSettings";
import type { SavedCard } from "../bindings/SavedCard";
import { countryName } from "../format";

const BRAND_NAMES: Record<SavedCard["brand"], string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners_club: "Diners Club",
  union_pay: "UnionPay",
};

/** Digits grouped the way the card network prints them (card-validator's `gaps`). */
function grouped(digits: string, gaps: number[]): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (gaps.includes(i)) out += " ";
    out += digits[i];
  }
  return out;
}

/**
 * The Credit Card tab of Auto Fulfillment: number, name on card, expiry, CVC and country,
 * checked as typed with Braintree's card-validator (the core checks again), a terms checkbox and
 * Confirm. The number and CVC are sent once, to the core, which has each supplier tokenize the
 * card; they are cleared from the form on success and never come back: the tab then shows the
 * brand, last 4 digits and expiry only.
 *
 * A supplier platform that documents no card API (CJdropshipping takes cards only on its own
 * payment page) cannot be given a card: when no connected supplier takes one, the tab says so
 * and points to My Wallet instead of offering a form that could not work.
 */
export function CreditCardTab({ settings }: { settings: AutoSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const cards = useQuery({ queryKey: ["auto", "cards"], queryFn: api.savedCards });
  const codes = useQuery({ queryKey: ["country-codes"], queryFn: api.countryCodes, staleTime: Infinity });
  const suppliers = useQuery({ queryKey: ["wallet", false], queryFn: () => api.wallet(false) });
  const navigate = useNavigate();
  const [digits, setDigits] = useState("");
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("");
  const [cvc, setCvc] = useState("");
  const [country, setCountry] = useState<string | null>(null);
  const [terms, setTerms] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [replacing, setReplacing] = useState(false);

  const number = cardValidator.number(digits);
  const brand = number.card;
  const maxLength = brand ? Math.max(...brand.lengths) : 19;
  const expiryCheck = cardValidator.expirationDate(expiry);
  const cvcSize = brand?.code.size ?? 3;
  const cvcCheck = cardValidator.cvv(cvc, cvcSize);
  const nameCheck = cardValidator.cardholderName(name);
  const errors = {
    number: !number.isValid
      ? digits.length === 0
        ? t("card.numberRequired")
        : !number.isPotentiallyValid || (brand?.lengths.includes(digits.length) ?? digits.length >= maxLength)
          ? t("card.numberInvalid")
          : t("card.numberIncomplete")
      : null,
    name: !nameCheck.isValid ? t("card.nameRequired") : null,
    expiry: !expiryCheck.isValid ? (expiryCheck.isPotentiallyValid && expiry.length < 5 ? t("card.expiryIncomplete") : t("card.expiryInvalid")) : null,
    cvc: !cvcCheck.isValid ? t("card.cvcInvalid", { size: cvcSize, code: brand?.code.name ?? "CVC" }) : null,
    country: country ? null : t("card.countryRequired"),
  };
  const valid = Object.values(errors).every((e) => e === null);
  const show = (field: keyof typeof errors) => (touched[field] ? errors[field] : null);
  const blur = (field: string) => () => setTouched((s) => ({ ...s, [field]: true }));

  const clearSecrets = () => {
    setDigits("");
    setCvc("");
  };
  const confirm = useMutation({
    mutationFn: () => {
      const year = Number(expiryCheck.year);
      return api.saveCard(
        {
          number: digits,
          name_on_card: name.trim(),
          exp_month: Number(expiryCheck.month),
          exp_year: year < 100 ? 2000 + year : year,
          cvc,
          country_code: country ?? "",
        },
        terms,
      );
    },
    onSuccess: (saved) => {
      clearSecrets();
      setTouched({});
      setReplacing(false);
      notifications.show({
        color: "green",
        title: t("auto.creditCard"),
        message: t("card.saved", { brand: saved[0] ? BRAND_NAMES[saved[0].brand] : "", last4: saved[0]?.last4 ?? "" }),
      });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["auto"] }),
  });
  const remove = useMutation({
    mutationFn: api.removeCard,
    onSuccess: () => notifications.show({ color: "gray", title: t("auto.creditCard"), message: t("card.removed") }),
    onSettled: () => client.invalidateQueries({ queryKey: ["auto"] }),
  });
  const use = useMutation({
    mutationFn: () =>
      api.saveAutoSettings(autoInput(settings, { payment_method: "card" })),
    onError: (e: Error) => notifyError(t, e, t("auto.saveFailed")),
    onSettled: () => client.invalidateQueries({ queryKey: ["auto"] }),
  });

  const onFile = cards.data?.[0];
  const inUse = settings.payment_method === "card";
  const noneTakesCards = suppliers.data !== undefined && suppliers.data.length > 0 && suppliers.data.every((s) => !s.accepts_cards);
  if (noneTakesCards && !onFile) {
    return (
      <Alert color="blue" icon={<IconInfoCircle />} title={t("card.unsupportedTitle")} data-testid="card-unsupported">
        <Stack gap="sm">
          <Text size="sm">{t("card.unsupported")}</Text>
          <Group>
            <Button size="xs" variant="light" leftSection={<IconWallet size={14} />} onClick={() => navigate("/finance/wallet")} data-testid="card-unsupported-wallet">
              {t("card.openWallet")}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      {onFile && (
        <Group justify="space-between" p="sm" style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 8 }} data-testid="card-on-file" data-last4={onFile.last4} data-in-use={inUse}>
          <Group gap="sm">
            <IconCreditCard size={22} />
            <Stack gap={0}>
              <Text size="sm" fw={600}>{t("card.ending", { brand: BRAND_NAMES[onFile.brand], last4: onFile.last4 })}</Text>
              <Text size="xs" c={onFile.expired ? "red.7" : "dimmed"}>
                {onFile.expired ? t("card.expired") : t("card.expires", { month: String(onFile.exp_month).padStart(2, "0"), year: onFile.exp_year })}
                {" · "}
                {t("card.atSuppliers", { count: cards.data!.length })}
              </Text>
            </Stack>
            {inUse && <Badge variant="light" color="green">{t("card.inUse")}</Badge>}
          </Group>
          <Group gap="xs">
            {!inUse && (
              <Button size="xs" variant="light" onClick={() => use.mutate()} loading={use.isPending} data-testid="card-use">
                {t("card.use")}
              </Button>
            )}
            <Button size="xs" variant="default" onClick={() => setReplacing((r) => !r)}>{t("card.replace")}</Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending} data-testid="card-remove">
              {t("card.remove")}
            </Button>
          </Group>
        </Group>
      )}
      {(!onFile || replacing) && (
        <form
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched({ number: true, name: true, expiry: true, cvc: true, country: true });
            if (valid && terms) confirm.mutate();
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">{t("card.hint")}</Text>
            <TextInput
              label={t("card.number")}
              placeholder="1234 5678 9012 3456"
              inputMode="numeric"
              autoComplete="cc-number"
              value={grouped(digits, brand?.gaps ?? [4, 8, 12])}
              onChange={(e) => setDigits(e.currentTarget.value.replace(/\D/g, "").slice(0, maxLength))}
              onBlur={blur("number")}
              error={show("number")}
              rightSection={brand ? <Text size="xs" c="dimmed" pr="xs">{brand.niceType}</Text> : null}
              rightSectionWidth={brand ? 130 : undefined}
              data-testid="card-number"
            />
            <TextInput label={t("card.name")} autoComplete="cc-name" value={name} onChange={(e) => setName(e.currentTarget.value)} onBlur={blur("name")} error={show("name")} data-testid="card-name" />
            <SimpleGrid cols={3}>
              <TextInput
                label={t("card.expiry")}
                placeholder="MM/YY"
                inputMode="numeric"
                autoComplete="cc-exp"
                value={expiry}
                onChange={(e) => {
                  const d = e.currentTarget.value.replace(/\D/g, "").slice(0, 4);
                  setExpiry(d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d);
                }}
                onBlur={blur("expiry")}
                error={show("expiry")}
                data-testid="card-expiry"
              />
              <PasswordInput
                label={brand?.code.name ?? "CVC"}
                inputMode="numeric"
                autoComplete="cc-csc"
                value={cvc}
                onChange={(e) => setCvc(e.currentTarget.value.replace(/\D/g, "").slice(0, 4))}
                onBlur={blur("cvc")}
                error={show("cvc")}
                data-testid="card-cvc"
              />
              <Select
                label={t("card.country")}
                searchable
                value={country}
                onChange={(v) => {
                  setCountry(v);
                  setTouched((s) => ({ ...s, country: true }));
                }}
                error={show("country")}
                data={(codes.data ?? []).map((c) => ({ value: c, label: countryName(c) }))}
                data-testid="card-country"
              />
            </SimpleGrid>
            <Checkbox label={t("card.terms")} checked={terms} onChange={(e) => setTerms(e.currentTarget.checked)} data-testid="card-terms" />
            {confirm.isError && (
              <Alert color="red" icon={<IconAlertTriangle />} title={t("card.notSaved")} data-testid="card-error">
                {confirm.error.message}
              </Alert>
            )}
            <Group justify="space-between">
              <Group gap={6}>
                <IconLock size={14} />
                <Text size="xs" c="dimmed">{t("card.kept")}</Text>
              </Group>
              <Button type="submit" loading={confirm.isPending} disabled={!terms} data-testid="card-confirm">
                {t("auto.confirm")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
