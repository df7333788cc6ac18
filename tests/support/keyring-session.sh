#!/usr/bin/env bash
# Runs a command with an unlocked Secret Service (gnome-keyring) on the D-Bus session bus, as a
# desktop session has, starting a session bus first when there is none. The keyring lives in a
# throwaway directory. Used by tests/run.sh and for screenshots on a headless machine.
# Usage: tests/support/keyring-session.sh COMMAND [ARGS...]
set -eu
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
eval "$(printf dropdock | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock)" >/dev/null
eval "$(printf dropdock | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --start --components=secrets)" >/dev/null
export GNOME_KEYRING_CONTROL
# The daemon makes its default collection after it answers: wait (up to 10 s) until an item can
# be stored and read back, so the first program to use the keychain never races it.
for _ in $(seq 1 50); do
  if printf ready | secret-tool store --label=dropdock-probe dropdock-probe ready >/dev/null 2>&1 \
    && [ "$(secret-tool lookup dropdock-probe ready 2>/dev/null)" = ready ]; then
    break
  fi
  sleep 0.2
done
exec "$@"
